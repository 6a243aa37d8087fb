"""The methods appendix (`out/results/methods.docx`): the COREQ checklist (Tong et al. 2007), its
32 items answered from the study's records and from the `methods:` section of config/study.yaml
(tasks.aggregation.coreq says which item needs which), in the study's language (tasks.core.texts).
An item nobody answered yet is marked in yellow and listed, with the keys to fill, at the end.

The records are files the pipeline already keeps: recruitment log, consent, reviews, the approved
transcripts' metadata, the normalised codings and the codebook. Respondents appear by id only; no
names, e-mail addresses or organisations.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX

from tasks.aggregation.coreq import DOMAINS, ITEMS, Item, answers, missing
from tasks.aggregation.records import Facts, gather
from tasks.aggregation.word import grid, new_document
from tasks.core.files import write_office
from tasks.core.study import Study
from tasks.core.texts import Texts, readable


@dataclass(frozen=True)
class Appendix:
    """The document being written, with what its answers draw on."""

    document: docx.document.Document
    study: Study
    facts: Facts
    tx: Texts

    def say(self, key: str, **values: object) -> None:
        self.document.add_paragraph(self.tx(key, **values))

    def item(self, item: Item, keys: list[str]) -> None:
        """The item's heading as COREQ numbers it, then the records' answer, the config's, or a marker."""
        self.document.add_heading(f"{item.number}. {self.tx(f'coreq.{item.number}')}", level=3)
        answer = ANSWERS.get(item.number)
        if answer is not None:
            answer(self)
        several = len(self.study.config.methods.interviewers) > 1 and item.number != 1
        for who, text in answers(self.study.config.methods, item):
            self.document.add_paragraph(f"{who}: {text}" if who and several else text)
        if keys:
            self.todo(item.number, keys)

    def todo(self, item: int, keys: list[str]) -> None:
        """The item's question and the keys that answer it, marked in yellow for the researcher."""
        text = self.tx("methods.todo", what=self.tx(f"coreq.todo.{item}"), keys=", ".join(keys))
        run = self.document.add_paragraph().add_run(text)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def counted(self, counter: Counter[str], vocabulary: str = "") -> str:
        return counted(counter, self.tx, self.label(vocabulary))

    def label(self, vocabulary: str) -> Callable[[str], str]:
        config, language = self.study.config, self.tx.code
        if vocabulary == "decision":
            return lambda value: self.tx.get(f"decision.{value}", value)
        if vocabulary:
            return lambda value: self.tx("unknown") if value == "unknown" else readable(config.label(vocabulary, value, language), value)
        return lambda value: value


def methods_document(study: Study, eligible: list[str], facts: Facts | None = None) -> docx.document.Document:
    """The appendix as a Word document: the COREQ items by domain, answered from the records and the
    config's `methods:` section, or marked for the researcher; a closing section lists what is missing.

    `facts`: gather(study, eligible) when the caller has it already (the report uses it too).
    """
    facts = facts if facts is not None else gather(study, eligible)
    tx = Texts(study.config.study.language)
    appendix = Appendix(new_document(tx.locale), study, facts, tx)
    document = appendix.document
    document.add_heading(tx("methods.title"), level=1)
    appendix.say("methods.intro", title=study.config.study.title)
    still = missing(study.config.methods)
    for domain, numbers in DOMAINS:
        document.add_heading(tx(f"coreq.domain.{domain}"), level=2)
        for number in numbers:
            appendix.item(BY_NUMBER[number], still.get(number, []))
    _completeness(appendix, still)
    return document


def write_methods(study: Study, eligible: list[str], facts: Facts | None = None) -> Path:
    """Save the appendix as out/results/methods.docx (atomically); returns its path."""
    path = study.catalog.result("methods.docx")
    document = methods_document(study, eligible, facts)
    return write_office(path, document.save)


def key_facts(facts: Facts, study: Study) -> list[str]:
    """The COREQ answers the records give, one line each, for the report's methods section."""
    tx = Texts(study.config.study.language)
    appendix = Appendix(new_document(tx.locale), study, facts, tx)
    n = len(facts.eligible)
    held = tx("facts.held", first=tx.date(facts.dates[0]), last=tx.date(facts.dates[-1])) if facts.dates else ""
    lines = [
        tx("facts.participants", interviews=len(facts.interviewed), n=n, contacted=facts.contacted, responded=facts.responded),
        tx("facts.withdrew", withdrawn=tx.listing(_withdrawn(facts, tx)), declined=tx.listing(_declined(facts, tx))),
        tx("facts.setting", modes=appendix.counted(facts.modes, "interview_mode"), held=held),
    ]
    if facts.minutes:
        values = list(facts.minutes.values())
        low, high = _minutes(min(values), tx), _minutes(max(values), tx)
        lines.append(tx("facts.duration", median=_minutes(statistics.median(values), tx), low=low, high=high))
    decisions = Counter(value for value, _ in facts.decisions.values())
    lines.append(tx("facts.returned", decisions=appendix.counted(decisions, "decision")))
    agreement = _agreement(facts, tx) if facts.agreement else tx("facts.no_agreement")
    lines.append(tx("facts.coders", count=len(facts.coders), agreement=agreement))
    lines.append(tx("facts.quotes", allowed=facts.quotes_allowed, n=n, anonymity=facts.anonymity))
    still = missing(study.config.methods)
    if still:
        lines.append(tx("facts.coreq_missing", answered=len(ITEMS) - len(still), total=len(ITEMS), items=", ".join(map(str, still))))
    else:
        lines.append(tx("facts.coreq_complete", total=len(ITEMS)))
    return lines


def counted(counter: Counter[str], tx: Texts, label: Callable[[str], str] = str) -> str:
    """"online (12), op locatie (1)": labels with their counts, most frequent first."""
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{label(value)} ({n})" for value, n in ordered) or tx("none_recorded")


def _withdrawn(facts: Facts, tx: Texts) -> list[str]:
    return [f"{rid} ({tx.date(on)})" for rid, on in facts.withdrawn]


def _declined(facts: Facts, tx: Texts) -> list[str]:
    return [f"{rid} ({tx.date(on)})" for rid, (value, on) in sorted(facts.decisions.items()) if value == "declined"]


def _agreement(facts: Facts, tx: Texts) -> str:
    found = facts.agreement

    def number(value: float) -> str:
        return tx("undefined") if math.isnan(value) else tx.number(value)

    return tx(
        "methods.agreement", respondents=int(found["respondents"]), segments=int(found["segments"]),
        codes=int(found["codes"]), percent=tx.percent(found["percent_agreement"]), kappa=number(found["kappa"]),
        alpha=number(found["alpha"]),
    )


def _minutes(value: float, tx: Texts) -> str:
    """Whole minutes for interviews of real length, tenths for short recordings (1.2, not 1)."""
    return tx.number(value, 0 if value >= 10 else 1)


def _approach(a: Appendix) -> None:
    a.say("methods.channels", counts=a.counted(a.facts.channels, "channel"))
    a.say("methods.contacted", contacted=a.facts.contacted, responded=a.facts.responded)


def _size(a: Appendix) -> None:
    ids = ", ".join(a.facts.eligible) or a.tx("methods.none_yet")
    a.say("methods.size", interviews=len(a.facts.interviewed), n=len(a.facts.eligible), ids=ids)


def _non_participation(a: Appendix) -> None:
    tx, facts = a.tx, a.facts
    a.say("methods.no_response", count=facts.contacted - facts.responded)
    a.say("methods.refused", ids=tx.listing(facts.refused))
    a.say("methods.withdrew", ids=tx.listing(_withdrawn(facts, tx)))
    a.say("methods.declined", ids=tx.listing(_declined(facts, tx)))


def _setting(a: Appendix) -> None:
    a.say("methods.mode", counts=a.counted(a.facts.modes, "interview_mode"))


def _sample(a: Appendix) -> None:
    config, language = a.study.config, a.tx.code
    described = []
    for name, values in a.facts.attributes.items():
        heading = config.heading(name, language)
        described.append(a.tx("methods.attribute", heading=heading[:1].upper() + heading[1:], counts=a.counted(values, name)))
    if described:
        a.document.add_paragraph(" ".join(described))
    if a.facts.dates:
        a.say("methods.held", first=a.tx.date(a.facts.dates[0]), last=a.tx.date(a.facts.dates[-1]))


def _guide(a: Appendix) -> None:
    questions, topics = len(a.study.guide.questions), len(a.study.guide.topics)
    a.say(
        "methods.guide",
        questions=a.tx("methods.question" if questions == 1 else "methods.questions", count=questions),
        topics=a.tx("methods.topic" if topics == 1 else "methods.topics", count=topics),
    )


def _recording(a: Appendix) -> None:
    a.say("methods.recording")


def _software(a: Appendix) -> None:
    a.say("methods.software", engines=a.counted(a.facts.engines))


def _duration(a: Appendix) -> None:
    minutes, tx = a.facts.minutes, a.tx
    if not minutes:
        a.say("methods.no_durations")
        return
    values = list(minutes.values())
    a.say(
        "methods.durations", median=_minutes(statistics.median(values), tx), low=_minutes(min(values), tx),
        high=_minutes(max(values), tx), count=len(values),
    )
    each = [tx("methods.duration", id=rid, minutes=_minutes(m, tx)) for rid, m in sorted(minutes.items())]
    a.document.add_paragraph("; ".join(each) + ".")


def _returned(a: Appendix) -> None:
    a.say("methods.returned", counts=a.counted(Counter(value for value, _ in a.facts.decisions.values()), "decision"))


def _coders(a: Appendix) -> None:
    a.say("methods.coders", count=len(a.facts.coders))
    a.document.add_paragraph(_agreement(a.facts, a.tx) if a.facts.agreement else a.tx("agreement.none"))


def _tree(a: Appendix) -> None:
    tx, n = a.tx, len(a.facts.eligible)
    rows = [
        [category.name, code.name, tx.of_n(a.facts.code_respondents.get(code.id, 0), n)]
        for category, code in a.study.codebook.codes()
    ]
    grid(a.document, [tx("column.category"), tx("column.code"), tx("column.participants")], rows)


def _quotes(a: Appendix) -> None:
    a.say("methods.quotes", allowed=a.facts.quotes_allowed, n=len(a.facts.eligible), anonymity=a.facts.anonymity)


def _core(a: Appendix) -> None:
    core = a.study.codebook.core_category
    names = {c.id: c.name for c in a.study.codebook.categories}
    if core:
        a.say("methods.core", name=names[core])
    else:
        a.say("methods.no_core")


def _minor(a: Appendix) -> None:
    """Codes few participants gave (at most one in five, at least one): where diverse cases show."""
    n = len(a.facts.eligible)
    limit = max(1, n // 5)
    rare = [
        f"{code.name} ({', '.join(a.facts.code_holders[code.id])})"
        for _, code in a.study.codebook.codes()
        if 0 < len(a.facts.code_holders.get(code.id, [])) <= limit
    ]
    if rare:
        a.say("methods.minor", limit=limit, n=n, codes="; ".join(rare))
    else:
        a.say("methods.no_minor", limit=limit, n=n)


def _completeness(a: Appendix, still: dict[int, list[str]]) -> None:
    """Where the answers came from, and every item still to complete with the keys to fill: one place."""
    a.document.add_heading(a.tx("methods.completeness"), level=2)
    sources = Counter(item.source() for item in ITEMS if item.number not in still)
    a.say(
        "methods.answered", answered=len(ITEMS) - len(still), total=len(ITEMS), records=sources["records"],
        config=sources["config"], both=sources["both"],
    )
    if not still:
        return
    a.say("methods.missing")
    for number, keys in still.items():
        line = a.tx("methods.missing_item", number=number, item=a.tx(f"coreq.{number}"), keys=", ".join(keys))
        a.document.add_paragraph(line, style="List Bullet")


# The items the records answer, by number (tasks.aggregation.coreq says which need the config too).
ANSWERS: dict[int, Callable[[Appendix], None]] = {
    11: _approach, 12: _size, 13: _non_participation, 14: _setting, 16: _sample, 17: _guide, 19: _recording,
    21: _duration, 23: _returned, 24: _coders, 25: _tree, 27: _software, 29: _quotes, 31: _core, 32: _minor,
}
BY_NUMBER = {item.number: item for item in ITEMS}
