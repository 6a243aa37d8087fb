"""Aggregation (whole study): results tables, workbook, agreement, methods appendix and the Word report.

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.aggregation.stage import STAGE

__all__ = ["STAGE"]
