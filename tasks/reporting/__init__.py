"""Analysis helpers for the whole-study stages (axial, selective coding, aggregation): loading the
normalised codings into frames, co-occurrence, quotes, tables, plots and the Word report."""
