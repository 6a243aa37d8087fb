"""Axial coding's work: co-occurrence tables, relation evidence and the heatmap of the eligible respondents."""

from __future__ import annotations

from tasks.analysis import cooccurrence as co
from tasks.analysis.frames import load_coded
from tasks.analysis.plots import heatmap
from tasks.analysis.tables import write_csv
from tasks.core.files import write_bytes
from tasks.core.manifest import Outcome
from tasks.core.study import Study
from tasks.core.texts import Texts


def run(study: Study, eligible: list[str]) -> Outcome:
    """Write the co-occurrence tables, the relations' evidence and the heatmap."""
    data = load_coded(study, eligible)
    inc = co.incidence(data)
    out = study.catalog.axial
    relations = [(r.source, r.target, r.type, r.note) for r in data.codebook.relations]
    evidence = co.relation_evidence(inc, relations)
    by_segment = co.code_matrix(inc, "segments")
    tx = Texts(study.config.study.language)
    names = {code.id: code.name for _, code in data.codebook.codes()}
    figure = heatmap(by_segment, tx("figure.heatmap_title"), tx("figure.heatmap_unit"), names)
    outputs = (
        write_csv(co.code_summary(data), out("codes.csv")),
        write_csv(co.category_summary(data), out("categories.csv")),
        write_csv(by_segment, out("cooccurrence_segments.csv"), index=True),
        write_csv(co.code_matrix(inc, "respondents"), out("cooccurrence_respondents.csv"), index=True),
        write_csv(co.category_links(inc), out("category_links.csv")),
        write_csv(evidence, out("relations.csv")),
        write_bytes(study.catalog.heatmap, figure),
    )
    supported = int((evidence["segments"] > 0).sum())
    return Outcome(
        "done",
        f"{len(eligible)} respondents, {len(inc.segment_ids)} coded segments; "
        f"{supported} of {len(relations)} relations with evidence",
        outputs=outputs,
        counts={"respondents": len(eligible), "segments": len(inc.segment_ids), "relations": len(relations)},
    )
