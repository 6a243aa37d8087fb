"""Consent stage: what each respondent agreed to. No consent for transcription, no processing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tasks.core.errors import InputError, StudyError, where
from tasks.core.files import atomic_path
from tasks.core.ids import check_respondent_id
from tasks.core.manifest import Outcome
from tasks.core.study import Study
from tasks.core.tables import RowLog, Row, parse_date, parse_yes_no, read_table

if TYPE_CHECKING:  # pandas costs ~0.5 s to import; status never needs it
    pass

REQUIRED = ("respondent_id", "consent_on", "recording", "transcription", "quotes", "anonymize", "withdrawn_on")
PERMISSIONS = ("recording", "transcription", "quotes", "anonymize")


@dataclass(frozen=True)
class Consent:
    respondent_id: str
    consent_on: dt.date | None
    recording: bool | None
    transcription: bool | None
    quotes: bool | None
    anonymize: bool | None
    withdrawn_on: dt.date | None

    @property
    def state(self) -> str:
        """consented | incomplete | refused | withdrawn."""
        if self.withdrawn_on is not None:
            return "withdrawn"
        if self.recording is False or self.transcription is False:
            return "refused"
        if self.consent_on is None or None in (self.recording, self.transcription, self.quotes, self.anonymize):
            return "incomplete"
        return "consented"


@dataclass
class ConsentLog(RowLog):
    consents: dict[str, Consent] = field(default_factory=dict)
    row_numbers: dict[str, int] = field(default_factory=dict)


def read_consents(study: Study) -> ConsentLog:
    cached = study._cache.get("consent_log")
    if isinstance(cached, ConsentLog):
        return cached
    path = study.consent_file
    label = path.name
    log = ConsentLog(label)
    if path.is_file():
        table = read_table(path, label, REQUIRED, per_row=True)
        for row in table.rows:
            try:
                rid = check_respondent_id(row.get("respondent_id"), where(label, row.number, "respondent_id"))
            except StudyError as error:
                log.row_errors.append(error.message)
                continue
            if rid in log.raw:
                log.errors[rid] = f"{where(label, row.number, 'respondent_id')}: {rid} appears twice; keep one row"
                continue
            log.raw[rid] = {name: row.get(name) for name in REQUIRED}
            log.row_numbers[rid] = row.number
            try:
                log.consents[rid] = _validate(label, row, rid)
            except StudyError as error:
                log.errors[rid] = error.message
    study._cache["consent_log"] = log
    return log


def _validate(label: str, row: Row, rid: str) -> Consent:
    row.check()
    n = row.number

    def flag(column: str) -> bool | None:
        text = row.get(column)
        return parse_yes_no(text, label, n, column) if text else None

    def date(column: str) -> dt.date | None:
        text = row.get(column)
        return parse_date(text, label, n, column) if text else None

    consent = Consent(
        rid,
        date("consent_on"),
        recording=flag("recording"),
        transcription=flag("transcription"),
        quotes=flag("quotes"),
        anonymize=flag("anonymize"),
        withdrawn_on=date("withdrawn_on"),
    )
    if consent.withdrawn_on and consent.consent_on and consent.withdrawn_on < consent.consent_on:
        raise InputError(f"{where(label, n, 'withdrawn_on')}: before consent_on; check both dates")
    return consent


def row_problems(study: Study, known: set[str]) -> list[str]:
    """Rows that belong to no respondent: bad ids, and ids not in the recruitment log."""
    if not study.consent_file.is_file():
        return []
    log = read_consents(study)
    unknown = [
        f"{where(log.label, number, 'respondent_id')}: {rid} is not a respondent in the recruitment log; "
        "add them there or remove the row"
        for rid, number in log.row_numbers.items()
        if rid not in known
    ]
    return log.row_errors + unknown


def consent_of(study: Study, respondent_id: str) -> Consent | None:
    """The respondent's valid consent record, or None (missing or invalid row)."""
    return read_consents(study).consents.get(respondent_id)


def may_process(study: Study, respondent_id: str) -> bool:
    """True only with recorded, complete consent for recording and transcription, not withdrawn."""
    consent = consent_of(study, respondent_id)
    return consent is not None and consent.state == "consented"


def withdrawn_ids(study: Study) -> set[str]:
    """Respondents who withdrew or refused: their data leaves every output."""
    if not study.consent_file.is_file():
        return set()
    return {rid for rid, c in read_consents(study).consents.items() if c.state in ("withdrawn", "refused")}


class ConsentStage:
    """Per respondent: consented (and for what), missing, incomplete, refused or withdrawn."""

    name = "consent"
    version = "1"

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        log = read_consents(study)
        return {"row": log.raw.get(respondent_id), "error": log.errors.get(respondent_id)}

    def run(self, study: Study, respondent_id: str) -> Outcome:
        log = read_consents(study)
        if respondent_id in log.errors:
            return Outcome("failed", log.errors[respondent_id])
        consent = log.consents.get(respondent_id)
        if consent is None:
            return Outcome(
                "waiting",
                f"researcher: no consent recorded; add a row for {respondent_id} to {log.label} once signed",
            )
        return _outcome(log.label, consent)


def _outcome(label: str, consent: Consent) -> Outcome:
    meta = {name: getattr(consent, name) for name in PERMISSIONS}
    state = consent.state
    if state == "withdrawn":
        assert consent.withdrawn_on is not None
        return Outcome("excluded", f"withdrawn on {consent.withdrawn_on.isoformat()}", meta=meta)
    if state == "refused":
        refused = [name for name in ("recording", "transcription") if getattr(consent, name) is False]
        return Outcome("excluded", f"no consent for {' and '.join(refused)}", meta=meta)
    if state == "incomplete":
        empty = [name for name in ("consent_on", *PERMISSIONS) if getattr(consent, name) is None]
        return Outcome(
            "waiting",
            f"researcher: {label} is incomplete for {consent.respondent_id} ({', '.join(empty)} empty); fill it in",
            meta=meta,
        )
    granted = [name for name in PERMISSIONS if getattr(consent, name)]
    return Outcome("done", f"consented: {', '.join(granted)}", meta=meta)


class ConsentReport:
    """out/02_consent/consent.csv: per respondent the consent state and permissions (no dates of withdrawn)."""

    name = "consent"
    version = "1"

    def inputs(self, study: Study, eligible: list[str]) -> dict[str, Any]:
        from tasks.core.roster import respondent_ids

        log = read_consents(study)
        return {"rows": log.raw, "respondents": respondent_ids(study)}

    def run(self, study: Study, eligible: list[str]) -> Outcome:
        from tasks.core.roster import respondent_ids

        log = read_consents(study)
        records = []
        for rid in respondent_ids(study):
            consent = log.consents.get(rid)
            if consent is not None and consent.state in ("withdrawn", "refused"):
                continue  # withdrawn respondents leave no trace in outputs
            state = "invalid" if rid in log.errors else ("missing" if consent is None else consent.state)
            records.append(
                {
                    "respondent_id": rid,
                    "state": state,
                    "consent_on": consent.consent_on.isoformat() if consent and consent.consent_on else "",
                    **{name: _yes_no(getattr(consent, name) if consent else None) for name in PERMISSIONS},
                }
            )
        import pandas as pd

        frame = pd.DataFrame(records, columns=["respondent_id", "state", "consent_on", *PERMISSIONS])
        path = study.stage_dir("consent") / "consent.csv"
        with atomic_path(path) as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n")
        counts = frame["state"].value_counts().to_dict()
        return Outcome("done", "", outputs=(path,), counts={str(k): int(v) for k, v in counts.items()})


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


STAGE = ConsentStage()
REPORT = ConsentReport()
