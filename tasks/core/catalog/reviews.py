"""reviews.csv: the researcher's record of each respondent's decision after reading the transcript."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tasks.core.errors import InputError, where
from tasks.core.ids import id_key, is_respondent_id
from tasks.core.study import Study
from tasks.core.tables import RowLog, parse_choice, parse_date, read_table

REQUIRED = ("respondent_id", "decision", "decided_on")
DECISIONS = ("approved", "approved_with_changes", "declined")


@dataclass(frozen=True)
class Decision:
    respondent_id: str
    value: str
    decided_on: dt.date
    row: int
    label: str

    @property
    def where(self) -> str:
        return where(self.label, self.row)


@dataclass
class ReviewLog(RowLog):
    rows: dict[str, int] = field(default_factory=dict)


def read_reviews(study: Study) -> ReviewLog:
    """Parse reviews.csv once per study object; a missing file means no decisions yet."""
    if study.cache.review_log is not None:
        return study.cache.review_log
    path = study.catalog.reviews_file
    log = ReviewLog(path.name)
    if path.exists():  # a folder or pipe of this name is refused by read_table, not taken for none
        for row in read_table(path, log.label, REQUIRED, per_row=True).rows:
            rid = log.admit(row)
            if rid is None:
                continue
            if rid in log.raw:
                log.errors[rid] = (
                    f"{where(log.label, row.number, 'respondent_id')}: {rid} appears twice "
                    f"(also row {log.rows[rid]}); keep one row per respondent"
                )
                continue
            log.raw[rid] = {name: row.get(name) for name in REQUIRED}
            log.rows[rid] = row.number
            if row.problem is not None:
                log.errors[rid] = row.problem
    study.cache.review_log = log
    return log


def decision_of(study: Study, respondent_id: str) -> Decision | None:
    """The respondent's recorded decision; None when no row (or an empty decision) is there."""
    log = read_reviews(study)
    if respondent_id in log.errors:
        raise InputError(log.errors[respondent_id])
    raw = log.raw.get(respondent_id)
    if raw is None or not raw["decision"]:
        return None
    number = log.rows[respondent_id]
    value = parse_choice(raw["decision"], DECISIONS, log.label, number, "decision")
    if not raw["decided_on"]:
        raise InputError(f"{where(log.label, number, 'decided_on')}: empty; write the date of the decision, e.g. 2024-04-02")
    decided_on = parse_date(raw["decided_on"], log.label, number, "decided_on")
    return Decision(respondent_id, value, decided_on, number, log.label)


def row_problems(study: Study, known: set[str]) -> list[str]:
    """Problems no respondent's stage can report: rows with a bad or unknown id, stray returned files."""
    log = read_reviews(study)
    problems = list(log.row_errors)
    for rid, number in log.rows.items():
        if rid not in known:
            problems.append(
                f"{where(log.label, number, 'respondent_id')}: {rid} is not a respondent in the recruitment log; "
                "correct the id or remove the row"
            )
    folder = study.catalog.returned_dir
    folded = {id_key(rid) for rid in known}  # R02.DOCX and r02.docx are R02's, as on macOS and Windows
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    stray = [
        p for p in files
        if p.suffix.lower() == ".docx" and id_key(p.stem) not in folded and not p.name.startswith(("~$", "."))
    ]
    for path in stray:
        name = f"review/returned/{path.name}" if is_respondent_id(path.stem) else "review/returned/ (a file)"
        problems.append(f"{name}: not named after a respondent in the recruitment log; name it <respondent id>.docx")
    return problems
