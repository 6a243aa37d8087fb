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

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tasks.analysis.frames import load_coded, load_segments
from tasks.analysis.inputs import coding_inputs, transcript_inputs
from tasks.core.files import fingerprint, remove
from tasks.core.sheets import write_csv
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
    every = _coders(coded)
    pairs = every[every.map(len) == 2]
    units = segments[KEYS].drop_duplicates()
    units = units[units["respondent_id"].isin(pairs.index)].sort_values(KEYS).reset_index(drop=True)
    cells = _cells(coded, units, pairs, codes)
    per_code = _per_code(cells, len(units))
    overall = _overall(per_code, pairs, len(units), _identical(cells, units))
    overall["note"] = _coverage(every)
    return per_code, overall, _disagreements(cells, units, pairs)


@dataclass(frozen=True)
class Cells:
    """The coded units as integers: cell = unit × len(codes) + code, per coder (sorted, distinct).

    Units are the double-coded segments in (respondent, segment) order; integer keys keep this
    vectorised on a study of a thousand double-coded transcripts."""

    codes: list[str]
    first: np.ndarray
    second: np.ndarray

    def split(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return cells // len(self.codes), cells % len(self.codes)


def _cells(coded: pd.DataFrame, units: pd.DataFrame, pairs: pd.Series, codes: list[str] | None) -> Cells:
    position = pd.Index(units["segment_id"]).get_indexer(coded["segment_id"])
    owners = np.append(units["respondent_id"].to_numpy(dtype=object), np.array([None], dtype=object))
    owner = owners[position]  # position -1 (not a double-coded unit): None
    keep = (position >= 0) & (owner == coded["respondent_id"].to_numpy())
    coded, position = coded[keep], position[keep]
    names = list(dict.fromkeys([*(codes or []), *sorted(coded["code"].unique().tolist())]))
    cell = position * len(names) + pd.Index(names).get_indexer(coded["code"])
    second = coded["coder"].to_numpy() == coded["respondent_id"].map(pairs.str[1]).to_numpy()
    return Cells(names, _distinct(cell[~second]), _distinct(cell[second]))


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hash path is some 15 times slower on a million keys)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def _coders(coded: pd.DataFrame) -> pd.Series:
    """respondent -> the sorted tuple of their coders."""
    distinct = coded[["respondent_id", "coder"]].drop_duplicates().sort_values(["respondent_id", "coder"])
    return distinct.groupby("respondent_id")["coder"].agg(tuple)


def _human(codings: pd.DataFrame) -> pd.DataFrame:
    frame = codings
    if "source" in frame.columns:
        frame = frame[frame["source"] != "suggestion"]
    coders = frame["coder"].astype(str)
    blank = [coder for coder in coders.unique() if not coder.strip()]  # few distinct coders: cheap
    frame = frame[~coders.isin(blank).to_numpy()]
    return frame[[*KEYS, "code", "coder"]].astype(str)


def _per_code(cells: Cells, n: int) -> pd.DataFrame:
    width = len(cells.codes)
    both = np.intersect1d(cells.first, cells.second, assume_unique=True)
    counts = pd.DataFrame(
        {
            "code": cells.codes,
            "units": n,
            "both": np.bincount(both % width, minlength=width) if width else [],
            "first_only": np.bincount(cells.first % width, minlength=width) if width else [],
            "second_only": np.bincount(cells.second % width, minlength=width) if width else [],
        }
    )
    counts["first_only"] -= counts["both"]
    counts["second_only"] -= counts["both"]
    counts["neither"] = n - counts["both"] - counts["first_only"] - counts["second_only"]
    table = _metrics(counts.astype({k: int for k in COUNTS}))
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


def _identical(cells: Cells, units: pd.DataFrame) -> float:
    """Share of segments to which both coders gave exactly the same set of codes."""
    if units.empty:
        return float("nan")
    return 1.0 - len(_differing_units(cells)) / len(units)


def _differing_units(cells: Cells) -> np.ndarray:
    one_sided = np.setxor1d(cells.first, cells.second, assume_unique=True)
    return _distinct(cells.split(one_sided)[0])


def _joined(cells: Cells, chosen: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Per unit of `units` (sorted), the names of its codes among `chosen` cells, sorted and joined
    with "; " ("" when none): one pass over the cells, no Python call per group."""
    unit, code = cells.split(chosen[np.isin(chosen // len(cells.codes), units)])
    names = np.asarray(cells.codes, dtype=object)
    rank = np.argsort(np.argsort(names.astype(str)))  # code -> its place in name order
    order = np.lexsort((rank[code], unit))
    unit, labels = unit[order], names[code[order]].tolist()
    bounds = np.flatnonzero(np.r_[True, unit[1:] != unit[:-1]]).tolist() + [len(unit)]
    texts = ["; ".join(labels[a:b]) for a, b in itertools.pairwise(bounds)]
    result = np.full(len(units), "", dtype=object)
    result[np.searchsorted(units, unit[bounds[:-1]])] = texts
    return result


def _disagreements(cells: Cells, units: pd.DataFrame, pairs: pd.Series) -> pd.DataFrame:
    """One row per segment where the coders' codes differ, with both coders' codes and the difference."""
    columns = ["respondent_id", "segment_id", "first_coder", "codes_first", "second_coder", "codes_second", "differing"]
    differing = _differing_units(cells)
    if not len(differing):
        return pd.DataFrame(columns=columns)
    table = units.iloc[differing].reset_index(drop=True)
    table["first_coder"] = table["respondent_id"].map(pairs.str[0])
    table["codes_first"] = _joined(cells, cells.first, differing)
    table["second_coder"] = table["respondent_id"].map(pairs.str[1])
    table["codes_second"] = _joined(cells, cells.second, differing)
    table["differing"] = _joined(cells, np.setxor1d(cells.first, cells.second, assume_unique=True), differing)
    return table[columns]


def study_tables(study: Study, eligible: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """agreement_tables over the eligible respondents' normalised codings and approved transcripts
    (computed once per run: the report, agreement.csv and the methods appendix share them)."""
    hashes = [coding_inputs(study, eligible), transcript_inputs(study, eligible)]
    memo = ("agreement", tuple(eligible), fingerprint(hashes))
    return study.cache.memo(study_tables, memo, lambda: _study_tables(study, eligible))


def _study_tables(study: Study, eligible: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # the frames the aggregation stage has loaded already (cached per content hash): no second read
    codings = load_coded(study, eligible).rows
    segments = load_segments(study, eligible)[KEYS]  # agreement_tables keeps the double-coded ones
    return agreement_tables(codings, segments, list(study.codebook.code_ids()))


def write_agreement(
    study: Study, eligible: list[str], tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None
) -> tuple[Path, ...]:
    """out/results/agreement.csv (per code, then the overall row) and agreement_disagreements.csv.

    `tables`: study_tables' result when the caller has it already. Returns the paths written; none
    (and stale files removed) when no respondent has two coders.
    """
    paths = (study.catalog.result("agreement.csv"), study.catalog.result("agreement_disagreements.csv"))
    per_code, overall, disagreements = tables if tables is not None else study_tables(study, eligible)
    if overall["respondents"].iloc[0] == 0:
        for path in paths:
            remove(path)
        return ()
    table = pd.concat([per_code, overall[per_code.columns]], ignore_index=True)
    for frame, path in ((table.round(4), paths[0]), (disagreements, paths[1])):
        write_csv(frame, path)
    return paths
