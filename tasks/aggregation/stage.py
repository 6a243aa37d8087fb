"""Aggregation stage (whole study): the results as tables, a workbook and a Word report.

Writes to `out/results/`: `code_frequencies.csv` (category, code, respondents, n, segments, ...),
`code_by_respondent.csv`, `quotes.csv` (code, segment_id, respondent_id, text, ...),
`by_attribute.csv`, `by_question.csv`, `by_phase.csv`, `left_out.csv`, `results.xlsx` (one sheet
per table), `agreement.csv` and `agreement_disagreements.csv` (when a transcript was coded by two
coders, agreement.py), `methods.docx` (the COREQ appendix, methods.py),
`frequencies.png` and `report.docx`. n counts the eligible respondents: consented, approved, not
withdrawn, open coding done. This module declares the stage; `work.py` does it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tasks.analysis.inputs import attribute_rows, coding_inputs, quote_inputs
from tasks.core.catalog.recruitment import read_log, recruit, respondent_ids
from tasks.core.manifest import Outcome, hash_cache
from tasks.core.stage import Cohort
from tasks.core.study import Study


class AggregationStage:
    """Results tables, results.xlsx, intercoder agreement, the methods appendix and the Word report."""

    name = "aggregation"
    version = "3"  # 2: agreement.csv, agreement_disagreements.csv, methods.docx; report sections on both; 3: config's methods

    def run(self, study: Study, cohort: Cohort) -> Outcome:
        if not cohort.eligible:
            return Outcome("waiting", "researcher: no respondent has finished open coding yet; code a transcript and run again")
        from tasks.aggregation import work  # pandas, python-docx, matplotlib: loaded when the stage runs, never for `status`

        return work.run(study, cohort)

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
            "vocabularies": study.config.declarations(),
            "method": _method_inputs(study, eligible),
            "left_out": cohort.left_out,
            "guide": study.guide.model_dump(mode="json"),
            "core": hashes.digest(study.catalog.core),
            "heatmap": hashes.digest(study.catalog.heatmap),
            "title": study.config.study.title,
            "language": study.config.study.language,  # of the report, appendix, workbook and chart
            "records": {path.name: hashes.digest(path) for path in _records(study)},
            "privacy": study.config.privacy.model_dump(mode="json"),
            "methods": study.config.methods.model_dump(mode="json"),  # the COREQ answers only the researcher gives
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
