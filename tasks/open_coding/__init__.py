"""Open coding: the researcher"s codes (CSV or Word comments) on the approved transcript"s segments.

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.open_coding.stage import STAGE

__all__ = ["STAGE"]
