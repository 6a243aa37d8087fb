"""Aggregation stage (whole study): the results as tables, a workbook and a Word report.

Writes to `out/results/`: `code_frequencies.csv` (category, code, respondents, n, segments, ...),
`code_by_respondent.csv`, `quotes.csv` (code, segment_id, respondent_id, text, ...),
`by_attribute.csv`, `by_question.csv`, `by_phase.csv`, `left_out.csv`, `results.xlsx` (one sheet
per table), `agreement.csv` and `agreement_disagreements.csv` (when a transcript was coded by two
coders, tasks/agreement.py), `methods.docx` (the COREQ appendix, tasks/methods.py),
`frequencies.png` and `report.docx`. n counts the eligible respondents: consented, approved, not
withdrawn, open coding done.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tasks.analysis.inputs import coding_inputs, quote_inputs
from tasks.core.catalog.recruitment import read_log, recruit, respondent_ids
from tasks.core.errors import InputError
from tasks.core.files import read_json, write_bytes
from tasks.core.manifest import Outcome, hash_cache
from tasks.core.stage import Cohort
from tasks.core.study import Study

if TYPE_CHECKING:  # pandas, docx and matplotlib are loaded when the stage runs, never for `status`
    import pandas as pd

    from tasks.aggregation.report import Method, ReportInput
    from tasks.aggregation.rigour import Agreement
    from tasks.analysis.frames import Coded

QUOTE_COLUMNS = ["code", "segment_id", "respondent_id", "text", "category", "respondent", "rank"]


def attribute_rows(study: Study, eligible: list[str]) -> list[list[str]]:
    """Per eligible respondent: id and the configured recruitment attributes (never personal columns)."""
    names = study.config.aggregation.attributes
    rows = []
    for rid in eligible:
        record = recruit(study, rid)
        rows.append([rid, *[record.attribute(name) if record else "" for name in names]])
    return rows


def attributes(study: Study, eligible: list[str]) -> pd.DataFrame:
    """The configured recruitment attributes of the eligible respondents, as a frame."""
    import pandas as pd

    columns = ["respondent_id", *study.config.aggregation.attributes]
    return pd.DataFrame(attribute_rows(study, eligible), columns=columns)


def method(study: Study, eligible: list[str], data: Coded) -> Method:
    from tasks.aggregation.report import Method

    records = [r for r in (recruit(study, rid) for rid in eligible) if r is not None]
    dates = sorted(r.interview_date.isoformat() for r in records if r.interview_date)
    return Method(
        n=len(eligible),
        contacted=len(read_log(study).raw),
        responded=len(respondent_ids(study)),
        channels=dict(sorted(Counter(r.channel for r in records).items(), key=lambda kv: (-kv[1], kv[0]))),
        modes=dict(sorted(Counter(r.interview_mode or "unknown" for r in records).items(), key=lambda kv: (-kv[1], kv[0]))),
        first_interview=dates[0] if dates else "",
        last_interview=dates[-1] if dates else "",
        coders=int(data.rows["coder"].nunique()),
    )


def upstream(study: Study) -> dict[str, Any]:
    """The selective coding result: core category, its evidence and the order of categories."""
    path = study.catalog.core
    try:
        core: dict[str, Any] = read_json(path)
    except (FileNotFoundError, ValueError):
        raise InputError(f"{study.catalog.relative(path)}: missing or damaged; run 'interview-study aggregate' again") from None
    return core


class AggregationStage:
    """Results tables, results.xlsx, intercoder agreement, the methods appendix and the Word report."""

    name = "aggregation"
    version = "2"  # 2: agreement.csv, agreement_disagreements.csv, methods.docx; report sections on both

    def inputs(self, study: Study, cohort: Cohort) -> dict[str, Any]:
        eligible = cohort.eligible
        hashes = hash_cache(study)
        # Agreement reads the codings, codebook and approved transcripts (all below already); the
        # methods appendix also reads the researcher's records: hashed, so status stays cheap.
        return {
            "eligible": eligible,
            **coding_inputs(study, eligible),
            "quotes": quote_inputs(study, eligible),
            "attributes": attribute_rows(study, eligible),
            "method": _method_inputs(study, eligible),
            "left_out": cohort.left_out,
            "guide": study.guide.model_dump(mode="json"),
            "core": hashes.digest(study.catalog.core),
            "heatmap": hashes.digest(study.catalog.heatmap),
            "title": study.config.study.title,
            "records": {path.name: hashes.digest(path) for path in _records(study)},
            "privacy": study.config.privacy.model_dump(mode="json"),
        }

    def run(self, study: Study, cohort: Cohort) -> Outcome:
        eligible = cohort.eligible
        if not eligible:
            return Outcome("waiting", "researcher: no respondent has finished open coding yet; code a transcript and run again")
        from tasks.aggregation.agreement import study_tables, write_agreement
        from tasks.aggregation.methods import key_facts, write_methods
        from tasks.aggregation.records import gather
        from tasks.aggregation.report import build_report, save_report
        from tasks.aggregation.rigour import Agreement
        from tasks.analysis import tables as t
        from tasks.analysis.plots import frequency_chart

        data, tables = results(study, cohort)
        out = study.catalog.result
        outputs = [t.write_csv(frame, out(f"{name}.csv")) for name, frame in tables.items()]
        outputs.append(t.write_workbook(tables, out("results.xlsx")))
        agreement = Agreement(*study_tables(study, eligible))
        outputs += write_agreement(study, eligible, (agreement.per_code, agreement.overall, agreement.disagreements))
        facts = gather(study, eligible)
        outputs.append(write_methods(study, eligible, facts))
        chart = frequency_chart(tables["code_frequencies"], len(eligible))
        outputs.append(write_bytes(out("frequencies.png"), chart))
        report = build_report(self._report_input(study, data, tables, chart, agreement, key_facts(facts)))
        outputs.append(save_report(report, out("report.docx")))
        coded_codes = int((tables["code_frequencies"]["respondents"] > 0).sum())
        quotes = len(tables["quotes"])
        double = int(agreement.overall["respondents"].iloc[0])
        return Outcome(
            "done",
            f"n={len(eligible)}; {coded_codes} of {len(data.codes)} codes used; {quotes} quotes",
            outputs=tuple(outputs),
            counts={"n": len(eligible), "codes_used": coded_codes, "quotes": quotes, "double_coded": double},
        )

    def _report_input(
        self,
        study: Study,
        data: Coded,
        tables: dict[str, pd.DataFrame],
        chart: bytes,
        agreement: Agreement,
        coreq: list[str],
    ) -> ReportInput:
        from tasks.aggregation.report import ReportInput

        core = upstream(study)
        heatmap = study.catalog.heatmap
        figures = [("Figure 1. Respondents per code.", chart)]
        if heatmap.is_file():
            figures.append(("Figure 2. Codes in the same segment (axial coding).", heatmap.read_bytes()))
        return ReportInput(
            title=study.config.study.title,
            codebook=data.codebook,
            method=method(study, data.eligible, data),
            left_out=[(str(r), str(reason)) for r, reason in tables["left_out"].itertuples(index=False)],
            core=str(core["core_category"]),
            core_evidence=str(core["evidence"]),
            category_order=[str(c) for c in core["order"]],
            frequencies=tables["code_frequencies"],
            quotes=tables["quotes"],
            by_attribute=tables["by_attribute"],
            by_phase=tables["by_phase"],
            figures=figures,
            agreement=agreement,
            coreq=coreq,
        )


def results(study: Study, cohort: Cohort) -> tuple[Coded, dict[str, pd.DataFrame]]:
    """The coded study and the results tables (frequencies, quotes, breakdowns, who was left out)."""
    import pandas as pd

    eligible = cohort.eligible
    from tasks.analysis import quotes as q
    from tasks.analysis import tables as t
    from tasks.analysis.frames import load_coded, load_segments
    from tasks.core.config import ENUMS

    data = load_coded(study, eligible)
    segments = load_segments(study, eligible)
    rights = q.permissions(study, eligible)
    per_code = study.config.aggregation.quotes_per_code
    chosen = q.best(q.candidates(data, segments, rights.quotes), ["code"], per_code)
    quotes = q.shown(study, chosen, q.numbers(study), rights)
    quotes["code"] = quotes["code"].astype(str)
    quotes["category"] = quotes["category"].astype(str)
    orders = {name: list(values) for name, values in ENUMS.items()}
    asked = t.asked(data, segments)
    return data, {
        "code_frequencies": t.code_frequencies(data),
        "code_by_respondent": t.code_by_respondent(data),
        "quotes": quotes[QUOTE_COLUMNS],
        "by_attribute": t.by_attribute(data, attributes(study, eligible), orders),
        "by_question": t.by_question(data, asked, study.guide),
        "by_phase": t.by_phase(data, asked, study.guide),
        "left_out": pd.DataFrame(cohort.left_out, columns=["respondent_id", "reason"]),
    }


def _records(study: Study) -> list[Path]:
    """The researcher's records the methods appendix reads (recruitment log, consent, reviews)."""
    return [study.catalog.recruitment_file, study.catalog.consent_file, study.catalog.reviews_file]


def _method_inputs(study: Study, eligible: list[str]) -> dict[str, Any]:
    records = {rid: recruit(study, rid) for rid in eligible}
    return {
        "contacted": len(read_log(study).raw),
        "responded": len(respondent_ids(study)),
        "records": {
            rid: [r.channel, r.interview_mode, str(r.interview_date)] if r else None for rid, r in records.items()
        },
    }


STAGE = AggregationStage()
