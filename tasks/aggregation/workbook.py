"""results.xlsx as a researcher reads it: the result tables with sheet names, column headers and
vocabulary values in the study's language (the CSV files keep the ids and column names that other
tools read); shares are shown as percentages."""

from __future__ import annotations

import pandas as pd

from tasks.aggregation.report import why
from tasks.core.config import StudyConfig
from tasks.core.texts import Texts, readable

PERCENT_COLUMNS = ("share",)


def sheets(tables: dict[str, pd.DataFrame], config: StudyConfig, tx: Texts) -> dict[str, pd.DataFrame]:
    """Each table under its sheet name, with labelled columns and values."""
    return {tx.get(f"sheet.{name}", name): _labelled(name, frame, config, tx) for name, frame in tables.items()}


def percent_columns(tx: Texts) -> set[str]:
    """The (labelled) columns that hold shares, for the workbook's percent format."""
    return {tx.get(f"column.{column}", column) for column in PERCENT_COLUMNS}


def _labelled(name: str, frame: pd.DataFrame, config: StudyConfig, tx: Texts) -> pd.DataFrame:
    frame = frame.copy()
    language = tx.code
    if name == "by_attribute" and not frame.empty:
        pairs = frame[["attribute", "value"]].drop_duplicates()
        labels = {(a, v): readable(config.label(str(a), str(v), language), str(v)) for a, v in pairs.itertuples(index=False)}
        frame["value"] = [labels[pair] for pair in zip(frame["attribute"], frame["value"])]
        frame["attribute"] = frame["attribute"].map(lambda a: config.heading(str(a), language))
    if "phase" in frame.columns:
        frame["phase"] = frame["phase"].map(lambda p: tx.get(f"phase.{p}", str(p)))
    if name == "left_out":
        frame["reason"] = frame["reason"].map(lambda reason: why(str(reason), tx))
    return frame.rename(columns={column: tx.get(f"column.{column}", str(column)) for column in frame.columns})
