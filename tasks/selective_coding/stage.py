"""Selective coding stage (whole study): one core category and the others integrated around it.

Writes to `out/07_selective/`: `categories.csv` (the core category first, then the others ordered
by their connection to it, with the evidence) and `storyline.md`, a skeleton for the results
chapter with the strongest quotes for every link. The core category is the codebook's
`core_category` or, when none is set, proposed as the most connected category.
"""

from __future__ import annotations

from typing import Any

from tasks.analysis.inputs import coding_inputs, quote_inputs
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
        from tasks.selective_coding import work  # pandas: loaded when the stage runs, never for `status`

        return work.run(study, eligible)


STAGE = SelectiveCodingStage()
