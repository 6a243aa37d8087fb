"""The report's sections on rigour: intercoder agreement (per code and overall, with the segments
in disagreement by id) and the methods appendix's key COREQ facts with a pointer to methods.docx.

Like the rest of the report, nothing here reads files: the aggregation stage hands in the
agreement tables (tasks/agreement.py) and the facts (tasks/methods.py, `key_facts`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from docx.document import Document

from tasks.aggregation.word import grid
from tasks.core.texts import Texts

MAX_SEGMENTS = 12  # segment ids listed in one cell; the rest are in agreement_disagreements.csv


@dataclass(frozen=True)
class Agreement:
    """tasks.aggregation.agreement.agreement_tables' three frames: per code, overall (one row), disagreements."""

    per_code: pd.DataFrame
    overall: pd.DataFrame
    disagreements: pd.DataFrame


def agreement_section(document: Document, agreement: Agreement | None, names: dict[str, str], tx: Texts) -> None:
    document.add_heading(tx("agreement.heading"), level=1)
    if agreement is None or int(agreement.overall["respondents"].iloc[0]) == 0:
        document.add_paragraph(tx("agreement.none"))
        return
    overall = agreement.overall.iloc[0]
    coverage = _coverage(str(overall["note"]), tx)
    document.add_paragraph(tx("agreement.intro", coverage=coverage, segments=int(overall["segments"])))
    per_code = agreement.per_code
    totals = dict(zip(per_code["code"].astype(str), (per_code["first_only"] + per_code["second_only"]).astype(int)))
    differing = _differing(agreement.disagreements, totals, tx)
    rows = [
        [names.get(str(row["code"]), str(row["code"])), *_metrics(row, tx), differing.get(str(row["code"]), "")]
        for row in per_code.to_dict("records")
    ]
    listed = agreement.disagreements["segment_id"].astype(str).tolist()  # one row per segment, in order
    everything = _segments(listed[:MAX_SEGMENTS], len(listed), tx)
    rows.append([tx("agreement.all_codes", count=int(overall["codes"])), *_metrics(overall.to_dict(), tx), everything])
    header = [tx(f"column.{key}") for key in ("code", "percent_agreement", "kappa", "alpha", "disagreements")]
    grid(document, header, rows)
    document.add_paragraph(tx("agreement.footnote", undefined=tx("undefined")))


def methods_section(document: Document, facts: list[str], tx: Texts) -> None:
    document.add_heading(tx("coreq.heading"), level=1)
    document.add_paragraph(tx("coreq.intro"))
    for fact in facts:
        document.add_paragraph(fact, style="List Bullet")


_COVERAGE = re.compile(r"(\d+) of (\d+) coded respondents coded by two coders(?:; more than two coders, left out: (.*))?")


def _coverage(note: str, tx: Texts) -> str:
    """agreement.py's note on who was double-coded, in the study's language."""
    match = _COVERAGE.fullmatch(note)
    if match is None:
        return note
    more = tx("agreement.more_coders", ids=match[3]) if match[3] else ""
    return tx("agreement.coverage", double=match[1], coded=match[2]) + more


def _metrics(row: dict[str, object], tx: Texts) -> list[str]:
    values = [_float(row["percent_agreement"]), _float(row["kappa"]), _float(row["alpha"])]
    undefined = tx("undefined")
    return [
        undefined if math.isnan(values[0]) else tx.percent(values[0]),
        *(undefined if math.isnan(value) else tx.number(value) for value in values[1:]),
    ]


def _float(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan


def _differing(disagreements: pd.DataFrame, totals: dict[str, int], tx: Texts) -> dict[str, str]:
    """code -> the first segments where one coder gave it and the other did not, and how many.

    `totals`: per code, the segments in disagreement (from the counts). Only as many rows are
    split as it takes to find the first few of every code: a large study can have 10⁵ of them.
    """
    size = MAX_SEGMENTS * max(1, len(totals))
    while True:
        head = disagreements.iloc[:size]
        codes = head["differing"].astype(str).str.split("; ")
        per_code = head[["segment_id"]].assign(code=codes).explode("code", ignore_index=True)
        first = per_code.groupby("code", sort=False).head(MAX_SEGMENTS).groupby("code", sort=False)["segment_id"]
        found = {str(code): [str(s) for s in ids] for code, ids in first.agg(list).items()}
        complete = all(len(found.get(code, [])) >= min(MAX_SEGMENTS, total) for code, total in totals.items())
        if complete or size >= len(disagreements):
            return {code: _segments(ids, totals.get(code, len(ids)), tx) for code, ids in found.items()}
        size *= 4


def _segments(ids: list[str], total: int, tx: Texts) -> str:
    more = tx("agreement.more", count=total - len(ids)) if total > len(ids) else ""
    return ", ".join(ids) + more
