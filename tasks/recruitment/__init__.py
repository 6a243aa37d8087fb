"""Recruitment: each respondent"s row of the recruitment log checked; the sampling and channel reports.

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.recruitment.stage import REPORT, STAGE

__all__ = ["REPORT", "STAGE"]
