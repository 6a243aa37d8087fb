"""Word files of open coding: the coding copy of an approved transcript, and the codes the
researcher wrote as comments in it.

The coding copy has the review document's layout (`tasks.core.wordml`): a table with one row per
segment (segment id, time, speaker, text). A comment anywhere in a row (or spanning several rows)
codes those segments; its text names one or more codes. Reading goes through wordml too, so
tracked changes are accepted and comments are anchored per row the same way as in the review.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx

from tasks.core.errors import InputError
from tasks.core.texts import Texts
from tasks.core.transcripts import Transcript
from tasks.core.wordml import SegmentDocument, build_segment_document, read_segment_table, save_document

__all__ = ["CommentCoding", "coding_copy", "read_comments", "save_document"]


@dataclass(frozen=True)
class CommentCoding:
    """One Word comment: its number (1-based, in the order Word stores them), the segments its
    anchor covers, its text and author."""

    number: int
    segment_ids: tuple[str, ...]
    text: str
    author: str


def coding_copy(transcript: Transcript, language: str) -> Any:
    """The approved transcript as a Word table (a python-docx Document), ready for comments, with its
    title, instructions and column headers in `language` (the study's)."""
    tx, rid = Texts(language), transcript.respondent_id
    speakers = {"interviewer": tx("speaker.interviewer"), "respondent": tx("speaker.respondent")}
    rows = tuple(
        (segment.segment_id, _clock(segment.start), speakers.get(segment.speaker, segment.speaker), segment.text)
        for segment in transcript.segments
    )
    header = tuple(tx(f"coding.{column}") for column in ("segment", "time", "speaker", "text"))
    instructions = (tx("coding.instructions", rid=rid),)
    spec = SegmentDocument(tx("coding.title", rid=rid), instructions, header, rows, language=tx.locale)
    return build_segment_document(spec)


def _clock(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 3600:d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def read_comments(path: Path, label: str) -> list[CommentCoding]:
    """Every comment of a coded copy with the segments its anchor covers."""
    table = read_segment_table(path, label, own=True)
    segments: dict[str, list[str]] = {}
    anchored = {}
    for row in table.rows:
        for comment in row.comments:
            segments.setdefault(comment.comment_id, []).append(row.segment_id)
            anchored[comment.comment_id] = comment
    found = []
    for number, cid in enumerate(_comment_ids(path), start=1):
        if cid not in anchored:
            raise InputError(
                f"{label} comment {number}: not anchored on a segment row of the transcript table; "
                "select the segment's text and add the comment there"
            )
        comment = anchored[cid]
        found.append(CommentCoding(number, tuple(dict.fromkeys(segments[cid])), comment.text, comment.author))
    return found


def _comment_ids(path: Path) -> list[str]:
    """Every comment's id in the order Word stores them (so that messages can number them)."""
    try:
        return [str(comment.comment_id) for comment in docx.Document(str(path)).comments]
    except Exception:  # noqa: BLE001 - wordml has checked the file already; no comments part is fine
        return []
