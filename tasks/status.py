"""Where every respondent stands, derived from the inputs and manifests on disk (no Prefect).

Also what a lead acts on: rows selected by status, by who must act and by respondent; counts per
stage; the respondents who need action, overdue reviews first; and the rows as a workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.files import write_office
from tasks.core.manifest import hash_cache
from tasks.core.sheets import defuse
from tasks.core.stage import StageStatus
from tasks.core.study import Study
from tasks.protocol import PROTOCOL, STAGES

FORMATS = ("table", "csv", "json", "xlsx")
STATUSES = ("done", "waiting", "pending", "blocked", "excluded", "failed")
WHO = ("researcher", "respondent")
ACTIONS = ("overdue", "failed", "researcher", "respondent")  # the order a lead works through them
COLUMNS = ("respondent_id", "stage", "status", "detail")
HEADER_FILL = "DDEBF7"  # as results.xlsx
MAX_WIDTH = 80  # characters; longer text wraps

# the review stage's waiting detail, worded for today (tasks/review/stage.py respondent_detail)
_OVERDUE = re.compile(r"respondent: review sent (\d{4}-\d{2}-\d{2}) \([^)]*, \d+ days? past the due date\)")


def study_status(study: Study, stage: str | None = None) -> list[StageStatus]:
    """Every respondent × stage (or one stage), in roster and stage order."""
    ids = respondent_ids(study)
    chains = {rid: PROTOCOL.respondent_statuses(study, rid) for rid in ids}
    rows: list[StageStatus] = []
    for rid in ids:
        chain = chains[rid]
        full = chain + PROTOCOL.study_statuses(study, rid, chain[-1])
        rows += [row for row in full if stage is None or row.stage == stage]
    hash_cache(study).save()
    return rows


def approved(study: Study) -> list[StageStatus]:
    """The review rows of respondents whose transcript is approved."""
    return [row for row in study_status(study, "review") if row.status == "done"]


def who(row: StageStatus) -> str | None:
    """Who must act, as the detail says (`researcher: …`, `respondent: …`)."""
    head = row.detail.split(":", 1)[0]
    return head if head in WHO else None


def overdue_since(row: StageStatus) -> dt.date | None:
    """The day the review was sent, when the respondent is past the date they were asked to reply by."""
    found = _OVERDUE.match(row.detail) if row.status == "waiting" else None
    return dt.date.fromisoformat(found.group(1)) if found else None


def action(row: StageStatus) -> str | None:
    """Why this row needs someone: overdue, failed, or waiting on the researcher or the respondent."""
    if overdue_since(row) is not None:
        return "overdue"
    if row.status == "failed":
        return "failed"
    if row.status == "waiting":
        return who(row) or "researcher"
    return None


@dataclass(frozen=True)
class Selection:
    """The rows a lead asked for: any of these statuses, who must act, respondents (empty: all)."""

    statuses: Collection[str] = ()
    who: Collection[str] = ()
    respondents: Collection[str] = ()

    def __bool__(self) -> bool:
        return bool(self.statuses or self.who or self.respondents)

    def keeps(self, row: StageStatus) -> bool:
        return (
            (not self.statuses or row.status in self.statuses)
            and (not self.who or who(row) in self.who)
            and (not self.respondents or row.respondent_id in self.respondents)
        )

    def of(self, rows: Sequence[StageStatus]) -> list[StageStatus]:
        return [row for row in rows if self.keeps(row)]


def needing_action(rows: Sequence[StageStatus]) -> list[StageStatus]:
    """Each respondent's first row that needs someone, overdue reviews first (longest waiting
    first), then failures, then waiting on the researcher, then on the respondent; else roster order."""
    first: dict[str, StageStatus] = {}
    for row in rows:
        if action(row) is not None:
            first.setdefault(row.respondent_id, row)
    order = {rid: index for index, rid in enumerate(first)}

    def rank(row: StageStatus) -> tuple[int, dt.date, int]:
        return ACTIONS.index(action(row) or ""), overdue_since(row) or dt.date.min, order[row.respondent_id]

    return sorted(first.values(), key=rank)


def overdue_first(rows: Sequence[StageStatus]) -> list[StageStatus]:
    """`rows` with the respondents whose review is overdue moved to the front, longest waiting first."""
    late = {row.respondent_id: since for row in rows if (since := overdue_since(row)) is not None}
    ranked = sorted(late, key=lambda rid: late[rid])
    return sorted(rows, key=lambda row: ranked.index(row.respondent_id) if row.respondent_id in late else len(ranked))


def summary(rows: Sequence[StageStatus]) -> list[dict[str, Any]]:
    """Per stage (in protocol order), how many respondents are in each status, and how many of the
    waiting are overdue."""
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        tally = counts.setdefault(row.stage, Counter())
        tally[row.status] += 1
        tally["overdue"] += overdue_since(row) is not None
    return [
        {"stage": stage, **{name: counts[stage][name] for name in SUMMARY_COLUMNS}}
        for stage in STAGES
        if stage in counts
    ]


SUMMARY_COLUMNS = ("done", "waiting", "overdue", "pending", "blocked", "excluded", "failed")


def render(rows: Sequence[StageStatus], fmt: str) -> str:
    return render_records([row.to_json() for row in rows], COLUMNS, fmt)


def render_records(records: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(list(records), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def matrix(rows: Sequence[StageStatus]) -> tuple[list[str], dict[str, dict[str, StageStatus]]]:
    """Respondents × stages, for the table view."""
    stages = [stage for stage in STAGES if any(row.stage == stage for row in rows)]
    grid: dict[str, dict[str, StageStatus]] = {}
    for row in rows:
        grid.setdefault(row.respondent_id, {})[row.stage] = row
    return stages, grid


def write_xlsx(rows: Sequence[StageStatus], path: Path) -> Path:
    """The rows (with who must act and when an overdue review was sent) and the per-stage counts as
    a workbook: styled header that stays in view and filters, fitted columns, no cell a formula."""
    from openpyxl import Workbook  # loads only for --format xlsx; `status` itself stays light

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "status"
    header = ["respondent_id", "stage", "status", "waiting on", "overdue: review sent", "detail"]
    body = [[r.respondent_id, r.stage, r.status, who(r) or "", overdue_since(r), r.detail] for r in rows]
    _fill(sheet, header, body)
    counts = summary(rows)
    _fill(book.create_sheet("summary"), ["stage", *SUMMARY_COLUMNS], [list(c.values()) for c in counts])

    def save(buffer: IO[bytes]) -> None:
        book.save(buffer)

    return write_office(path, save)


def _fill(sheet: Any, header: list[str], body: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for values in (header, *body):
        sheet.append(values)
    defuse(sheet)  # a detail or id that begins with "=" is text, never a formula
    bold, fill = Font(bold=True), PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(header, start=1):
        longest = max([len(name) + 2, *(len(_shown(row[index - 1])) for row in body)])  # +2: the filter button
        sheet.column_dimensions[get_column_letter(index)].width = min(longest, MAX_WIDTH) + 2
        if longest > MAX_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if any(isinstance(row[index - 1], dt.date) for row in body):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"


def _shown(value: Any) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)
