"""Consent stage: what each respondent agreed to. No consent for transcription, no processing."""

from __future__ import annotations

from typing import Any

from tasks.core.catalog.consent import PERMISSIONS, Consent, read_consents, row_problems
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.manifest import Outcome
from tasks.core.sheets import write_csv
from tasks.core.study import Study


class ConsentStage:
    """Per respondent: consented (and for what), missing, incomplete, refused or withdrawn."""

    name = "consent"
    version = "1"

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        log = read_consents(study)
        return {"row": log.raw.get(respondent_id), "error": log.errors.get(respondent_id)}

    def row_problems(self, study: Study, known: set[str]) -> list[str]:
        """consent.csv rows that belong to no respondent."""
        return row_problems(study, known)

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
        # however the withdrawal was recorded (by `withdraw` or by hand in consent.csv), this run
        # removes what was derived from the respondent's interview
        return Outcome("excluded", f"withdrawn on {consent.withdrawn_on.isoformat()}", meta=meta, forgets_later=True)
    if state == "refused":
        refused = [name for name in ("recording", "transcription") if getattr(consent, name) is False]
        return Outcome("excluded", f"no consent for {' and '.join(refused)}", meta=meta, forgets_later=True)
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

    def inputs(self, study: Study) -> dict[str, Any]:
        log = read_consents(study)
        return {"rows": log.raw, "respondents": respondent_ids(study)}

    def run(self, study: Study) -> Outcome:
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
        path = write_csv(frame, study.catalog.consent_table)
        counts = frame["state"].value_counts().to_dict()
        return Outcome("done", "", outputs=(path,), counts={str(k): int(v) for k, v in counts.items()})


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


STAGE = ConsentStage()
REPORT = ConsentReport()
