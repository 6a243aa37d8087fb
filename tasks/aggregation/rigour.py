"""The report's sections on rigour: intercoder agreement (per code and overall, with the segments
in disagreement by id) and the methods appendix's key COREQ facts with a pointer to methods.docx.

Like the rest of the report, nothing here reads files: the aggregation stage hands in the
agreement tables (tasks/agreement.py) and the facts (tasks/methods.py, `key_facts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from docx.document import Document

from tasks.aggregation.word import grid

MAX_SEGMENTS = 12  # segment ids listed in one cell; the rest are in agreement_disagreements.csv
UNDEFINED = "n/a"


@dataclass(frozen=True)
class Agreement:
    """tasks.aggregation.agreement.agreement_tables' three frames: per code, overall (one row), disagreements."""

    per_code: pd.DataFrame
    overall: pd.DataFrame
    disagreements: pd.DataFrame


def agreement_section(document: Document, agreement: Agreement | None, names: dict[str, str]) -> None:
    document.add_heading("Intercoder agreement", level=1)
    if agreement is None or int(agreement.overall["respondents"].iloc[0]) == 0:
        document.add_paragraph("No transcript was coded by two coders; no agreement computed.")
        return
    overall = agreement.overall.iloc[0]
    document.add_paragraph(
        f"Coded independently by two coders: {overall['note']} ({int(overall['segments'])} segments). Each "
        "segment × code is one unit (coded or not; nominal). Per code and over all codes used: percent "
        "agreement, Cohen's kappa and Krippendorff's alpha."
    )
    per_code = agreement.per_code
    totals = dict(zip(per_code["code"].astype(str), (per_code["first_only"] + per_code["second_only"]).astype(int)))
    differing = _differing(agreement.disagreements, totals)
    rows = [
        [names.get(str(row["code"]), str(row["code"])), *_metrics(row), differing.get(str(row["code"]), "")]
        for row in per_code.to_dict("records")
    ]
    listed = agreement.disagreements["segment_id"].astype(str).tolist()  # one row per segment, in order
    everything = _segments(listed[:MAX_SEGMENTS], len(listed))
    rows.append([f"All codes used ({int(overall['codes'])})", *_metrics(overall.to_dict()), everything])
    header = ["Code", "Percent agreement", "Cohen's kappa", "Krippendorff's alpha", "Segments in disagreement"]
    grid(document, header, rows)
    document.add_paragraph(
        f"{UNDEFINED}: undefined, because there is no variation to agree on (neither coder used the code, "
        "or both gave it to every segment). Both coders' codes for every segment in disagreement are in "
        "agreement_disagreements.csv, for discussion; the table is in agreement.csv."
    )


def methods_section(document: Document, facts: list[str]) -> None:
    document.add_heading("Methods appendix (COREQ)", level=1)
    document.add_paragraph(
        "The COREQ checklist (32 items), filled in from the study's records where they answer it, is in "
        "methods.docx beside this report; items marked in yellow there are for the researcher. Key facts:"
    )
    for fact in facts:
        document.add_paragraph(fact, style="List Bullet")


def _metrics(row: dict[str, object]) -> list[str]:
    return [_share(_float(row["percent_agreement"])), _number(_float(row["kappa"])), _number(_float(row["alpha"]))]


def _float(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan


def _share(value: float) -> str:
    return UNDEFINED if math.isnan(value) else f"{value:.1%}"


def _number(value: float) -> str:
    return UNDEFINED if math.isnan(value) else f"{value:.2f}"


def _differing(disagreements: pd.DataFrame, totals: dict[str, int]) -> dict[str, str]:
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
            return {code: _segments(ids, totals.get(code, len(ids))) for code, ids in found.items()}
        size *= 4


def _segments(ids: list[str], total: int) -> str:
    more = f" and {total - len(ids)} more" if total > len(ids) else ""
    return ", ".join(ids) + more


