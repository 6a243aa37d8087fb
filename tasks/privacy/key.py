"""The pseudonymisation key: `pseudonymisation_key.csv` in the study folder (beside recruitment.csv,
never in out/), one row per placeholder a respondent's published text received:
`respondent_id, placeholder, original, found_by` (found_by: list | deduce | spacy | capitals |
researcher; the researcher's rows, `*` as respondent for everyone and `keep` as placeholder for a
word that is no name, are read first and never dropped by a run).

Replacements are collected in memory while a stage runs and the file is written once, atomically,
by `save_key` at the end (not once per respondent or per quote). A respondent's rows hold their own
listed values and what was actually replaced in their quotes or exports. Rows from earlier runs
stay as long as they do not contradict this run's (so that a placeholder in an earlier export can
still be looked up); a row whose placeholder or original this run assigns differently is dropped.
Rows are sorted (respondent, found_by, placeholder in numeric order), so the file is
deterministic, and it is rewritten only when its content changes. Withdrawn respondents' rows are
removed by `remove_rows` (called from tasks/withdrawal.py).
"""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass, field

from tasks.core.files import write_text
from tasks.core.sheets import safe_row, unescaped
from tasks.core.study import Study
from tasks.privacy.cache import save_cache
from tasks.privacy.variants import PLACEHOLDER

HEADER = ("respondent_id", "placeholder", "original", "found_by")
Row = tuple[str, str, str]  # placeholder, original, found_by


@dataclass
class KeyBook:
    """The key file's rows as read once, and the rows recorded in this process since the last save."""

    rows: dict[str, list[Row]]  # respondent -> rows on disk
    recorded: dict[str, dict[Row, None]] = field(default_factory=dict)  # respondent -> rows (ordered set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def previous(self, rid: str) -> list[Row]:
        return list(self.rows.get(rid, ()))

    def record(self, rid: str, rows: list[Row]) -> None:
        with self.lock:
            self.recorded.setdefault(rid, {}).update(dict.fromkeys(rows))

    def merged(self) -> dict[str, list[Row]]:
        """Every respondent's rows: this run's, plus the earlier ones that do not contradict them."""
        with self.lock:
            result = {rid: list(rows) for rid, rows in self.rows.items()}
            for rid, new in self.recorded.items():
                placeholders = {placeholder for placeholder, _, _ in new}
                originals = {(original.lower(), source) for _, original, source in new}
                kept = [
                    row for row in result.get(rid, ())
                    if row not in new and row[0] not in placeholders and (row[1].lower(), row[2]) not in originals
                ]
                result[rid] = [*new, *kept]
        return {rid: sorted(rows, key=_order) for rid, rows in result.items() if rows}


def key_book(study: Study) -> KeyBook:
    """The study's key book (read from disk on first use, then kept for the process)."""
    return study.cache.memo(key_book, None, lambda: KeyBook(read_rows(study)))


def save_key(study: Study) -> None:
    """Write what this run replaced to the key file (once, atomically; untouched when unchanged),
    and the texts scanned to the detection cache."""
    save_cache(study)
    book = key_book(study)
    if not book.recorded:
        return
    rows = book.merged()
    _write(study, rows)
    with book.lock:
        book.rows, book.recorded = rows, {}


def remove_rows(study: Study, rid: str) -> bool:
    """Drop a respondent's rows from the key file (withdrawal); True when there were any."""
    study.cache.forget()
    rows = read_rows(study)
    if rid not in rows:
        return False
    del rows[rid]
    _write(study, rows)
    return True


def read_rows(study: Study) -> dict[str, list[Row]]:
    path = study.catalog.key_file
    if not path.is_file():
        return {}
    rows: dict[str, list[Row]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for record in reader:
            if len(record) >= 4:
                rid, *values = (unescaped(value) for value in record[:4])
                rows.setdefault(rid, []).append((values[0], values[1], values[2]))
    return rows


def _write(study: Study, rows: dict[str, list[Row]]) -> None:
    path = study.catalog.key_file
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(safe_row((rid, *row)) for rid in sorted(rows) for row in rows[rid])
    text = buffer.getvalue()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    if rows or path.is_file():
        write_text(path, text)


def _order(row: Row) -> tuple[str, str, int, str]:
    match = PLACEHOLDER.fullmatch(row[0])
    tag, number = (match["tag"], int(match["n"])) if match else (row[0], 0)
    return (row[2], tag, number, row[1])
