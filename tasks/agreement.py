"""Intercoder agreement at segment level: percent agreement, Cohen's kappa, Krippendorff's alpha.

The unit is a segment × code: each coder either gave the segment the code or did not (binary,
nominal). Only respondents coded by exactly two coders count; per respondent the alphabetically
first coder is "first", the other "second", and units are pooled over respondents. Accepted
keyword suggestions (source `suggestion`) are no coder and are left out.

Per code, with N units, a = both coded, b = first only, c = second only, d = neither:
  percent agreement p_o = (a + d) / N
  Cohen's kappa       = (p_o - p_e) / (1 - p_e), p_e = p1·p2 + (1 - p1)(1 - p2), p1 = (a+b)/N, p2 = (a+c)/N
  Krippendorff's alpha = 1 - (n - 1)(b + c) / (n0 · n1), n = 2N, n1 = 2a + b + c, n0 = n - n1
Degenerate cases: a code nobody used has agreement 1.0 by definition and no kappa or alpha (there
is no variation to agree on: both are 0/0); the same holds when both coders gave a code to every
segment. Those cells are NaN (empty in the CSV) and the note says why. The overall row pools the
units of every code at least one coder used (unused codes would only inflate agreement).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tasks.core.files import atomic_path, remove
from tasks.core.study import Study

KEYS = ["respondent_id", "segment_id"]
COUNTS = ["units", "both", "first_only", "second_only", "neither"]
METRICS = ["percent_agreement", "kappa", "alpha"]
UNUSED = "neither coder used this code: agreement 1.0 by definition; kappa and alpha undefined"
EVERYWHERE = "both coders gave this code to every segment: kappa and alpha undefined"
OVERALL = "(all codes used)"


def agreement_tables(
    codings: pd.DataFrame, segments: pd.DataFrame, codes: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per code, overall (one row) and the segments in disagreement, from normalised codings.

    `codings` has respondent_id, segment_id, code, coder (source optional); `segments` has
    respondent_id, segment_id (every segment of the transcripts, coded or not); `codes` lists the
    codes to report (the codebook's, so that unused codes appear), codings' other codes follow.
    """
    coded = _human(codings)
    every = coded.groupby("respondent_id")["coder"].agg(lambda s: tuple(sorted(set(s))))
    pairs = every[every.map(len) == 2]
    units = segments[KEYS].drop_duplicates()
    units = units[units["respondent_id"].isin(pairs.index)]
    coded = coded.merge(units, on=KEYS)
    coded["second"] = coded["coder"] == coded["respondent_id"].map(lambda rid: pairs[rid][1])
    presence = coded.assign(first=~coded["second"]).groupby([*KEYS, "code"])[["first", "second"]].any()
    per_code = _per_code(presence.reset_index(), len(units), codes)
    overall = _overall(per_code, pairs, len(units), _identical(coded, units))
    overall["note"] = _coverage(every)
    return per_code, overall, _disagreements(coded, presence.reset_index(), pairs)


def _human(codings: pd.DataFrame) -> pd.DataFrame:
    frame = codings
    if "source" in frame.columns:
        frame = frame[frame["source"] != "suggestion"]
    frame = frame[frame["coder"].astype(str).str.strip() != ""]
    return frame[[*KEYS, "code", "coder"]].astype(str).drop_duplicates()


def _per_code(presence: pd.DataFrame, n: int, codes: list[str] | None) -> pd.DataFrame:
    first, second = presence["first"], presence["second"]
    counts = pd.DataFrame(
        {
            "code": presence["code"],
            "both": first & second,
            "first_only": first & ~second,
            "second_only": ~first & second,
        }
    ).groupby("code").sum()
    order = list(dict.fromkeys([*(codes or []), *sorted(counts.index)]))
    counts = counts.reindex(order, fill_value=0).astype(int)
    counts.index.name = "code"
    counts.insert(0, "units", n)
    counts["neither"] = n - counts["both"] - counts["first_only"] - counts["second_only"]
    table = _metrics(counts.reset_index())
    used = table["both"] + table["first_only"] + table["second_only"] > 0
    table["note"] = np.where(~used, UNUSED, np.where(table["kappa"].isna() & (n > 0), EVERYWHERE, ""))
    return table


def _metrics(counts: pd.DataFrame) -> pd.DataFrame:
    """Add percent agreement, kappa and alpha to a frame of binary 2×2 counts (vectorised)."""
    n = counts["units"].astype(float)
    a, b, c, d = (counts[k].astype(float) for k in ("both", "first_only", "second_only", "neither"))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (a + d) / n
        p1, p2 = (a + b) / n, (a + c) / n
        expected = p1 * p2 + (1 - p1) * (1 - p2)
        kappa = (observed - expected) / (1 - expected)
        pairable = 2 * n
        n1 = 2 * a + b + c
        alpha = 1 - (pairable - 1) * (b + c) / ((pairable - n1) * n1)
    valid = (n1 > 0) & (n1 < pairable)
    return counts.assign(
        percent_agreement=observed.where(n > 0),
        kappa=kappa.where(valid),
        alpha=alpha.where(valid),
    )


def _overall(per_code: pd.DataFrame, pairs: pd.Series, n: int, identical: float) -> pd.DataFrame:
    used = per_code[per_code["note"] != UNUSED]
    totals = {k: int(used[k].sum()) for k in COUNTS}
    row = pd.DataFrame([{"code": OVERALL, **totals}])
    table = _metrics(row)
    table.insert(0, "respondents", len(pairs))
    table.insert(1, "coders", ", ".join(sorted({c for pair in pairs for c in pair})))
    table.insert(2, "segments", n)
    table.insert(3, "codes", len(used))
    table["segments_identical"] = identical
    return table


def _coverage(every: pd.Series) -> str:
    many = sorted(str(rid) for rid, coders in every.items() if len(coders) > 2)
    text = f"{int((every.map(len) == 2).sum())} of {len(every)} coded respondents coded by two coders"
    return text + (f"; more than two coders, left out: {', '.join(many)}" if many else "")


def _identical(coded: pd.DataFrame, units: pd.DataFrame) -> float:
    """Share of segments to which both coders gave exactly the same set of codes."""
    if units.empty:
        return float("nan")
    sets = _code_sets(coded)
    return 1.0 - len(sets[sets["codes_first"] != sets["codes_second"]]) / len(units)


def _code_sets(coded: pd.DataFrame) -> pd.DataFrame:
    joined = coded.groupby([*KEYS, "second"])["code"].agg(lambda s: "; ".join(sorted(s))).unstack("second")
    joined = joined.reindex(columns=[False, True]).fillna("")
    joined.columns = pd.Index(["codes_first", "codes_second"])
    return joined.reset_index()


def _disagreements(coded: pd.DataFrame, presence: pd.DataFrame, pairs: pd.Series) -> pd.DataFrame:
    """One row per segment where the coders' codes differ, with both coders' codes and the difference."""
    columns = ["respondent_id", "segment_id", "first_coder", "codes_first", "second_coder", "codes_second", "differing"]
    differ = presence[presence["first"] != presence["second"]]
    if differ.empty:
        return pd.DataFrame(columns=columns)
    differing = differ.groupby(KEYS)["code"].agg(lambda s: "; ".join(sorted(s))).rename("differing").reset_index()
    table = differing.merge(_code_sets(coded), on=KEYS, how="left")
    table["first_coder"] = table["respondent_id"].map(lambda rid: pairs[rid][0])
    table["second_coder"] = table["respondent_id"].map(lambda rid: pairs[rid][1])
    return table[columns].sort_values(KEYS, kind="stable").reset_index(drop=True)


def study_tables(study: Study, eligible: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """agreement_tables over the eligible respondents' normalised codings and approved transcripts."""
    from tasks.exchange.common import load_approved, load_codings

    codings = load_codings(study, eligible)
    coders = _human(codings).groupby("respondent_id")["coder"].nunique()
    rows = [
        (rid, segment.segment_id)
        for rid in coders[coders == 2].index
        for segment in load_approved(study, str(rid)).segments
    ]
    segments = pd.DataFrame(rows, columns=KEYS)
    return agreement_tables(codings, segments, list(study.codebook.code_ids()))


def write_agreement(study: Study, eligible: list[str]) -> tuple[Path, ...]:
    """out/results/agreement.csv (per code, then the overall row) and agreement_disagreements.csv.

    Returns the paths written; none (and stale files removed) when no respondent has two coders.
    """
    folder = study.stage_dir("aggregation")
    paths = (folder / "agreement.csv", folder / "agreement_disagreements.csv")
    per_code, overall, disagreements = study_tables(study, eligible)
    if overall["respondents"].iloc[0] == 0:
        for path in paths:
            remove(path)
        return ()
    table = pd.concat([per_code, overall[per_code.columns]], ignore_index=True)
    for frame, path in ((table.round(4), paths[0]), (disagreements, paths[1])):
        with atomic_path(path) as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n")
    return paths
