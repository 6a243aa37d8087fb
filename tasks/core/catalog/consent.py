"""The consent log as every stage reads it: what each respondent agreed to, who withdrew.

No consent for transcription, no processing; withdrawn or refused respondents leave every output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tasks.core.errors import InputError, StudyError, where
from tasks.core.study import Study
from tasks.core.tables import Row, RowLog, parse_date, parse_yes_no, read_table

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
    if study.cache.consent_log is not None:
        return study.cache.consent_log
    path = study.catalog.consent_file
    label = path.name
    log = ConsentLog(label)
    if path.exists():  # a folder or pipe of this name is refused by read_table, not taken for none
        table = read_table(path, label, REQUIRED, per_row=True)
        for row in table.rows:
            rid = log.admit(row)
            if rid is None:
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
    study.cache.consent_log = log
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
        raise InputError(
            f"{where(label, n, 'withdrawn_on')}: {consent.withdrawn_on.isoformat()} is before consent_on "
            f"{consent.consent_on.isoformat()}; a respondent withdraws after consenting: correct whichever date is wrong"
        )
    return consent


def row_problems(study: Study, known: set[str]) -> list[str]:
    """Rows that belong to no respondent: bad ids, and ids not in the recruitment log."""
    if not study.catalog.consent_file.is_file():
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
    if not study.catalog.consent_file.is_file():
        return set()
    return {rid for rid, c in read_consents(study).consents.items() if c.state in ("withdrawn", "refused")}


def pseudonymised(study: Study, respondent_id: str) -> bool:
    """Whether the respondent's published texts (quotes, exports) are pseudonymised: always when the
    study asks (`privacy.anonymize_all`), and unless consent.csv explicitly says `anonymize: no`, so
    that a missing or invalid consent row errs on the side of privacy."""
    if study.config.privacy.anonymize_all:
        return True
    consent = consent_of(study, respondent_id)
    return consent is None or consent.anonymize is not False
