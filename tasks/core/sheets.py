"""Tables a researcher opens in Excel: no cell may run as a formula.

OWASP's rule for CSV injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return is written with a leading apostrophe, which spreadsheet programs read as "this is text".
Numbers stay numbers. Files the tool reads back (codings, the key file) are unescaped on reading
by `unescaped`, so a coder called "@SUM(1)" stays "@SUM(1)" everywhere. In .xlsx files, cells that
openpyxl would store as formulas are stored as text instead (`defuse`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tasks.core.files import atomic_path

if TYPE_CHECKING:  # pandas and openpyxl load with the work that writes tables, never for `status`
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> Any:
    """`value` as it may go into a spreadsheet cell: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def unescaped(value: str) -> str:
    """The text `cell_text` was given (for files the tool writes and reads back)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(TRIGGERS) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and text index and column labels) cannot run as formulas."""
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    def textual(values: Any) -> bool:
        return not (is_numeric_dtype(values) or is_bool_dtype(values) or is_datetime64_any_dtype(values))

    safe = frame.copy()
    for position in range(len(safe.columns)):
        if textual(safe.iloc[:, position]):
            safe.isetitem(position, safe.iloc[:, position].astype(object).map(cell_text))
    if textual(safe.index):
        safe.index = safe.index.map(cell_text)
    safe.columns = [cell_text(name) for name in safe.columns]
    return safe


def write_csv(frame: pd.DataFrame, path: Path, index: bool = False) -> Path:
    """Write `frame` as UTF-8 CSV, atomically, with every text cell made safe for Excel."""
    with atomic_path(path) as tmp:
        safe_frame(frame).to_csv(tmp, index=index, lineterminator="\n")
    return path


def safe_row(values: Iterable[Any]) -> list[Any]:
    """One row for a csv.writer, made safe for Excel."""
    return [cell_text(value) for value in values]


def defuse(sheet: Worksheet) -> None:
    """Store every cell that openpyxl took for a formula as plain text (shown as typed, never run)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
