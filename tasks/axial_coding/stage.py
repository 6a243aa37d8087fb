"""Axial coding stage (whole study): how codes and categories hang together.

Writes to `out/06_axial/`: per code and per category the respondents and segments
(`codes.csv`, `categories.csv`), code × code co-occurrence in one segment and in one respondent
(`cooccurrence_segments.csv`, `cooccurrence_respondents.csv`), the connections between
categories (`category_links.csv`), the codebook's relations with their evidence
(`relations.csv`), and a heatmap of segment co-occurrence (`heatmap.png`).
"""

from __future__ import annotations

from typing import Any

from tasks.analysis.inputs import coding_inputs
from tasks.core.manifest import Outcome
from tasks.core.stage import Cohort
from tasks.core.study import Study

NOBODY = "researcher: no respondent has finished open coding yet; code a transcript and run again"


class AxialCodingStage:
    """Co-occurrence of codes and categories, and the evidence for the codebook's relations."""

    name = "axial_coding"
    version = "1"

    def inputs(self, study: Study, cohort: Cohort) -> dict[str, Any]:
        eligible = cohort.eligible
        return {"eligible": eligible, **coding_inputs(study, eligible), "language": study.config.study.language}

    def run(self, study: Study, cohort: Cohort) -> Outcome:
        eligible = cohort.eligible
        if not eligible:
            return Outcome("waiting", NOBODY)
        from tasks.axial_coding import work  # pandas and matplotlib: loaded when the stage runs, never for `status`

        return work.run(study, eligible)


STAGE = AxialCodingStage()
