"""The Word report: method summary, the methods appendix's key facts, intercoder agreement, who was
left out and why, the core category, per category a table "code — N of n — segments" with the best
quotes (thesis style), breakdowns and figures.

`build_report` returns a `docx.Document`; `save_report` writes it atomically. Nothing here reads
files: the aggregation stage hands in the tables, quotes (already consented and pseudonymised)
and PNG figures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pandas as pd
from docx.document import Document
from docx.shared import Inches

from tasks.aggregation.rigour import Agreement, agreement_section, methods_section
from tasks.aggregation.word import grid
from tasks.analysis.quotes import label
from tasks.core.config import Codebook
from tasks.core.files import write_office

MAX_VALUES = 12  # attribute values shown in one report table; more go to results.xlsx only


@dataclass(frozen=True)
class Method:
    n: int
    contacted: int
    responded: int
    channels: dict[str, int]
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


def build_report(data: ReportInput) -> Document:
    document = docx.Document()
    document.add_heading(f"Results: {data.title}", level=0)
    _method(document, data)
    if data.coreq is not None:
        methods_section(document, data.coreq)
    agreement_section(document, data.agreement, {c.id: c.name for _, c in data.codebook.codes()})
    _left_out(document, data.left_out)
    _core(document, data)
    document.add_heading("Results per category", level=1)
    for category_id in data.category_order:
        _category(document, data, category_id)
    _breakdowns(document, data)
    if data.figures:
        document.add_heading("Figures", level=1)
        for caption, png in data.figures:
            document.add_picture(io.BytesIO(png), width=Inches(6.0))
            document.add_paragraph(caption, style="Caption")
    return document


def save_report(document: Document, path: Path) -> Path:
    return write_office(path, document.save)


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items()) or "none recorded"


def _method(document: Document, data: ReportInput) -> None:
    m = data.method
    codes = sum(len(c.codes) for c in data.codebook.categories)
    document.add_heading("Method", level=1)
    document.add_paragraph(
        f"n = {m.n} respondents: consent recorded, transcript approved in the member check, "
        "not withdrawn, open coding done."
    )
    document.add_paragraph(
        f"Recruitment: {m.contacted} contacted, {m.responded} responded. Channels of the respondents "
        f"included: {_counted(m.channels)}. Interview mode: {_counted(m.modes)}."
    )
    if m.first_interview:
        document.add_paragraph(f"Interviews held from {m.first_interview} to {m.last_interview}.")
    document.add_paragraph(
        f"Coding in three phases (open, axial, selective coding) with a codebook of "
        f"{len(data.codebook.categories)} categories and {codes} codes; {m.coders} coder(s). "
        "Counts say how many of the n respondents said something coded with each code."
    )


def _left_out(document: Document, left_out: list[tuple[str, str]]) -> None:
    document.add_heading("Respondents left out", level=1)
    if not left_out:
        document.add_paragraph("None.")
    for rid, reason in left_out:
        document.add_paragraph(f"{rid}: {reason}", style="List Bullet")


def _core(document: Document, data: ReportInput) -> None:
    names = {c.id: c.name for c in data.codebook.categories}
    document.add_heading("Core category", level=1)
    document.add_paragraph(f"Core category: {names[data.core]}. {data.core_evidence[:1].upper()}{data.core_evidence[1:]}.")
    others = [names[c] for c in data.category_order if c != data.core]
    if others:
        document.add_paragraph("Other categories, by their connection to the core: " + "; ".join(others) + ".")


def _category(document: Document, data: ReportInput, category_id: str) -> None:
    category = next(c for c in data.codebook.categories if c.id == category_id)
    document.add_heading(category.name, level=2)
    if category.definition:
        document.add_paragraph(category.definition)
    rows = data.frequencies[data.frequencies["category"] == category_id]
    n = data.method.n
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Code", "Respondents", "Segments")):
        cell.text = text
    for row in rows.itertuples():
        cells = table.add_row().cells
        cells[0].text = str(row.code_name)
        cells[1].text = f"{row.respondents} of n={n}"
        cells[2].text = str(row.segments)
    for row in rows.itertuples():
        chosen = data.quotes[data.quotes["code"] == row.code]
        if chosen.empty:
            continue
        document.add_paragraph().add_run(str(row.code_name)).bold = True
        style = document.styles["Quote"]
        for quote in chosen.itertuples():
            document.add_paragraph(label(int(quote.respondent), " ".join(str(quote.text).split())), style=style)


def _breakdowns(document: Document, data: ReportInput) -> None:
    names = dict(zip(data.frequencies["code"], data.frequencies["code_name"]))
    if not data.by_attribute.empty:
        document.add_heading("By respondent attribute", level=1)
        for attribute, frame in data.by_attribute.groupby("attribute", sort=False):
            values = list(dict.fromkeys(frame["value"]))
            document.add_heading(str(attribute).replace("_", " "), level=2)
            if len(values) > MAX_VALUES:
                document.add_paragraph(f"{len(values)} different values; see results.xlsx (sheet by_attribute).")
                continue
            wide = frame.pivot(index="code", columns="value", values="respondents").reindex(list(names))
            sizes = frame.drop_duplicates("value").set_index("value")["n"]
            header = ["Code", *[f"{v.replace('_', ' ')} (n={sizes[v]})" for v in values]]
            grid(document, header, [[names[c], *[str(int(wide.loc[c, v])) for v in values]] for c in wide.index])
    if not data.by_phase.empty:
        document.add_heading("Expectations and now", level=1)
        document.add_paragraph("Respondents per code in answers to the 'before' and the 'now' questions.")
        wide = data.by_phase.pivot(index="code", columns="phase", values="respondents").reindex(list(names))
        grid(document, ["Code", "Before", "Now"], [[names[c], str(int(wide.loc[c, "before"])), str(int(wide.loc[c, "now"]))] for c in wide.index])
