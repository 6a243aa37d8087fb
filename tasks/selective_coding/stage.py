"""Selective coding stage (whole study): one core category and the others integrated around it.

Writes to `out/07_selective/`: `categories.csv` (the core category first, then the others ordered
by their connection to it, with the evidence) and `storyline.md`, a skeleton for the results
chapter with the strongest quotes for every link. The core category is the codebook's
`core_category` or, when none is set, proposed as the most connected category.
"""

from __future__ import annotations

from typing import Any

from tasks.analysis.inputs import coding_inputs, quote_inputs
from tasks.core.files import write_json, write_text
from tasks.core.manifest import Outcome
from tasks.core.stage import Cohort
from tasks.core.study import Study


class SelectiveCodingStage:
    """The core category, the others ordered around it, and a storyline skeleton with quotes."""

    name = "selective_coding"
    version = "1"

    def inputs(self, study: Study, cohort: Cohort) -> dict[str, Any]:
        eligible = cohort.eligible
        return {
            "eligible": eligible,
            **coding_inputs(study, eligible),
            "quotes": quote_inputs(study, eligible),
            "title": study.config.study.title,
        }

    def run(self, study: Study, cohort: Cohort) -> Outcome:
        eligible = cohort.eligible
        if not eligible:
            return Outcome("waiting", "researcher: no respondent has finished open coding yet; code a transcript and run again")
        # pandas loads here, not at import: `status` imports this module
        from tasks.analysis import cooccurrence as co
        from tasks.analysis import quotes as q
        from tasks.analysis.frames import load_coded, load_segments
        from tasks.analysis.tables import write_csv
        from tasks.selective_coding.storyline import choose_core, link_quotes, storyline

        data = load_coded(study, eligible)
        inc = co.incidence(data)
        core = choose_core(data, inc)
        rights = q.permissions(study, eligible)
        candidates = q.candidates(data, load_segments(study, eligible), rights.quotes)
        chosen = q.shown(
            study,
            link_quotes(data, inc, candidates, core.category, study.config.aggregation.quotes_per_code),
            q.numbers(study),
            rights,
        )
        out = study.catalog.selective
        outputs = (
            write_csv(core.ranking, out("categories.csv")),
            write_text(out("storyline.md"), storyline(study.config.study.title, data, core, chosen)),
            write_json(
                study.catalog.core,
                {"core_category": core.category, "source": core.source, "evidence": core.evidence,
                 "order": list(core.ranking["category"])},
            ),
        )
        return Outcome(
            "done",
            f"core category {core.category} ({core.source})",
            outputs=outputs,
            counts={"categories": len(core.ranking), "quotes": len(chosen)},
            meta={"core_category": core.category, "core_source": core.source},
        )


STAGE = SelectiveCodingStage()
