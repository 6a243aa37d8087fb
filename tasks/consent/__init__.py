"""Consent: what each respondent agreed to; no consent for transcription, no processing.

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.consent.stage import REPORT, STAGE

__all__ = ["REPORT", "STAGE"]
