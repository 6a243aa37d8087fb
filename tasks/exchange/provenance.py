"""Who made each exported element and when, from the study's records, never from the clock.

Clients such as QualCoder read `creatingUser` and `creationDateTime` of every note, source,
selection and coding and fail without them, so the export gives them all. The dates come from
what the study recorded: a source was created when its transcript was made (the transcription
manifest) and modified when it was approved (reviews.csv); a coding when the researcher's codings
file was last saved; a relation's note when config/codebook.yaml was. Unchanged records give
unchanged dates, so exporting unchanged data twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tasks.core.manifest import load_manifest
from tasks.core.study import Study
from tasks.core.transcripts import Transcript

# The file each kind of coding (the `source` column of the normalised codings) was read from.
CODING_FILES = {"csv": (".csv", ".xlsx"), "docx": (".docx",), "suggestion": (".suggestions.csv",)}
EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # when a record holds no date at all


@dataclass(frozen=True)
class Made:
    """When an element was created and last modified (UTC, whole seconds)."""

    created: dt.datetime
    modified: dt.datetime

    @classmethod
    def at(cls, moment: dt.datetime) -> Made:
        return cls(moment, moment)

    def attributes(self, user: str) -> dict[str, str]:
        """The attributes of a source, selection or note: creator and modifier, both dates."""
        return {
            "creatingUser": user,
            "creationDateTime": stamp(self.created),
            "modifyingUser": user,
            "modifiedDateTime": stamp(self.modified),
        }


def stamp(moment: dt.datetime) -> str:
    """xsd:dateTime in UTC with a `Z`, as REFI-QDA's examples and every client write it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def overall(moments: list[Made]) -> Made:
    """From the earliest creation to the latest modification (the project's own dates)."""
    if not moments:
        return Made.at(EPOCH)
    return Made(min(m.created for m in moments), max(m.modified for m in moments))


def file_time(path: Path) -> dt.datetime | None:
    """The file's modification time in whole seconds, None when it is not there."""
    try:
        seconds = int(path.stat().st_mtime)
    except OSError:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def source_made(study: Study, transcript: Transcript) -> Made:
    """Created when transcribed, modified when approved (never before it was created)."""
    rid = transcript.respondent_id
    approved = _day(transcript.meta.get("decided_on"))
    manifest = load_manifest(study, "transcription", rid)
    transcribed = _moment(manifest.finished_at) if manifest is not None else None
    created = transcribed or approved or file_time(study.catalog.approved(rid)) or EPOCH
    return Made(created, max(created, approved or created))


@dataclass(frozen=True)
class CodingTimes:
    """When each kind of a respondent's codings was saved (csv, docx, suggestion)."""

    files: dict[str, dt.datetime]
    fallback: dt.datetime  # the normalised codings file: for a kind whose file is gone

    def of(self, kind: str) -> Made:
        return Made.at(self.files.get(kind, self.fallback))


def coding_times(study: Study, rid: str) -> CodingTimes:
    """The times of the respondent's codings files (codings/<id>.csv, .xlsx, .docx, .suggestions.csv)."""
    files: dict[str, dt.datetime] = {}
    for kind, suffixes in CODING_FILES.items():
        found = [t for t in (file_time(study.catalog.codings(rid, s)) for s in suffixes) if t is not None]
        if found:
            files[kind] = max(found)
    return CodingTimes(files, file_time(study.catalog.coded(rid)) or EPOCH)


def codebook_made(study: Study) -> Made:
    return Made.at(file_time(study.catalog.config_file("codebook.yaml")) or EPOCH)


def _day(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.combine(dt.date.fromisoformat(str(value)), dt.time(), dt.UTC)
    except ValueError:
        return None


def _moment(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).replace(microsecond=0)
