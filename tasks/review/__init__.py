"""Review (member check): the draft goes to the respondent in Word and comes back approved, corrected or declined.

This module declares the stage (cheap to import: `status` reads it); `stage.py` and its
neighbours do the work."""

from tasks.review.stage import STAGE

__all__ = ["STAGE"]
