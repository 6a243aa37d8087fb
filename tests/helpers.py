"""Helpers for building study folders in tests."""

from __future__ import annotations

from pathlib import Path

from tasks.core.scaffold import create_study
from tasks.core.study import Study

RECRUITMENT_HEADER = (
    "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,"
    "municipality_size,role,name,email,organisation"
)
CONSENT_HEADER = "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on"


def write_study(root: Path, recruitment: list[str], consent: list[str] | None = None) -> Study:
    """A study folder from the templates, with the given CSV rows (header added)."""
    create_study(root)
    (root / "recruitment.csv").write_text("\n".join([RECRUITMENT_HEADER, *recruitment]) + "\n", encoding="utf-8")
    if consent is not None:
        (root / "consent.csv").write_text("\n".join([CONSENT_HEADER, *consent]) + "\n", encoding="utf-8")
    return Study.at(root)


