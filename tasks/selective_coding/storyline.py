"""Selective coding's analysis: the core category (from the codebook, or proposed as the most
connected category, with the evidence), the other categories ordered by their connection to it,
the strongest quotes per link and the storyline skeleton in Markdown. Used by
tasks/selective_coding.py, which imports it only when the stage runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tasks.analysis import cooccurrence as co
from tasks.analysis import quotes as q
from tasks.analysis.frames import Coded

COLUMNS = [
    "rank", "category", "name", "core", "segments_with_core", "respondents_with_core", "relations_with_core",
    "segments_linked", "respondents_linked", "relations",
]


@dataclass(frozen=True)
class Core:
    category: str
    source: str  # "codebook" | "proposed"
    evidence: str
    ranking: pd.DataFrame


def relation_counts(data: Coded) -> pd.DataFrame:
    """category × category: codebook relations joining them (through their codes or themselves)."""
    category_of = {**data.codebook.category_of(), **{c.id: c.id for c in data.codebook.categories}}
    cats = [c.id for c in data.codebook.categories]
    counts = pd.DataFrame(0, index=cats, columns=cats, dtype="int64")
    for relation in data.codebook.relations:
        a, b = category_of[relation.source], category_of[relation.target]
        if a != b:
            counts.loc[a, b] += 1
            counts.loc[b, a] += 1
    return counts


def choose_core(data: Coded, inc: co.Incidence) -> Core:
    """The core category and every category's connection to it (ranked)."""
    cats = [c.id for c in data.codebook.categories]
    names = {c.id: c.name for c in data.codebook.categories}
    links = co.category_links(inc)
    relations = relation_counts(data)
    totals = pd.DataFrame(
        {
            "segments_linked": links.groupby("category")["segments"].sum().reindex(cats, fill_value=0),
            "respondents_linked": links.groupby("category")["respondents"].sum().reindex(cats, fill_value=0),
            "relations": relations.sum(axis=1),
            "order": np.arange(len(cats)),
        }
    )
    proposed = totals.sort_values(
        ["segments_linked", "relations", "respondents_linked", "order"], ascending=[False, False, False, True]
    ).index[0]
    configured = data.codebook.core_category
    core = configured or str(proposed)
    with_core = links[links["other"] == core].set_index("category")
    ranking = totals.assign(
        segments_with_core=with_core["segments"].reindex(cats, fill_value=0),
        respondents_with_core=with_core["respondents"].reindex(cats, fill_value=0),
        relations_with_core=relations[core],
        is_core=[c == core for c in cats],
    ).sort_values(
        ["is_core", "segments_with_core", "respondents_with_core", "relations_with_core", "order"],
        ascending=[False, False, False, False, True],
    )
    ranking = ranking.reset_index(names="category")
    ranking["rank"] = np.arange(1, len(ranking) + 1)
    ranking["name"] = ranking["category"].map(names)
    ranking["core"] = np.where(ranking["is_core"], "yes", "")
    ranking.loc[ranking["is_core"], ["segments_with_core", "respondents_with_core", "relations_with_core"]] = 0
    top = totals.loc[proposed]
    linked = int((links[links["category"] == proposed]["segments"] > 0).sum())
    reason = (
        f"{int(top['segments_linked'])} segments shared with {linked} other categories, "
        f"{int(top['relations'])} codebook relations"
    )
    if configured:
        evidence = "set as core_category in config/codebook.yaml"
        if str(proposed) != configured:
            evidence += f"; by the data the most connected category is {proposed} ({reason})"
    else:
        evidence = f"proposed as the most connected category: {reason}"
    return Core(core, "codebook" if configured else "proposed", evidence, ranking[COLUMNS])


def link_quotes(
    data: Coded, inc: co.Incidence, candidates: pd.DataFrame, core: str, per_link: int
) -> pd.DataFrame:
    """Per category, the strongest quotes from segments that also carry the core category
    (for the core itself: its strongest quotes)."""
    per_category = candidates.sort_values("score", ascending=False, kind="stable").drop_duplicates(
        ["seg", "category"]
    )
    with_core = inc.by_segment[:, inc.index(core)][per_category["seg"].to_numpy()]
    return q.best(per_category[with_core], ["category"], per_link)


def storyline(title: str, data: Coded, core: Core, chosen: pd.DataFrame) -> str:
    """A Markdown skeleton: the core category, then each link to it with its evidence and quotes."""
    names = {c.id: c.name for c in data.codebook.categories}
    lines = [f"# Storyline skeleton: {title}", ""]
    lines += [f"Core category: **{names[core.category]}** (`{core.category}`): {core.evidence}.", ""]
    lines += [f"n = {len(data.eligible)} respondents.", ""]
    by_category = {cat: group for cat, group in chosen.groupby("category", observed=True)}
    for row in core.ranking.itertuples():
        if row.core:
            lines += [f"## {names[row.category]} (core)", ""]
        else:
            lines += [f"## {row.rank - 1}. {names[core.category]} and {names[row.category]}", ""]
            lines += [
                (f"Connection: {row.segments_with_core} shared segments, {row.respondents_with_core} respondents "
                f"with both; codebook relations: {row.relations_with_core}."),
                "",
            ]
        group = by_category.get(row.category)
        if group is None or group.empty:
            lines += ["No quotable segment carries both categories.", ""]
        else:
            lines += [f"> {q.label(int(r.respondent), ' '.join(str(r.text).split()))}" for r in group.itertuples()]
            lines.append("")
        todo = "what the core category is about" if row.core else "how this category relates to the core category"
        lines += [f"_Write here {todo}._", ""]
    return "\n".join(lines)
