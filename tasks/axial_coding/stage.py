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
        return {"eligible": eligible, **coding_inputs(study, eligible)}

    def run(self, study: Study, cohort: Cohort) -> Outcome:
        eligible = cohort.eligible
        if not eligible:
            return Outcome("waiting", NOBODY)
        # pandas and matplotlib load here, not at import: `status` imports this module
        from tasks.analysis import cooccurrence as co
        from tasks.analysis.frames import load_coded
        from tasks.analysis.plots import heatmap
        from tasks.analysis.tables import write_csv
        from tasks.core.files import write_bytes

        data = load_coded(study, eligible)
        inc = co.incidence(data)
        out = study.catalog.axial
        relations = [(r.source, r.target, r.type, r.note) for r in data.codebook.relations]
        evidence = co.relation_evidence(inc, relations)
        by_segment = co.code_matrix(inc, "segments")
        outputs = (
            write_csv(co.code_summary(data), out("codes.csv")),
            write_csv(co.category_summary(data), out("categories.csv")),
            write_csv(by_segment, out("cooccurrence_segments.csv"), index=True),
            write_csv(co.code_matrix(inc, "respondents"), out("cooccurrence_respondents.csv"), index=True),
            write_csv(co.category_links(inc), out("category_links.csv")),
            write_csv(evidence, out("relations.csv")),
            write_bytes(study.catalog.heatmap, heatmap(by_segment, "Codes in the same segment", "segments")),
        )
        supported = int((evidence["segments"] > 0).sum())
        return Outcome(
            "done",
            f"{len(eligible)} respondents, {len(inc.segment_ids)} coded segments; "
            f"{supported} of {len(relations)} relations with evidence",
            outputs=outputs,
            counts={"respondents": len(eligible), "segments": len(inc.segment_ids), "relations": len(relations)},
        )


STAGE = AxialCodingStage()
