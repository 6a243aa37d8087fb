"""The Word report: method summary, the methods appendix's key facts, intercoder agreement, who was
left out and why, the core category, per category a table "code — N of n — segments" with the best
quotes (thesis style), breakdowns and figures.

`build_report` returns a `docx.Document`; `save_report` writes it atomically. Nothing here reads
files: the aggregation stage hands in the tables, quotes (already consented and pseudonymised)
and PNG figures.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from docx.document import Document
from docx.shared import Cm, Pt

from tasks.aggregation.rigour import Agreement, agreement_section, methods_section
from tasks.aggregation.word import grid, new_document
from tasks.core.config import Codebook
from tasks.core.files import write_office
from tasks.core.texts import Texts
from tasks.core.wordml.layout import TEXT_WIDTH_CM
from tasks.privacy.facts import PseudonymisationFacts

MAX_VALUES = 12  # attribute values shown in one report table; more go to results.xlsx only


def _plain(vocabulary: str, value: str) -> str:
    return value.replace("_", " ")


def _plain_heading(vocabulary: str) -> str:
    return vocabulary.replace("_", " ")


@dataclass(frozen=True)
class Method:
    n: int
    contacted: int
    responded: int
    channels: dict[str, int]  # ids as recruitment.csv holds them; the report shows their labels
    modes: dict[str, int]
    first_interview: str
    last_interview: str
    coders: int


@dataclass(frozen=True)
class ReportInput:
    title: str
    codebook: Codebook
    method: Method
    left_out: list[tuple[str, str]]
    core: str
    core_evidence: str
    category_order: list[str]
    frequencies: pd.DataFrame
    quotes: pd.DataFrame
    by_attribute: pd.DataFrame
    by_phase: pd.DataFrame
    figures: list[tuple[str, bytes]] = field(default_factory=list)
    agreement: Agreement | None = None  # None: the section says no agreement was computed
    coreq: list[str] | None = None  # the methods appendix's key facts; None: no methods section
    pseudonymisation: PseudonymisationFacts | None = None  # what was done to the published quotes
    texts: Texts = Texts("en")
    label: Callable[[str, str], str] = _plain  # (vocabulary, value) -> the value's label (StudyConfig.label)
    heading: Callable[[str], str] = _plain_heading  # vocabulary -> its name (StudyConfig.heading)


def build_report(data: ReportInput) -> Document:
    tx = data.texts
    document = new_document(tx.locale)
    document.add_heading(tx("report.title", title=data.title), level=0)
    _method(document, data)
    if data.coreq is not None:
        methods_section(document, data.coreq, tx)
    agreement_section(document, data.agreement, {c.id: c.name for _, c in data.codebook.codes()}, tx)
    _left_out(document, data.left_out, tx)
    _core(document, data)
    document.add_heading(tx("report.per_category"), level=1)
    for category_id in data.category_order:
        _category(document, data, category_id)
    _breakdowns(document, data)
    if data.figures:
        document.add_heading(tx("report.figures"), level=1)
        for caption, png in data.figures:
            document.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
            document.add_paragraph(caption, style="Caption")
    return document


def save_report(document: Document, path: Path) -> Path:
    return write_office(path, document.save)


def counted(counts: dict[str, int], vocabulary: str, data: ReportInput) -> str:
    """"online 12, op locatie 1": each value's label and its count."""
    shown = [f"{data.label(vocabulary, value)} {count}" for value, count in counts.items()]
    return ", ".join(shown) or data.texts("none_recorded")


def _method(document: Document, data: ReportInput) -> None:
    m, tx = data.method, data.texts
    codes = sum(len(c.codes) for c in data.codebook.categories)
    document.add_heading(tx("report.method"), level=1)
    document.add_paragraph(tx("report.n", n=m.n))
    document.add_paragraph(
        tx(
            "report.recruitment", contacted=m.contacted, responded=m.responded,
            channels=counted(m.channels, "channel", data), modes=counted(m.modes, "interview_mode", data),
        )
    )
    if m.first_interview:
        document.add_paragraph(tx("report.held", first=tx.date(m.first_interview), last=tx.date(m.last_interview)))
    document.add_paragraph(
        tx("report.coding", categories=len(data.codebook.categories), codes=codes, coders=m.coders)
    )
    if data.pseudonymisation is not None and data.pseudonymisation.texts:
        document.add_paragraph(pseudonymised(data.pseudonymisation, tx))


def pseudonymised(facts: PseudonymisationFacts, tx: Texts) -> str:
    """The report's sentence on what was done to names in the published quotes, in the study's language."""
    detector = tx("report.pseudonymised.fallback", detector=facts.detector) if facts.fallback else facts.detector
    kinds = ", ".join(f"{kind} {count}" for kind, count in facts.by_kind.items()) or tx("report.pseudonymised.none")
    return tx(
        "report.pseudonymised", language=facts.language, texts=facts.texts, detector=detector or "-",
        capitals=tx("report.pseudonymised.capitals") if facts.capitals else "", kinds=kinds, review=facts.review_file,
    )


def _left_out(document: Document, left_out: list[tuple[str, str]], tx: Texts) -> None:
    document.add_heading(tx("report.left_out"), level=1)
    if not left_out:
        document.add_paragraph(tx("report.nobody_left_out"))
    for rid, reason in left_out:
        document.add_paragraph(f"{rid}: {why(reason, tx)}", style="List Bullet")


def _core(document: Document, data: ReportInput) -> None:
    tx = data.texts
    names = {c.id: c.name for c in data.codebook.categories}
    document.add_heading(tx("report.core"), level=1)
    evidence = core_evidence(data.core_evidence, tx, names)
    document.add_paragraph(tx("report.core_is", name=names[data.core], evidence=evidence[:1].upper() + evidence[1:]))
    others = [names[c] for c in data.category_order if c != data.core]
    if others:
        document.add_paragraph(tx("report.others", names="; ".join(others)))


def _category(document: Document, data: ReportInput, category_id: str) -> None:
    tx = data.texts
    category = next(c for c in data.codebook.categories if c.id == category_id)
    document.add_heading(category.name, level=2)
    if category.definition:
        document.add_paragraph(category.definition)
    rows = data.frequencies[data.frequencies["category"] == category_id]
    n = data.method.n
    grid(
        document,
        [tx("column.code"), tx("column.respondents"), tx("column.segments")],
        [[str(row.code_name), tx.of_n(int(row.respondents), n), str(row.segments)] for row in rows.itertuples()],
    )
    for row in rows.itertuples():
        chosen = data.quotes[data.quotes["code"] == row.code]
        if chosen.empty:
            continue
        named = document.add_paragraph()
        named.paragraph_format.space_before = Pt(12)
        named.paragraph_format.keep_with_next = True
        named.add_run(str(row.code_name)).bold = True
        style = document.styles["Quote"]
        for quote in chosen.itertuples():
            text = " ".join(str(quote.text).split())
            document.add_paragraph(tx("report.quote", number=int(quote.respondent), text=text), style=style)


def _breakdowns(document: Document, data: ReportInput) -> None:
    tx = data.texts
    names = dict(zip(data.frequencies["code"], data.frequencies["code_name"]))
    if not data.by_attribute.empty:
        document.add_heading(tx("report.by_attribute"), level=1)
        for attribute, frame in data.by_attribute.groupby("attribute", sort=False):
            values = list(dict.fromkeys(frame["value"]))
            heading = data.heading(str(attribute))
            document.add_heading(heading[:1].upper() + heading[1:], level=2)
            if len(values) > MAX_VALUES:
                sheet = tx("sheet.by_attribute")
                document.add_paragraph(tx("report.too_many_values", count=len(values), sheet=sheet))
                continue
            wide = frame.pivot(index="code", columns="value", values="respondents").reindex(list(names))
            sizes = frame.drop_duplicates("value").set_index("value")["n"]
            shown = [tx("report.value_n", value=data.label(str(attribute), str(v)), n=sizes[v]) for v in values]
            rows = [[names[c], *[str(int(wide.loc[c, v])) for v in values]] for c in wide.index]
            grid(document, [tx("column.code"), *shown], rows)
    if not data.by_phase.empty:
        document.add_heading(tx("report.phases"), level=1)
        document.add_paragraph(tx("report.phases_intro"))
        wide = data.by_phase.pivot(index="code", columns="phase", values="respondents").reindex(list(names))
        rows = [[names[c], str(int(wide.loc[c, "before"])), str(int(wide.loc[c, "now"]))] for c in wide.index]
        grid(document, [tx("column.code"), tx("report.before"), tx("report.now")], rows)


# The English sentences of the stages before this one (the engine's reasons for leaving a respondent
# out, selective coding's evidence for the core category), read back into the study's language.
_DATE = r"(\d{4}-\d{2}-\d{2})"
_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str], Texts], str]]] = [
    (re.compile(rf"withdrawn on {_DATE}"), lambda m, tx: tx("reason.withdrawn", date=tx.date(m[1]))),
    (re.compile(rf"declined at review on {_DATE}"), lambda m, tx: tx("reason.declined", date=tx.date(m[1]))),
    (
        re.compile(r"no consent for ([a-z ]+)"),
        lambda m, tx: tx(
            "reason.no_consent_for", what=f" {tx('and')} ".join(tx.get(f"consent.{w}", w) for w in m[1].split(" and "))
        ),
    ),
    (
        re.compile(r"no consent \((\w+)\); the recording is not opened"),
        lambda m, tx: tx("reason.no_consent", state=tx.get(f"consent.{m[1]}", m[1])),
    ),
    (
        re.compile(r"([a-z ]+) is (\w+)"),
        lambda m, tx: tx(
            "reason.stage",
            stage=tx.get(f"stage.{m[1].replace(' ', '_')}", m[1]),
            status=tx.get(f"status.{m[2]}", m[2]),
        ),
    ),
]
_CONFIGURED = "set as core_category in config/codebook.yaml"
_REASON = re.compile(r"(\d+) segments shared with (\d+) other categories, (\d+) codebook relations")


def why(reason: str, tx: Texts) -> str:
    """Why a respondent is left out, in the study's language (unknown sentences as they are)."""
    for pattern, say in _REASONS:
        match = pattern.fullmatch(reason)
        if match is not None:
            return say(match, tx)
    return reason


def core_evidence(evidence: str, tx: Texts, names: dict[str, str]) -> str:
    """Selective coding's evidence for the core category, in the study's language, with category names."""

    def reason(text: str) -> str:
        match = _REASON.fullmatch(text)
        if match is None:
            return text
        return tx("evidence.reason", segments=match[1], linked=match[2], relations=match[3])

    differs = re.fullmatch(re.escape(_CONFIGURED) + r"; by the data the most connected category is (\S+) \((.*)\)", evidence)
    if differs is not None:
        name = names.get(differs[1], differs[1])
        return tx("evidence.differs", configured=tx("evidence.configured"), name=name, reason=reason(differs[2]))
    if evidence == _CONFIGURED:
        return tx("evidence.configured")
    proposed = re.fullmatch(r"proposed as the most connected category: (.*)", evidence)
    if proposed is not None:
        return tx("evidence.proposed", reason=reason(proposed[1]))
    return evidence
