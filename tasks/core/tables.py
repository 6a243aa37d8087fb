"""Reading the researcher's tables as Dutch Excel writes them: `;` or `,`, UTF-8 with or without
BOM, or an .xlsx workbook. Every problem names the file, the row (as Excel numbers it: the header
is row 1) and the column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from tasks.core.archives import check_archive, check_regular_file
from tasks.core.errors import InputError, StudyError, where
from tasks.core.ids import CaseTwins, check_respondent_id
from tasks.core.sheets import unescaped

YES = {"yes", "y", "ja", "j", "true", "1", "x"}
NO = {"no", "n", "nee", "false", "0"}


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]
    problem: str | None = None  # a malformed row (too many values), when the caller reads per row

    def check(self) -> None:
        """Raise the row's problem, if it has one (the other rows of the file stay usable)."""
        if self.problem is not None:
            raise InputError(self.problem)

    def get(self, column: str) -> str:
        """The cell's text, stripped; an apostrophe that kept it from running as a formula in
        Excel (see tasks/core/sheets.py) is not part of the value."""
        return unescaped(self.values.get(column, "").strip())


@dataclass
class RowLog:
    """A shared table read per respondent: raw rows by id, errors by id, rows that fit no id."""

    label: str
    raw: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    row_errors: list[str] = field(default_factory=list)
    twins: CaseTwins | None = field(default=None, repr=False)

    def admit(self, row: Row) -> str | None:
        """The row's respondent id; None (the reason kept in `row_errors`) when the id is invalid or
        differs from an earlier row's only in case."""
        try:
            rid = check_respondent_id(row.get("respondent_id"), where(self.label, row.number, "respondent_id"))
        except StudyError as error:
            self.row_errors.append(error.message)
            return None
        self.twins = self.twins or CaseTwins(self.label)
        twin = self.twins.problem(rid, row.number)
        if twin is not None:
            self.row_errors.append(twin)
            return None
        return rid


@dataclass(frozen=True)
class Table:
    label: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def read_table(path: Path, label: str, required: tuple[str, ...], per_row: bool = False) -> Table:
    """Read a CSV or XLSX into rows of stripped strings; the header must hold `required`.

    A malformed row is an error for the whole file, or, with `per_row`, for that row alone
    (`Row.problem`), so that one bad line in a shared log stops only its own respondent.
    """
    check_regular_file(path, label, "a table")
    if not path.is_file():
        raise InputError(f"{label}: file not found; create it with the columns {', '.join(required)}")
    if path.suffix.lower() == ".xlsx":
        header, records = _read_xlsx(path, label)
    else:
        header, records = _read_csv(path, label)
    columns = tuple(_column_name(name) for name in header)
    missing = [name for name in required if name not in columns]
    if missing:
        raise InputError(
            f"{label}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the header row must hold {', '.join(required)}"
        )
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicated:
        raise InputError(f"{label}: column {duplicated[0]} appears twice in the header; keep one")
    rows = []
    for number, record in records:
        if not any(cell.strip() for cell in record):
            continue
        problem = None
        if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns):]):
            problem = (
                f"{where(label, number)}: {len(record)} values for {len(columns)} columns; "
                "check for an unquoted delimiter inside a value"
            )
            if not per_row:
                raise InputError(problem)
        padded = list(record) + [""] * (len(columns) - len(record))
        rows.append(Row(number, {name: padded[i].strip() for i, name in enumerate(columns) if name}, problem))
    return Table(label, columns, tuple(rows))


def _column_name(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().lower().replace("-", "_"))


def _read_csv(path: Path, label: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    data = path.read_bytes()
    text = _decode(data, label)
    if not text.strip():
        raise InputError(f"{label}: the file is empty; it needs at least the header row")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise InputError(f"{where(label, reader.line_num)}: {error}; fix the quoting in that row") from None
    header = records[0][1]
    return header, [(index + 2, row) for index, (_, row) in enumerate(records[1:])]


def _decode(data: bytes, label: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{label}: the file is UTF-16 (Excel 'Unicode text'); save it as 'CSV UTF-8' instead"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        guess = "Windows-1252 (Excel 'CSV (gescheiden door lijstscheidingsteken)')"
        raise InputError(
            f"{where(label, line)}: not UTF-8 text, probably {guess}; "
            "save it from Excel as 'CSV UTF-8 (door komma's gescheiden)'"
        ) from None


def _read_xlsx(path: Path, label: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    import openpyxl  # only needed for workbooks
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(path, label, "Excel workbook")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        cells = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]  # parses here
        workbook.close()
    except (InvalidFileException, BadZipFile, KeyError, OSError, ParseError, ValueError, IndexError):
        raise InputError(f"{label}: not a readable .xlsx workbook; save it again from Excel") from None
    if not cells:
        raise InputError(f"{label}: the first sheet is empty; it needs at least the header row")
    return cells[0], [(index + 2, row) for index, row in enumerate(cells[1:])]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def today() -> dt.date:
    """The current date: the one place every "not in the future" check asks (tests fix it here)."""
    return dt.date.today()


def parse_date(value: str, label: str, row: int, column: str) -> dt.date:
    """ISO dates, and the day-first dates Dutch Excel writes (31-01-2024, 31/01/2024).

    The researcher's logs record what happened (contacted, interviewed, consented, withdrew,
    decided), so a date after today is a typo (2042 for 2024), never a plan.
    """
    for pattern in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
        if day > today():
            raise InputError(f"{where(label, row, column)}: {day.isoformat()} is in the future; check the date")
        return day
    shown = f"{value!r}" if len(value) <= 20 else "the value"
    raise InputError(f"{where(label, row, column)}: {shown} is not a date; write it as 2024-01-31")


def parse_yes_no(value: str, label: str, row: int, column: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    shown = f"{value!r}" if len(value) <= 20 else "the value"
    raise InputError(f"{where(label, row, column)}: {shown} is not yes or no; write yes or no")


def parse_choice(value: str, allowed: tuple[str, ...], label: str, row: int, column: str) -> str:
    text = value.strip().lower().replace(" ", "_").replace("-", "_")
    if text in allowed:
        return text
    shown = f"{value!r}" if len(value) <= 30 else "the value"
    raise InputError(f"{where(label, row, column)}: {shown} is not one of {' | '.join(allowed)}")
