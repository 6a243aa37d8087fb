"""The COREQ checklist (Tong, Sainsbury & Craig 2007): its 32 items by domain, and where each answer
comes from: the study's records, the researcher's `methods:` section of config/study.yaml, or both.

An item is answered when every source it needs has spoken; otherwise it is missing, and the config
keys that would answer it are named (`methods.interviewers.0.gender`), so that the appendix can list
them in one place. The records always answer (even if only "none recorded"); a config key left out
is what makes an item missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tasks.core.config import Interviewer, MethodsSection

Source = Literal["records", "config", "both"]


@dataclass(frozen=True)
class Item:
    number: int
    records: bool  # the records answer (part of) it
    key: str | None = None  # the methods key that answers (the rest of) it
    required: bool = True  # False: the key only adds to the records' answer

    def source(self) -> Source:
        if self.key is None or not self.required:
            return "records"
        return "both" if self.records else "config"


# Items 1-5 are answered per interviewer, by these fields of methods.interviewers.
INTERVIEWER_FIELDS = {1: "initials", 2: "credentials", 3: "occupation", 4: "gender", 5: "experience"}
ITEMS: list[Item] = [
    *(Item(number, False, field) for number, field in INTERVIEWER_FIELDS.items()),
    Item(6, False, "relationship"),
    Item(7, False, "participant_knowledge"),
    Item(8, False, "interviewer_characteristics"),
    Item(9, False, "orientation"),
    Item(10, False, "sampling"),
    Item(11, True, "approach"),
    Item(12, True),
    Item(13, True, "non_participation"),
    Item(14, True, "setting"),
    Item(15, False, "others_present"),
    Item(16, True),
    Item(17, True, "interview_guide"),
    Item(18, False, "repeat_interviews"),
    Item(19, True),
    Item(20, False, "field_notes"),
    Item(21, True),
    Item(22, False, "data_saturation"),
    Item(23, True),
    Item(24, True),
    Item(25, True, "coding_tree", required=False),
    Item(26, False, "derivation_of_themes"),
    Item(27, True, "software", required=False),
    Item(28, False, "participant_checking"),
    Item(29, True),
    Item(30, False, "consistency"),
    Item(31, True, "major_themes"),
    Item(32, True, "minor_themes"),
]
DOMAINS: list[tuple[int, list[int]]] = [(1, list(range(1, 9))), (2, list(range(9, 24))), (3, list(range(24, 33)))]


def answers(methods: MethodsSection, item: Item) -> list[tuple[str, str]]:
    """The config's answers to `item`: (interviewer's initials or "", text), in the order given."""
    if item.number in INTERVIEWER_FIELDS:
        return [(who.initials, text) for who in methods.interviewers if (text := _field(who, item.number))]
    value = getattr(methods, item.key) if item.key else None
    return [("", value)] if value else []


def missing(methods: MethodsSection) -> dict[int, list[str]]:
    """Item number -> the config keys still to fill, for every item not yet answered, in item order."""
    found: dict[int, list[str]] = {}
    for item in ITEMS:
        if item.key is None or not item.required:
            continue
        if item.number in INTERVIEWER_FIELDS:
            keys = [f"methods.interviewers.{i}.{item.key}" for i, who in enumerate(methods.interviewers) if not _field(who, item.number)]
            if not methods.interviewers:
                keys = [f"methods.interviewers.0.{item.key}"]
        else:
            keys = [] if getattr(methods, item.key) else [f"methods.{item.key}"]
        if keys:
            found[item.number] = keys
    return found


def _field(interviewer: Interviewer, number: int) -> str | None:
    value: str | None = getattr(interviewer, INTERVIEWER_FIELDS[number])
    return value
