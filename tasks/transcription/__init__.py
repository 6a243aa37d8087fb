"""Transcription: each consented respondent"s recording becomes a draft transcript (Whisper, offline).

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.transcription.stage import STAGE

__all__ = ["STAGE"]
