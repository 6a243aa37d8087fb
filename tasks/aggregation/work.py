"""Aggregation's work: the results tables, results.xlsx, agreement, the methods appendix, the
frequency chart and the Word report, from the eligible respondents' codings and transcripts."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from tasks.aggregation import workbook
from tasks.aggregation.agreement import study_tables, write_agreement
from tasks.aggregation.methods import key_facts, write_methods
from tasks.aggregation.records import gather
from tasks.aggregation.report import Method, ReportInput, build_report, save_report
from tasks.aggregation.rigour import Agreement
from tasks.analysis import quotes as q
from tasks.analysis import tables as t
from tasks.analysis.frames import Coded, load_coded, load_segments
from tasks.analysis.inputs import attribute_rows
from tasks.analysis.plots import frequency_chart
from tasks.core.catalog.recruitment import read_log, recruit, respondent_ids
from tasks.core.errors import InputError
from tasks.core.files import read_json, write_bytes
from tasks.core.manifest import Outcome
from tasks.core.stage import Cohort
from tasks.core.study import Study
from tasks.core.texts import Texts, readable
from tasks.privacy.facts import facts as pseudonymisation_facts
from tasks.privacy.review import save_review

QUOTE_COLUMNS = ["code", "segment_id", "respondent_id", "text", "category", "respondent", "rank"]


def run(study: Study, cohort: Cohort) -> Outcome:
    """Write the results tables and workbook, agreement, the methods appendix, the chart and the report."""
    eligible = cohort.eligible

    data, tables = results(study, cohort)
    out = study.catalog.result
    outputs = [t.write_csv(frame, out(f"{name}.csv")) for name, frame in tables.items()]
    tx = Texts(study.config.study.language)
    sheets = workbook.sheets(tables, study.config, tx)
    outputs.append(t.write_workbook(sheets, out("results.xlsx"), workbook.percent_columns(tx)))
    agreement = Agreement(*study_tables(study, eligible))
    outputs += write_agreement(study, eligible, (agreement.per_code, agreement.overall, agreement.disagreements))
    facts = gather(study, eligible)
    outputs.append(write_methods(study, eligible, facts))
    n = len(eligible)
    chart = frequency_chart(tables["code_frequencies"], n, tx("figure.frequency_title"), tx("figure.frequency_axis", n=n))
    outputs.append(write_bytes(out("frequencies.png"), chart))
    report = build_report(report_input(study, data, tables, chart, agreement, key_facts(facts, study)))
    outputs.append(save_report(report, out("report.docx")))
    outputs.append(save_review(study))  # what the published quotes had replaced; recorded, so a withdrawal removes it
    coded_codes = int((tables["code_frequencies"]["respondents"] > 0).sum())
    quotes = len(tables["quotes"])
    double = int(agreement.overall["respondents"].iloc[0])
    return Outcome(
        "done",
        f"n={len(eligible)}; {coded_codes} of {len(data.codes)} codes used; {quotes} quotes",
        outputs=tuple(outputs),
        counts={"n": len(eligible), "codes_used": coded_codes, "quotes": quotes, "double_coded": double},
    )


def report_input(
    study: Study,
    data: Coded,
    tables: dict[str, pd.DataFrame],
    chart: bytes,
    agreement: Agreement,
    coreq: list[str],
) -> ReportInput:
    core = upstream(study)
    config = study.config
    tx = Texts(config.study.language)
    heatmap = study.catalog.heatmap
    figures = [(tx("report.figure_frequencies"), chart)]
    if heatmap.is_file():
        figures.append((tx("report.figure_heatmap"), heatmap.read_bytes()))
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
        pseudonymisation=pseudonymisation_facts(study),
        texts=tx,
        label=lambda vocabulary, value: readable(config.label(vocabulary, value, tx.code), value),
        heading=lambda vocabulary: config.heading(vocabulary, tx.code),
    )


def results(study: Study, cohort: Cohort) -> tuple[Coded, dict[str, pd.DataFrame]]:
    """The coded study and the results tables (frequencies, quotes, breakdowns, who was left out)."""
    eligible = cohort.eligible

    data = load_coded(study, eligible)
    segments = load_segments(study, eligible)
    rights = q.permissions(study, eligible)
    per_code = study.config.aggregation.quotes_per_code
    chosen = q.distinct(q.candidates(data, segments, rights.quotes), per_code)
    quotes = q.shown(study, chosen, q.numbers(study), rights)
    quotes["code"] = quotes["code"].astype(str)
    quotes["category"] = quotes["category"].astype(str)
    orders = {name: list(study.config.allowed_values(name) or ()) for name in study.config.breakdowns()}
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


def attributes(study: Study, eligible: list[str]) -> pd.DataFrame:
    """The configured recruitment attributes of the eligible respondents, as a frame."""
    columns = ["respondent_id", *study.config.breakdowns()]
    return pd.DataFrame(attribute_rows(study, eligible), columns=columns)


def method(study: Study, eligible: list[str], data: Coded) -> Method:
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
