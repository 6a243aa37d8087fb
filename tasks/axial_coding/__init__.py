"""Axial coding (whole study): how codes and categories hang together.

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.axial_coding.stage import STAGE

__all__ = ["STAGE"]
