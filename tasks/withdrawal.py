"""Withdrawal: a respondent leaves the study. Record it in consent.csv, remove their derived data.

What is removed: exactly what the manifests and the catalog record for the respondent (every
stage's outputs and manifests), whole-study outputs that included them (the next run writes them
again without the respondent), their lines in the study's log and the hash cache, their rows in
the pseudonymisation key (in the study folder, beside recruitment.csv). Optionally the recording.
The reason given is written only to consent.csv, the researcher's own file.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from tasks.core.catalog.consent import consent_of
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.csvedit import EditableCsv
from tasks.core.errors import InputError, where
from tasks.core.files import remove
from tasks.core.ids import check_respondent_id
from tasks.core.study import Study
from tasks.core.tables import parse_date
from tasks.protocol import PROTOCOL

REASON_COLUMN = "withdrawal_reason"
CONSENT_COLUMNS = ("respondent_id", "consent_on", "recording", "transcription", "quotes", "anonymize", "withdrawn_on")


@dataclass(frozen=True)
class Recorded:
    row: int
    withdrawn_on: dt.date
    already: bool  # withdrawn before; the earlier date is kept


@dataclass(frozen=True)
class Withdrawal:
    respondent_id: str
    recorded: Recorded
    removed: tuple[Path, ...]
    recording: Path | None
    recording_deleted: bool


def withdraw(study: Study, rid: str, on: dt.date, reason: str | None = None, delete_recording: bool = False) -> Withdrawal:
    """Record the withdrawal, remove derived data (and the recording if asked), refresh the status."""
    rid = check_respondent_id(rid, "withdraw")
    if rid not in respondent_ids(study):
        raise InputError(f"{study.catalog.recruitment_file.name}: {rid} is not a respondent in the recruitment log; check the id")
    consent = consent_of(study, rid)
    if consent is not None and consent.consent_on is not None and on < consent.consent_on:
        raise InputError(
            f"{study.catalog.consent_file.name}: {rid} consented on {consent.consent_on.isoformat()}; "
            f"a withdrawal on {on.isoformat()} cannot be earlier; check the date"
        )
    recording = study.catalog.recording(rid)  # a file, or a folder of one track per participant
    recorded = record_withdrawal(study, rid, on, reason)
    removed = remove_derived(study, rid)
    if delete_recording and recording is not None:
        shutil.rmtree(recording) if recording.is_dir() else remove(recording)
    refresh(Study(study.root), rid)
    gone = tuple(path for path in removed if not path.exists())  # not the manifests written anew
    return Withdrawal(rid, recorded, gone, recording, delete_recording and recording is not None)


def refresh(study: Study, rid: str) -> None:
    """Record the respondent's recruitment and consent anew (consent: excluded) and rewrite the
    study-level recruitment and consent tables, which leave withdrawn respondents out."""
    for stage in PROTOCOL.respondent_names[:2]:
        PROTOCOL.execute_respondent(study, stage, rid)
    for report in PROTOCOL.reports:
        PROTOCOL.execute_report(study, report)


# consent.csv -----------------------------------------------------------------------------------
def record_withdrawal(study: Study, rid: str, on: dt.date, reason: str | None = None) -> Recorded:
    """Set withdrawn_on (and withdrawal_reason) in the respondent's consent.csv row, or add a row.

    Only that row (and the header, when the reason column is new) is rewritten; delimiter, BOM,
    line endings and every other row stay byte for byte as they were. An earlier date is kept.
    """
    path = study.catalog.consent_file
    table = EditableCsv.load(path, path.name, f"{','.join(CONSENT_COLUMNS)}\n")
    id_at, date_at = table.column("respondent_id"), table.column("withdrawn_on")
    reason_at = table.add_column(REASON_COLUMN) if reason else None
    matches = table.find("respondent_id", rid)
    if len(matches) > 1:
        raise InputError(f"{where(path.name, table.row_number(matches[1]), 'respondent_id')}: {rid} appears twice; keep one row")
    index = matches[0] if matches else len(table.records)
    record = table.record(index)
    record[id_at] = record[id_at] or rid
    earlier = record[date_at].strip()
    record[date_at] = earlier or on.isoformat()
    if reason_at is not None and reason:
        record[reason_at] = " ".join(reason.split())
    if matches:
        table.replace(index, record)
    else:
        table.append(record)
    table.save(path)
    study.cache.forget()
    number = table.row_number(index)
    return Recorded(number, parse_date(earlier, path.name, number, "withdrawn_on") if earlier else on, bool(earlier))


# derived data ----------------------------------------------------------------------------------
def remove_derived(study: Study, rid: str) -> list[Path]:
    """Delete what the manifests and the catalog record for the respondent; returns what was removed."""
    return PROTOCOL.forget(study, rid, PROTOCOL.respondent_names[0])
