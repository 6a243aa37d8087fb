"""Editing a researcher's CSV in place: change one row, keep everything else byte for byte.

A researcher's table (consent.csv, ...) is theirs: when the tool must write to it, it keeps the
delimiter, the BOM, the line endings, the quoting and every other row exactly as they were.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from tasks.core.errors import InputError, where
from tasks.core.files import write_bytes


@dataclass
class EditableCsv:
    label: str
    bom: bool
    newline: str
    delimiter: str
    lines: list[str]
    spans: list[tuple[int, int]]  # the physical lines of each record
    records: list[list[str]]
    columns: list[str]  # normalised as tasks.core.tables names them

    @classmethod
    def load(cls, path: Path, label: str, default: str) -> EditableCsv:
        """Read `path` (or start from the header line `default` when it does not exist)."""
        data = path.read_bytes() if path.is_file() else default.encode("utf-8")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{label}: not UTF-8 text; save it from Excel as 'CSV UTF-8' and try again") from None
        lines = text.splitlines(keepends=True)
        while lines and not lines[-1].strip():
            lines.pop()  # trailing blank lines: a new row goes right after the last one
        if not lines:
            lines = [default]
        first = lines[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        delimiter = "\t" if first.count("\t") > first.count(delimiter) else delimiter
        table = cls(label, data.startswith(codecs.BOM_UTF8), "\r\n" if first.endswith("\r\n") else "\n",
                    delimiter, lines, [], [], [])
        table._parse()
        return table

    def _parse(self) -> None:
        reader = csv.reader(iter(self.lines), delimiter=self.delimiter, strict=True)
        start = 0
        try:
            for record in reader:
                self.spans.append((start, reader.line_num))
                self.records.append(record)
                start = reader.line_num
        except csv.Error as error:
            raise InputError(f"{where(self.label, reader.line_num)}: {error}; fix the quoting in that row") from None
        self.columns = [re.sub(r"\s+", "_", name.strip().lower().replace("-", "_")) for name in self.records[0]]

    def column(self, name: str) -> int:
        if name not in self.columns:
            raise InputError(f"{self.label}: missing column {name}; add it to the header row and try again")
        return self.columns.index(name)

    def add_column(self, name: str) -> int:
        if name not in self.columns:
            self.columns.append(name)
            self.replace(0, [*self.records[0], name])
        return self.columns.index(name)

    def find(self, column: str, value: str) -> list[int]:
        """Indexes of the records whose `column` holds `value` (the header is index 0)."""
        at = self.column(column)
        return [i for i, record in enumerate(self.records[1:], start=1) if len(record) > at and record[at].strip() == value]

    def record(self, index: int) -> list[str]:
        values = list(self.records[index]) if index < len(self.records) else []
        return values + [""] * (len(self.columns) - len(values))

    def replace(self, index: int, values: list[str]) -> None:
        start, end = self.spans[index]
        self.lines[start:end] = [self._line(values)] + [""] * (end - start - 1)
        self.records[index] = values

    def append(self, values: list[str]) -> int:
        if not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.newline
        self.spans.append((len(self.lines), len(self.lines) + 1))
        self.lines.append(self._line(values))
        self.records.append(values)
        return len(self.records) - 1

    @staticmethod
    def row_number(index: int) -> int:
        return index + 1  # as tasks.core.tables numbers rows: the header is row 1

    def save(self, path: Path) -> None:
        write_bytes(path, (codecs.BOM_UTF8 if self.bom else b"") + "".join(self.lines).encode("utf-8"))

    def _line(self, values: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline).writerow(values)
        return buffer.getvalue()
