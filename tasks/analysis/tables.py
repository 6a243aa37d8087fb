"""The result tables: code frequencies ("N of n"), codes × respondents, frequencies by respondent
attribute and by interview-guide question and phase. All vectorised over the coded frame."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from tasks.analysis.frames import Coded, attach
from tasks.core.config import InterviewGuide, natural_key
from tasks.core.files import write_office
from tasks.core.sheets import defuse
from tasks.core.sheets import write_csv as sheets_csv

PHASES = ("before", "now")
HEADER_FILL = "DDEBF7"  # results.xlsx header row
MAX_WIDTH = 80  # characters; longer text wraps


def write_csv(frame: pd.DataFrame, path: Path, index: bool = False) -> Path:
    """A results table as UTF-8 CSV, atomically, every text cell safe to open in Excel."""
    return sheets_csv(frame, path, index=index)


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path, percent: Collection[str] = ()) -> Path:
    """One sheet per table (names cut to Excel's 31 characters), readable as it opens: a bold, filled
    header row that stays in view and carries filters, columns as wide as their content, and the
    columns named in `percent` (shares from 0 to 1) shown as percentages."""
    def save(buffer: IO[bytes]) -> None:
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)
                _style(writer.sheets[name[:31]], frame, set(percent))

    return write_office(path, save)


def _style(sheet: Any, frame: pd.DataFrame, percent: set[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    defuse(sheet)  # a quote or coder name that begins with "=" is text, never a formula
    bold, fill = Font(bold=True), PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = frame[column].astype(str)
        longest = max(len(str(column)) + 2, int(values.str.len().max()) if len(values) else 0)  # +2: the filter button
        sheet.column_dimensions[letter].width = min(longest, MAX_WIDTH) + 2
        if column in percent:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0.0%"
        elif longest > MAX_WIDTH:  # long text (quotes) wraps inside its column
            wrap = Alignment(wrap_text=True, vertical="top")
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = wrap


def presence(data: Coded) -> pd.DataFrame:
    """One row per (respondent, code) the respondent has, with the number of coded segments."""
    counts = data.coded.groupby(["respondent_id", "code"], observed=True, sort=False).size()
    return counts.rename("segments").reset_index()


def code_frequencies(data: Coded) -> pd.DataFrame:
    """Per code (codebook order): respondents having it, of n eligible; share; coded segments."""
    n = len(data.eligible)
    grouped = data.coded.groupby("code", observed=False, sort=True)
    counts = pd.DataFrame(
        {"respondents": grouped["respondent_id"].nunique(), "segments": grouped["segment_id"].size()}
    )
    counts.index = counts.index.astype(str)
    frame = data.codes.merge(counts, left_on="code", right_index=True, how="left").fillna(
        {"respondents": 0, "segments": 0}
    )
    frame["respondents"] = frame["respondents"].astype("int64")
    frame["segments"] = frame["segments"].astype("int64")
    frame["n"] = n
    frame["share"] = (frame["respondents"] / n).round(3) if n else 0.0
    return frame[["category", "category_name", "code", "code_name", "respondents", "n", "share", "segments"]]


def code_by_respondent(data: Coded) -> pd.DataFrame:
    """codes × respondents: the number of segments of each respondent with each code."""
    codes = list(data.codes["code"])
    code_index = data.coded["code"].cat.codes.to_numpy().astype(np.int64)
    resp_index = data.coded["respondent_id"].cat.codes.to_numpy().astype(np.int64)
    flat = np.bincount(code_index * len(data.eligible) + resp_index, minlength=len(codes) * len(data.eligible))
    grid = pd.DataFrame(flat.reshape(len(codes), len(data.eligible)), columns=data.eligible)
    grid.insert(0, "code", codes)
    grid.insert(0, "category", list(data.codes["category"]))
    return grid


def by_attribute(data: Coded, attributes: pd.DataFrame, orders: dict[str, list[str]]) -> pd.DataFrame:
    """Per attribute value: n respondents with that value, and per code how many have the code.
    Values in `orders` come first, in that order; others (free text) after, numbers by value."""
    has = presence(data)
    has["code"] = has["code"].astype(str)
    parts = []
    for attribute in [c for c in attributes.columns if c != "respondent_id"]:
        values = attributes[["respondent_id", attribute]].rename(columns={attribute: "value"})
        values = values[values["value"] != ""]  # an optional attribute left empty: in no row of it
        n = values["value"].value_counts()
        listed = orders.get(attribute, [])
        order = [v for v in listed if v in n.index] + sorted((v for v in n.index if v not in listed), key=natural_key)
        counts = has.merge(values, on="respondent_id").groupby(["value", "code"]).size()
        grid = pd.MultiIndex.from_product([order, list(data.codes["code"])], names=["value", "code"])
        frame = counts.reindex(grid, fill_value=0).rename("respondents").reset_index()
        frame["n"] = frame["value"].map(n).astype("int64")
        frame["share"] = (frame["respondents"] / frame["n"]).round(3)
        frame.insert(0, "attribute", attribute)
        parts.append(frame)
    columns = ["attribute", "value", "n", "category", "code", "respondents", "share"]
    if not parts:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(parts, ignore_index=True)
    frame["category"] = frame["code"].map(data.codebook.category_of())
    return frame[columns]


def by_question(data: Coded, coded: pd.DataFrame, guide: InterviewGuide) -> pd.DataFrame:
    """Per guide question (with its phase and topic) and code: respondents and segments.
    `coded`: the coded rows with a question id (see `asked`)."""
    counts = _counted(coded, ["question_id", "code"])
    known = [q.id for q in guide.questions]
    questions = known + sorted(set(coded["question_id"]) - set(known)) if not coded.empty else []
    grid = pd.MultiIndex.from_product([questions, list(data.codes["code"])], names=["question_id", "code"])
    frame = counts.reindex(grid, fill_value=0).reset_index()
    by_id = {q.id: q for q in guide.questions}
    frame["phase"] = frame["question_id"].map(lambda q: by_id[q].phase if q in by_id else "")
    frame["topic"] = frame["question_id"].map(lambda q: by_id[q].topic if q in by_id else "")
    frame["category"] = frame["code"].map(data.codebook.category_of())
    return frame[["question_id", "phase", "topic", "category", "code", "respondents", "segments"]]


def by_phase(data: Coded, coded: pd.DataFrame, guide: InterviewGuide) -> pd.DataFrame:
    """Per code: respondents and segments in answers to "before" and to "now" questions."""
    phase_of = {q.id: q.phase for q in guide.questions}
    coded = coded.assign(phase=coded["question_id"].map(phase_of))
    coded = coded[coded["phase"].notna()]
    counts = _counted(coded, ["code", "phase"])
    phases = list(PHASES) if not coded.empty else []
    grid = pd.MultiIndex.from_product([list(data.codes["code"]), phases], names=["code", "phase"])
    frame = counts.reindex(grid, fill_value=0).reset_index()
    frame["category"] = frame["code"].map(data.codebook.category_of())
    return frame[["category", "code", "phase", "respondents", "segments"]]


def asked(data: Coded, segments: pd.DataFrame) -> pd.DataFrame:
    """Coded rows of segments that carry a question id (the question asked before them)."""
    coded = attach(data, segments, ["question_id"])
    return coded[(coded["question_id"] != "").to_numpy()]


def _counted(coded: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Respondents and segments per key combination; codes grouped by number, then named."""
    codes = coded["code"].cat.categories
    frame = coded.assign(code=coded["code"].cat.codes, respondent_id=coded["respondent_id"].cat.codes)
    grouped = frame.groupby(keys)
    counts = pd.DataFrame({"respondents": grouped["respondent_id"].nunique(), "segments": grouped.size()})
    level = keys.index("code")
    counts.index = counts.index.set_levels(codes[counts.index.levels[level]], level=level)
    return counts.astype("int64")
