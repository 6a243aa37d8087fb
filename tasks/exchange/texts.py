"""The segment texts that leave the study in an export: pseudonymised where consent or the study asks."""

from __future__ import annotations

from tasks.core.catalog.consent import pseudonymised
from tasks.core.study import Study
from tasks.core.transcripts import Transcript
from tasks.privacy.pseudonymise import pseudonymise_texts, strip_personal


def export_texts(study: Study, transcript: Transcript) -> list[str]:
    """The segment texts as they may leave the study.

    Respondents who asked for anonymity (or all, with `privacy.anonymize_all`) are pseudonymised
    fully; for the others the values of recruitment.csv's personal columns are still replaced,
    because those never leave that file.
    """
    rid = transcript.respondent_id
    texts = [segment.text for segment in transcript.segments]
    if pseudonymised(study, rid):
        return pseudonymise_texts(study, rid, texts)  # the key file: save_key once the export is written
    return [strip_personal(study, rid, text) for text in texts]
