"""Respondent and segment identifiers, checked before they can reach a file path."""

from __future__ import annotations

import re

from tasks.core.errors import InputError, where
from tasks.core.layout import RESERVED

RESPONDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
SEGMENT_ID = re.compile(r"(?P<respondent>[A-Za-z0-9][A-Za-z0-9_-]{0,31})-(?P<number>[0-9]{4})")


def is_respondent_id(value: str) -> bool:
    return RESPONDENT_ID.fullmatch(value) is not None and value.lower() not in RESERVED


def check_respondent_id(value: object, where: str = "respondent id") -> str:
    """Return `value` as a respondent id, or raise naming `where` and the rule.

    The offending value is shown only when it is short and could be an id (it may otherwise be
    a name typed into the wrong column, which must not reach logs).
    """
    text = "" if value is None else str(value).strip()
    if RESPONDENT_ID.fullmatch(text) and text.lower() in RESERVED:
        raise InputError(f"{where}: {text!r} is the name of one of the tool's own folders; choose another id")
    if is_respondent_id(text):
        return text
    if not text:
        problem = "the respondent id is empty"
    elif len(text) > 32:
        problem = f"the respondent id is {len(text)} characters long (at most 32)"
    elif re.fullmatch(r"[\x21-\x7e]{1,32}", text):
        problem = f"{text!r} is not a respondent id"
    else:
        problem = "the value is not a respondent id"
    raise InputError(
        f"{where}: {problem}; use letters, digits, '-' or '_' (start with a letter or digit, at most 32 characters)"
    )


def id_key(value: str) -> str:
    """The form under which two ids name one file on macOS and Windows (case-insensitive)."""
    return value.casefold()


class CaseTwins:
    """The ids of one table seen so far, to refuse one that differs from another only in case
    (R02 and r02 would share audio/R02.ogg, codings/R02.csv and out/ files on macOS and Windows)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.first: dict[str, tuple[str, int]] = {}

    def problem(self, rid: str, row: int) -> str | None:
        """The error for `rid` at `row` when an earlier row holds it in another case; else None
        (and `rid` is remembered). The same id twice is the caller's duplicate, not a twin."""
        seen = self.first.setdefault(id_key(rid), (rid, row))
        if seen[0] == rid:
            return None
        return (
            f"{where(self.label, row, 'respondent_id')}: {rid} differs from {seen[0]} (row {seen[1]}) only in case; "
            "ids must differ in more than case"
        )


def segment_id(respondent_id: str, number: int) -> str:
    return f"{respondent_id}-{number:04d}"


def segment_respondent(value: str) -> str | None:
    """The respondent id a segment id belongs to, or None when it is not a segment id."""
    match = SEGMENT_ID.fullmatch(value.strip())
    return match.group("respondent") if match else None
