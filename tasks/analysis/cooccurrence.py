"""Axial coding arithmetic: which codes and categories occur together, in one segment or in one
respondent's interview, and the evidence for the codebook's relations.

Everything is computed on boolean incidence matrices (segments × nodes, respondents × nodes,
where nodes are the codes followed by the categories) with one matrix product each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tasks.analysis.frames import Coded

LEVELS = ("segments", "respondents")


@dataclass(frozen=True)
class Incidence:
    nodes: list[str]
    kinds: list[str]
    segment_ids: np.ndarray
    respondents: list[str]
    by_segment: np.ndarray
    by_respondent: np.ndarray

    def index(self, node: str) -> int:
        return self.nodes.index(node)

    def matrix(self, level: str) -> np.ndarray:
        return self.by_segment if level == "segments" else self.by_respondent

    def together(self, level: str) -> np.ndarray:
        """nodes × nodes: how many segments (or respondents) carry both; the diagonal, each alone."""
        return together(self.matrix(level))


def together(matrix: np.ndarray) -> np.ndarray:
    """columns × columns: rows where both columns are true, by AND and popcount on packed bits.

    Exact integers without a BLAS call (multithreaded BLAS is slower than this on small machines).
    """
    packed = np.packbits(np.ascontiguousarray(matrix.T), axis=1)
    padded = np.zeros((packed.shape[0], -(-packed.shape[1] // 8) * 8), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    bits = padded.view(np.uint64)  # 64 rows per word: 8x fewer operations than bytes
    counts = np.empty((bits.shape[0], bits.shape[0]), dtype=np.int64)
    for column in range(bits.shape[0]):
        counts[column] = np.bitwise_count(bits[column] & bits).sum(axis=1, dtype=np.int64)
    return counts


def incidence(data: Coded) -> Incidence:
    codes = list(data.codes["code"])
    categories = [c.id for c in data.codebook.categories]
    coded = data.coded
    seg_index = coded["seg"].to_numpy()
    code_index = coded["code"].cat.codes.to_numpy()
    cat_index = len(codes) + coded["category"].cat.codes.to_numpy().astype(np.int64)
    resp_index = coded["respondent_id"].cat.codes.to_numpy()
    width = len(codes) + len(categories)
    by_segment = np.zeros((len(data.segment_ids), width), dtype=bool)
    by_respondent = np.zeros((len(data.eligible), width), dtype=bool)
    for column in (code_index, cat_index):
        by_segment[seg_index, column] = True
        by_respondent[resp_index, column] = True
    kinds = ["code"] * len(codes) + ["category"] * len(categories)
    return Incidence(codes + categories, kinds, data.segment_ids, list(data.eligible), by_segment, by_respondent)


def code_matrix(inc: Incidence, level: str) -> pd.DataFrame:
    """code × code co-occurrence as a square table (the diagonal: the code on its own)."""
    n = inc.kinds.count("code")
    codes = inc.nodes[:n]
    table = pd.DataFrame(inc.together(level)[:n, :n], index=codes, columns=codes)
    table.index.name = "code"
    return table


def category_links(inc: Incidence) -> pd.DataFrame:
    """Every ordered pair of different categories with the segments and respondents they share."""
    start = inc.kinds.index("category") if "category" in inc.kinds else len(inc.nodes)
    cats = inc.nodes[start:]
    seg = inc.together("segments")[start:, start:]
    resp = inc.together("respondents")[start:, start:]
    a, b = np.meshgrid(np.arange(len(cats)), np.arange(len(cats)), indexing="ij")
    mask = a != b
    return pd.DataFrame(
        {
            "category": np.asarray(cats, dtype=object)[a[mask]],
            "other": np.asarray(cats, dtype=object)[b[mask]],
            "segments": seg[mask],
            "respondents": resp[mask],
        }
    )


def relation_evidence(inc: Incidence, relations: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Per codebook relation (from, to, type, note): segments and respondents carrying both ends."""
    rows = []
    for source, target, kind, note in relations:
        i, j = inc.index(source), inc.index(target)
        segs = inc.by_segment[:, i] & inc.by_segment[:, j]
        resp = inc.by_respondent[:, i] & inc.by_respondent[:, j]
        rows.append(
            {
                "from": source,
                "to": target,
                "type": kind,
                "note": note,
                "segments": int(segs.sum()),
                "respondents": int(resp.sum()),
                "respondent_ids": ";".join(np.asarray(inc.respondents, dtype=object)[resp]),
                "segment_ids": ";".join(inc.segment_ids[segs]),
            }
        )
    columns = ["from", "to", "type", "note", "segments", "respondents", "respondent_ids", "segment_ids"]
    return pd.DataFrame(rows, columns=columns)


def code_summary(data: Coded) -> pd.DataFrame:
    """Per code (codebook order): its category, respondents and segments, counted and listed."""
    coded = data.coded
    summary = _listing(coded["code"].cat.codes.to_numpy(), len(data.codes), coded)
    return pd.concat([data.codes.reset_index(drop=True), summary], axis=1)


def category_summary(data: Coded) -> pd.DataFrame:
    """Per category: codes used, respondents and segments (a segment with two of its codes counts once)."""
    coded = data.coded.drop_duplicates(["seg", "category"])
    categories = data.codebook.categories
    summary = _listing(coded["category"].cat.codes.to_numpy(), len(categories), coded)
    used = data.coded.groupby("category", observed=False)["code"].nunique().to_numpy()
    names = pd.DataFrame(
        {"category": [c.id for c in categories], "name": [c.name for c in categories],
         "codes": [len(c.codes) for c in categories], "codes_used": used}
    )
    return pd.concat([names, summary], axis=1)


def _listing(group: np.ndarray, groups: int, coded: pd.DataFrame) -> pd.DataFrame:
    """Per group number: distinct respondents and rows, and both listed (in file order)."""
    order = np.argsort(group, kind="stable")
    bounds = np.cumsum(np.bincount(group, minlength=groups))[:-1]
    respondents = coded["respondent_id"].to_numpy(dtype=object)[order]
    segments = coded["segment_id"].to_numpy(dtype=object)[order]
    people = [list(dict.fromkeys(chunk)) for chunk in np.split(respondents, bounds)]
    parts = np.split(segments, bounds)
    return pd.DataFrame(
        {
            "respondents": [len(chunk) for chunk in people],
            "segments": [len(chunk) for chunk in parts],
            "respondent_ids": [";".join(chunk) for chunk in people],
            "segment_ids": [";".join(chunk) for chunk in parts],
        }
    )
