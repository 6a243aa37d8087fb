"""The returned review document, read back: corrected text, speakers, comments, and what changed.

Rows are matched by segment id only. Rows added, removed, merged, with a changed id or a duplicate
id are reported, never guessed at: the respondent's intent is not ours to reconstruct.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tasks.core.errors import InputError
from tasks.core.ids import SEGMENT_ID
from tasks.core.transcripts import Segment, Speaker, Transcript
from tasks.core.wordml import SegmentTable, TableRow, read_segment_table

SPEAKER_WORDS: dict[str, Speaker] = {
    "interviewer": "interviewer", "interviewster": "interviewer", "onderzoeker": "interviewer",
    "researcher": "interviewer", "respondent": "respondent", "interviewee": "respondent",
    "geïnterviewde": "respondent",
}
SHOWN = 5


@dataclass(frozen=True)
class Change:
    segment_id: str
    before: str
    after: str
    words_changed: int


@dataclass(frozen=True)
class Note:
    segment_id: str  # "" for a comment outside the table
    text: str


@dataclass(frozen=True)
class Imported:
    segments: tuple[Segment, ...]
    explicit: dict[str, Speaker]
    changes: tuple[Change, ...]
    notes: tuple[Note, ...]
    comments: int

    @property
    def struck(self) -> int:
        return sum(1 for change in self.changes if not change.after)


def unchanged(draft: Transcript) -> Imported:
    return Imported(draft.segments, {}, (), (), 0)


def import_returned(path: Path, label: str, draft: Transcript, outbox: str) -> Imported:
    """Read the returned document against the draft; a table that does not match is an InputError."""
    table = read_segment_table(path, label)
    check_rows(table, draft, label, outbox)
    rows = {row.segment_id: row for row in table.rows}
    segments, changes, explicit = [], [], {}
    for segment in draft.segments:
        row = rows[segment.segment_id]
        after = " ".join(row.text.split())
        if after != " ".join(segment.text.split()):
            changes.append(Change(segment.segment_id, segment.text.strip(), after, words_changed(segment.text, after)))
            segment = replace(segment, text=after)
        segments.append(segment)
        spoken = speaker_written(row.cell(2)) if len(row.cells) >= 4 else None
        if spoken is not None:
            explicit[segment.segment_id] = spoken
    notes = [Note("", c.text) for c in table.loose_comments]
    notes += [Note(row.segment_id, c.text) for row in table.rows for c in row.comments]
    return Imported(tuple(segments), explicit, tuple(changes), tuple(notes), table.comment_count)


def speaker_written(cell: str) -> Speaker | None:
    """The speaker a speaker cell names ("respondent", "Interviewer (?)": the review document marks
    a speaker it is unsure of with "(?)"); None for an empty or unknown word."""
    word = " ".join(cell.replace("(?)", " ").replace("?", " ").split()).casefold()
    return SPEAKER_WORDS.get(word)


def check_rows(table: SegmentTable, draft: Transcript, label: str, outbox: str) -> None:
    known = [segment.segment_id for segment in draft.segments]
    seen: dict[str, list[int]] = {}
    added, changed, merged = [], [], []
    previous = ""
    for row in table.rows:
        if not any(cell.strip() for cell in row.cells) and not row.comments and not row.merged:
            continue  # an empty row (a Tab pressed in the last cell) holds nothing to lose
        ids = row.segment_id.split()
        if row.merged:
            merged.append(f"{previous or 'table row ' + str(row.number - 1)}+{row.segment_id or 'table row ' + str(row.number)}")
        elif not ids:
            added.append(row.number)
        elif len(ids) > 1 and all(SEGMENT_ID.fullmatch(i) for i in ids):
            merged.append("+".join(ids))
        elif row.segment_id in known:
            seen.setdefault(row.segment_id, []).append(row.number)
        else:
            changed.append(_shown_id(row))
        previous = row.segment_id
    in_merges = {i for group in merged for i in group.split("+")}
    removed = [i for i in known if i not in seen and i not in in_merges]
    duplicates = [f"{i} (table rows {', '.join(map(str, rows))})" for i, rows in seen.items() if len(rows) > 1]
    problems = [
        _listed("rows added without a segment id: table row", [str(n) for n in added]),
        _listed("segment ids removed:", removed),
        _listed("rows merged:", merged),
        _listed("segment ids changed:", changed),
        _listed("duplicate segment ids:", duplicates),
    ]
    found = [problem for problem in problems if problem]
    if found:
        raise InputError(
            f"{label}: the transcript table does not match the draft: {'; '.join(found)}; "
            f"restore the rows and their segment ids as in {outbox} (edit only the text column) and save it again"
        )


def _listed(title: str, items: Sequence[str]) -> str:
    if not items:
        return ""
    shown = ", ".join(items[:SHOWN])
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return f"{title} {shown}{more}"


def _shown_id(row: TableRow) -> str:
    value = row.segment_id
    id_like = re.fullmatch(r"[A-Za-z0-9_-]{1,20}", value) is not None and any(c.isdigit() for c in value)
    return f"{value!r} (table row {row.number})" if id_like else f"table row {row.number}"  # never a name


def words_changed(before: str, after: str) -> int:
    """Words replaced, inserted or deleted between two texts (a word-level diff)."""
    a, b = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
