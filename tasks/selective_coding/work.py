"""Selective coding's work: the core category, the categories around it, the storyline with quotes."""

from __future__ import annotations

from tasks.analysis import cooccurrence as co
from tasks.analysis import quotes as q
from tasks.analysis.frames import load_coded, load_segments
from tasks.analysis.tables import write_csv
from tasks.core.files import write_json, write_text
from tasks.core.manifest import Outcome
from tasks.core.study import Study
from tasks.selective_coding.storyline import choose_core, link_quotes, storyline


def run(study: Study, eligible: list[str]) -> Outcome:
    """Choose the core category and write categories.csv, storyline.md and core.json."""
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
