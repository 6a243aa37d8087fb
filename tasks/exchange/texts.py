"""The segment texts that leave the study in an export: pseudonymised where consent or the study asks."""

from __future__ import annotations

from tasks.core.study import Study
from tasks.core.transcripts import Transcript


def needs_pseudonyms(study: Study, rid: str) -> bool:
    """True when the respondent asked for anonymity or the study pseudonymises everyone."""
    from tasks.consent import consent_of

    if study.config.privacy.anonymize_all:
        return True
    consent = consent_of(study, rid)
    return bool(consent is not None and consent.anonymize)


def export_texts(study: Study, transcript: Transcript) -> list[str]:
    """The segment texts as they may leave the study.

    Respondents who asked for anonymity (or all, with `privacy.anonymize_all`) are pseudonymised
    fully; for the others the values of recruitment.csv's personal columns are still replaced,
    because those never leave that file.
    """
    from tasks.pseudonymise import pseudonymise_texts, strip_personal

    rid = transcript.respondent_id
    texts = [segment.text for segment in transcript.segments]
    if needs_pseudonyms(study, rid):
        return pseudonymise_texts(study, rid, texts)  # the key file: save_key once the export is written
    return [strip_personal(study, rid, text) for text in texts]
