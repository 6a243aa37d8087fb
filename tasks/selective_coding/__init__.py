"""Selective coding (whole study): one core category and the others integrated around it.

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.selective_coding.stage import STAGE

__all__ = ["STAGE"]
