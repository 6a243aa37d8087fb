"""The coded study as data, shared by the whole-study stages: coded segments and transcripts as
frames, co-occurrence, result tables, quote selection, and the fingerprints of what they read."""
