"""Respondents as REFI-QDA Cases, each linked to its source, with typed Variables.

The variables are the recruitment channel, the interview mode and the declared attributes (text),
the interview date (a date), the length of the recording (a number) and the study's extra
`keep_columns` (typed by their values: integers, decimals and ISO dates as such, anything else as
text). Personal columns never leave.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from tasks.core.catalog.recruitment import Recruit, recruit
from tasks.core.study import Study
from tasks.core.transcripts import Transcript
from tasks.exchange.common import PROJECT_NS, Guids

P = f"{{{PROJECT_NS}}}"
VALUE_ELEMENTS = {"Text": "TextValue", "Integer": "IntegerValue", "Float": "FloatValue", "Date": "DateValue"}
INTEGER = re.compile(r"[+-]?[0-9]+")
DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str  # a REFI-QDA typeOfVariable: Text, Integer, Float or Date
    description: str
    values: dict[str, str]  # respondent id -> the value as its XSD type writes it


def study_variables(study: Study, transcripts: list[Transcript]) -> list[Variable]:
    """The variables of the exported respondents, in a fixed order; empty values left out."""
    rids = [t.respondent_id for t in transcripts]
    records = {rid: recruit(study, rid) for rid in rids}
    personal = set(study.config.recruitment.personal_columns)
    vocabularies = ("channel", "interview_mode", *study.config.attribute_names())
    found: list[Variable] = []
    for name in vocabularies:
        if name not in personal:
            values = _values(records, name)
            found.append(Variable(name, "Text", _described(study, name), values))
    if "interview_date" not in personal:
        dates = _present({rid: r.interview_date.isoformat() for rid, r in records.items() if r and r.interview_date})
        found.append(Variable("interview_date", "Date", "recruitment.csv, column interview_date", dates))
    minutes = {t.respondent_id: _minutes(t) for t in transcripts}
    found.append(
        Variable("interview_minutes", "Integer", "length of the recording in whole minutes", _present(minutes))
    )
    for name in study.config.recruitment.keep_columns:
        if name not in personal and name not in vocabularies:
            values = _values(records, name)
            found.append(Variable(name, variable_type(list(values.values())), f"recruitment.csv, column {name}", values))
    return found


def add_variables(root: etree._Element, guids: Guids, variables: list[Variable]) -> None:
    element = etree.SubElement(root, f"{P}Variables")
    for variable in variables:
        attributes = {"guid": guids("variable", variable.name), "name": variable.name, "typeOfVariable": variable.kind}
        node = etree.SubElement(element, f"{P}Variable", attributes)
        etree.SubElement(node, f"{P}Description").text = variable.description


def add_cases(root: etree._Element, guids: Guids, rids: list[str], variables: list[Variable]) -> None:
    """One Case per respondent: its variable values, then a SourceRef to its transcript."""
    cases = etree.SubElement(root, f"{P}Cases")
    for rid in rids:
        case = etree.SubElement(cases, f"{P}Case", {"guid": guids("case", rid), "name": rid})
        for variable in variables:
            value = variable.values.get(rid)
            if value:
                holder = etree.SubElement(case, f"{P}VariableValue")
                etree.SubElement(holder, f"{P}VariableRef", {"targetGUID": guids("variable", variable.name)})
                etree.SubElement(holder, f"{P}{VALUE_ELEMENTS[variable.kind]}").text = value
        etree.SubElement(case, f"{P}SourceRef", {"targetGUID": guids("source", rid)})


def _values(records: dict[str, Recruit | None], name: str) -> dict[str, str]:
    return _present({rid: record.attribute(name).strip() for rid, record in records.items() if record is not None})


def _present(values: dict[str, str]) -> dict[str, str]:
    return {rid: value for rid, value in values.items() if value}


def _described(study: Study, name: str) -> str:
    """`interview mode (recruitment.csv, column interview_mode): online, in_person, phone`."""
    config = study.config
    text = f"{config.heading(name, study.language)} (recruitment.csv, column {name})"
    allowed = config.allowed_values(name)
    return f"{text}: {', '.join(allowed)}" if allowed else text


def _minutes(transcript: Transcript) -> str:
    try:
        seconds = float(transcript.meta.get("duration", ""))
    except (TypeError, ValueError):
        return ""
    return str(round(seconds / 60))


def variable_type(values: list[str]) -> str:
    """The narrowest REFI-QDA type every value fits; Text when any does not (or none is given)."""
    if not values:
        return "Text"
    if all(INTEGER.fullmatch(v) for v in values):
        return "Integer"
    if all(DECIMAL.fullmatch(v) for v in values):
        return "Float"
    if all(_is_date(v) for v in values):
        return "Date"
    return "Text"


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10  # 2024-03-15 only: xsd:date has no compact or week forms
