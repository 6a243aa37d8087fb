"""The review document: what the respondent receives (cover text, then the transcript as a table).

It is the only file in `out/` that may hold the respondent's name (the `{name}` placeholder of the
cover text, read straight from the recruitment file). When it was first exported is kept in
`out/04_review/sent/<id>.json`, without personal data, for "sent DATE (N days ago)".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tasks.core.errors import ConfigError
from tasks.core.files import fingerprint, read_json, write_json
from tasks.core.manifest import hash_cache
from tasks.core.study import Study
from tasks.core.tables import read_table
from tasks.core.texts import Texts
from tasks.core.transcripts import LOW_CONFIDENCE, Segment, Transcript
from tasks.core.wordml import SegmentDocument, build_segment_document, save_document

VERSION = "3"  # 2: A4, the study's language on the text, columns sized to their content; 3: speakers shown
PLACEHOLDERS = ("due_date", "respondent_id", "name", "sent_date", "title")


@dataclass(frozen=True)
class Sent:
    outbox: Path
    state_file: Path
    sent_on: dt.date
    due_on: dt.date


def export_review(study: Study, rid: str, draft: Transcript, draft_sha256: str | None, today: dt.date) -> Sent:
    """Write the review document unless an identical, untouched one is already in the outbox."""
    outbox, state_file = study.catalog.outbox(rid), study.catalog.sent(rid)
    state = read_json(state_file) if state_file.is_file() else {}
    settings = study.config.review
    key = fingerprint([VERSION, draft_sha256, settings.cover_text, settings.respond_within_days,
                       study.language, study.config.study.language, study.config.study.title])
    sent_on = dt.date.fromisoformat(state["sent_on"]) if "sent_on" in state else today
    due_on = sent_on + dt.timedelta(days=settings.respond_within_days)
    current = hash_cache(study).digest(outbox)
    if current is None or state.get("export_key") != key or state.get("outbox_sha256") != current:
        document = build_segment_document(review_document(study, rid, draft, sent_on, due_on))
        save_document(document, outbox)
        state = {"respondent_id": rid, "sent_on": sent_on.isoformat(), "due_on": due_on.isoformat(),
                 "export_key": key, "outbox_sha256": hash_cache(study).digest(outbox)}
        write_json(state_file, state)
    return Sent(outbox, state_file, sent_on, due_on)


def review_document(study: Study, rid: str, draft: Transcript, sent_on: dt.date, due_on: dt.date) -> SegmentDocument:
    tx = Texts(study.config.study.language)
    values = {
        "due_date": long_date(due_on, tx.language),
        "sent_date": long_date(sent_on, tx.language),
        "respondent_id": rid,
        "name": respondent_name(study, rid) or rid,
        "title": study.config.study.title,
    }
    cover = cover_text(study.config.review.cover_text or tx("review.cover"), values)
    speakers = {"interviewer": tx("speaker.interviewer"), "respondent": tx("speaker.respondent"), "unknown": ""}
    rows = tuple(
        (s.segment_id, clock(s.start), speaker_shown(s, speakers), s.text.strip()) for s in draft.segments
    )
    flags = draft.meta.get("flags") or {}  # the transcription's integrity flags: loops, silence, unsure words
    flagged = frozenset(i for i, s in enumerate(draft.segments) if flags.get(s.segment_id))
    return SegmentDocument(
        title=f"{tx('review.heading')}: {rid}",
        intro=(study.config.study.title, *cover, tx("review.speakers"), *([tx("review.flagged")] if flagged else [])),
        highlighted=flagged,
        columns=(tx("review.segment"), tx("review.time"), tx("review.speaker"), tx("review.text")),
        rows=rows,
        language=tx.locale,
    )


def speaker_shown(segment: Segment, labels: dict[str, str]) -> str:
    """The speaker's label, marked "(?)" where it was found with low confidence (importer.speaker_written reads it back)."""
    label = labels.get(segment.speaker, segment.speaker)
    unsure = label and segment.speaker_confidence is not None and segment.speaker_confidence < LOW_CONFIDENCE
    return f"{label} (?)" if unsure else label


def cover_text(template: str, values: dict[str, str]) -> tuple[str, ...]:
    """Fill the placeholders; blank lines separate paragraphs, single line breaks are spaces."""
    try:
        text = template.format_map(values)
    except (KeyError, IndexError, ValueError) as error:
        shown = f" {{{error.args[0]}}}" if isinstance(error, KeyError) else ""
        raise ConfigError(
            f"config/study.yaml: review.cover_text: unknown or malformed placeholder{shown}; "
            f"use {', '.join('{' + p + '}' for p in PLACEHOLDERS)} (write {{{{ and }}}} for braces)"
        ) from None
    paragraphs = [" ".join(block.split()) for block in text.split("\n\n")]
    return tuple(p for p in paragraphs if p)


def respondent_name(study: Study, rid: str) -> str:
    """The `name` column of the recruitment file, read raw and used only for the review document."""
    table = read_table(study.catalog.recruitment_file, study.catalog.recruitment_file.name, ("respondent_id",))
    return next((row.get("name") for row in table.rows if row.get("respondent_id") == rid), "")


def long_date(day: dt.date, language: str) -> str:
    """"3 april 2024" in the study's language (ISO where its month names are not known)."""
    return Texts(language).date(day)


def clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
