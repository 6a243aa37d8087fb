"""Review stage: the member check. The respondent reads the transcript in Word, then approves it
(with or without corrections) or declines its use. The approved transcript is the one coding reads.

Per respondent: export the review document to `out/04_review/outbox/<id>.docx`; wait for the
returned file (`review/returned/<id>.docx`) and the decision in `reviews.csv`; then write
`out/04_review/approved/<id>.json` (frozen: a later change of the draft never replaces it),
`<id>.changes.csv` and `<id>.notes.csv`. A declined transcript excludes the respondent and removes
their derived data, as a withdrawal does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from tasks.core.catalog.reviews import Decision, decision_of, read_reviews, row_problems
from tasks.core.errors import InputError
from tasks.core.files import fingerprint
from tasks.core.manifest import Manifest, Outcome, hash_cache
from tasks.core.sheets import write_csv
from tasks.core.study import Study
from tasks.core.transcripts import Transcript, load_transcript, save_transcript
from tasks.review.export import export_review
from tasks.review.importer import Imported, import_returned, unchanged
from tasks.review.speakers import assign


def today() -> dt.date:
    """The current date (one place, so that tests can fix it)."""
    return dt.date.today()


class ReviewStage:
    """Per respondent: review document out, returned document and decision in, approved transcript."""

    name = "review"
    version = "1"

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        log = read_reviews(study)
        hashes = hash_cache(study)
        return {
            "draft": hashes.digest(study.catalog.draft(respondent_id)),
            "returned": hashes.digest(study.catalog.returned_review(respondent_id)),
            "decision": log.raw.get(respondent_id),
            "duplicate": log.errors.get(respondent_id),
            "settings": study.config.review.model_dump(exclude={"delete_recording_on_withdrawal"}),
            "language": study.language,
            "title": study.config.study.title,
            "guide": fingerprint(study.guide.model_dump(mode="json")),
        }

    def run(self, study: Study, respondent_id: str) -> Outcome:
        rid = respondent_id
        draft_file = study.catalog.draft(rid)
        draft = load_transcript(draft_file, study.catalog.relative(draft_file))
        decision = decision_of(study, rid)
        if decision is not None and decision.value == "declined":
            return decline(study, rid, decision)
        if decision is None:
            return await_decision(study, rid, draft)
        return approve(study, rid, draft, decision)

    def row_problems(self, study: Study, known: set[str]) -> list[str]:
        """reviews.csv rows and returned documents that belong to no respondent."""
        return row_problems(study, known)

    def live_detail(self, study: Study, respondent_id: str, manifest: Manifest) -> str:
        """The stored detail, with "N days ago" counted to today rather than to the last run."""
        sent_on = manifest.meta.get("sent_on")
        if manifest.status != "waiting" or not manifest.detail.startswith("respondent:") or not sent_on:
            return manifest.detail
        return respondent_detail(study, respondent_id, dt.date.fromisoformat(sent_on), manifest.meta["due_on"])


def await_decision(study: Study, rid: str, draft: Transcript) -> Outcome:
    sent = export_review(study, rid, draft, hash_cache(study).digest(study.catalog.draft(rid)), today())
    meta = {"sent_on": sent.sent_on.isoformat(), "due_on": sent.due_on.isoformat()}
    outputs = (sent.outbox, sent.state_file)
    returned = study.catalog.returned_review(rid)
    if not returned.is_file():
        return Outcome("waiting", respondent_detail(study, rid, sent.sent_on, meta["due_on"]), outputs, meta=meta)
    imported = _import(study, rid, draft)
    return Outcome(
        "waiting",
        f"researcher: returned, decision missing in {read_reviews(study).label} ({summary(imported)}); "
        f"add a row for {rid} with approved, approved_with_changes or declined",
        outputs,
        meta=meta,
    )


def respondent_detail(study: Study, rid: str, sent_on: dt.date, due_on: str) -> str:
    days = (today() - sent_on).days
    ago = "today" if days <= 0 else ("1 day ago" if days == 1 else f"{days} days ago")
    late = (today() - dt.date.fromisoformat(due_on)).days
    overdue = f", {late} day{'s' if late != 1 else ''} past the due date" if late > 0 else ""
    return (
        f"respondent: review sent {sent_on.isoformat()} ({ago}{overdue}); save the returned file as "
        f"review/returned/{rid}.docx and record the decision in {read_reviews(study).label}"
    )


def approve(study: Study, rid: str, draft: Transcript, decision: Decision) -> Outcome:
    target = study.catalog.approved(rid)
    draft_sha = hash_cache(study).digest(study.catalog.draft(rid))
    outputs = (target, study.catalog.changes(rid), study.catalog.notes(rid))
    if target.is_file():
        kept = load_transcript(target, study.catalog.relative(target))
        if kept.meta.get("draft_sha256") != draft_sha:
            return Outcome("done", frozen_detail(study, rid, kept), tuple(p for p in outputs if p.is_file()))
    returned = study.catalog.returned_review(rid)
    if decision.value == "approved_with_changes":
        if not returned.is_file():
            raise InputError(
                f"{decision.where}: approved_with_changes for {rid} but review/returned/{rid}.docx is missing; "
                "save the returned document there, or write approved if nothing was changed"
            )
        imported = _import(study, rid, draft)
    else:
        imported = _import(study, rid, draft) if returned.is_file() else unchanged(draft)
        if imported.changes:
            raise InputError(
                f"{decision.where}: decision approved, but review/returned/{rid}.docx changes "
                f"{_count(len(imported.changes), 'segment')}; write approved_with_changes to take them over, "
                "or remove the returned file to approve the draft as it is"
            )
    tidy = tuple(dataclasses.replace(s, text=" ".join(s.text.split())) for s in imported.segments)
    segments = assign(tidy, study.guide, imported.explicit)
    meta = {
        **draft.meta,
        "decision": decision.value,
        "decided_on": decision.decided_on.isoformat(),
        "draft_sha256": draft_sha,
        "review_notes": [dataclasses.asdict(note) for note in imported.notes],
    }
    save_transcript(target, Transcript(rid, segments, meta))
    _write_csv(outputs[1], [dataclasses.asdict(c) for c in imported.changes], ["segment_id", "before", "after", "words_changed"])
    _write_csv(outputs[2], [dataclasses.asdict(n) for n in imported.notes], ["segment_id", "text"])
    counts = {"segments": len(segments), "corrected": len(imported.changes), "comments": imported.comments}
    return Outcome("done", approved_detail(decision.value, decision.decided_on.isoformat(), imported), outputs, counts)


def approved_detail(value: str, decided_on: str, imported: Imported) -> str:
    if value == "approved":
        comments = f", {_count(imported.comments, 'comment')}" if imported.comments else ""
        return f"approved {decided_on}{comments}"
    return f"approved with changes {decided_on}: {summary(imported)}"


def summary(imported: Imported) -> str:
    struck = f" ({imported.struck} struck)" if imported.struck else ""
    corrected = _count(len(imported.changes), "segment")
    return f"{corrected} corrected{struck}, {_count(imported.comments, 'comment')}"


def frozen_detail(study: Study, rid: str, kept: Transcript) -> str:
    value = str(kept.meta.get("decision", "approved")).replace("_", " ")
    return (
        f"{value} {kept.meta.get('decided_on', '')}; the draft transcript changed after approval and is not used: "
        f"the approved one is kept; to have the new draft reviewed, delete {study.catalog.relative(study.catalog.approved(rid))} "
        f"and {rid}'s row in {read_reviews(study).label}, then run again"
    )


def decline(study: Study, rid: str, decision: Decision) -> Outcome:
    """Exclude the respondent; the engine removes their derived data from transcription on and marks
    the transcription excluded (not deleted-and-pending), so that the next run does not transcribe
    the recording again."""
    return Outcome("excluded", f"declined at review on {decision.decided_on.isoformat()}", retracts="transcription")


def _import(study: Study, rid: str, draft: Transcript) -> Imported:
    returned = study.catalog.returned_review(rid)
    return import_returned(returned, study.catalog.relative(returned), draft, study.catalog.relative(study.catalog.outbox(rid)))


def _write_csv(path: Path, records: list[dict[str, Any]], columns: list[str]) -> None:
    import pandas as pd  # here, not at import: `status` imports this module

    write_csv(pd.DataFrame.from_records(records, columns=columns), path)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


STAGE = ReviewStage()
