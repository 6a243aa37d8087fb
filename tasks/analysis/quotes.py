"""Choosing quotes: the respondent's own words, only with consent for quotes, pseudonymised where
the respondent asked for it (or the study says so for everyone), and never the interviewer.

"Best" is a simple, documented heuristic: segments more coders agreed on first, then segments whose
length is closest to a readable quote (about 180 characters, some 30 words; at least 25); one quote
per respondent before a second from the same respondent, so that a code's quotes show several voices.
For the results (`distinct`), codes take their quotes in codebook order and a segment already shown
under an earlier code comes last: a segment coded with three neighbouring codes is quoted under the
first, and under the others only when they have no other quotable segment left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tasks.analysis.frames import Coded, attach
from tasks.analysis.inputs import Permissions, numbers, permissions, quote_inputs
from tasks.core.study import Study
from tasks.privacy.key import save_key
from tasks.privacy.pseudonymise import pseudonymise_texts, strip_personal

__all__ = ["Permissions", "best", "candidates", "distinct", "label", "numbers", "permissions", "quote_inputs", "shown"]

MIN_CHARS = 25
IDEAL_CHARS = 180


def candidates(data: Coded, segments: pd.DataFrame, allowed: frozenset[str]) -> pd.DataFrame:
    """Coded segments that may be quoted, with a score (higher is better); kept for the run."""
    key = ("candidates", id(segments), allowed)
    if key in data.memo:
        return data.memo[key][1]
    frame = attach(data, segments, ["speaker", "text", "chars"])
    usable = (
        (frame["speaker"] != "interviewer")
        & (frame["chars"] >= MIN_CHARS)
        & frame["respondent_id"].isin(list(allowed)).to_numpy()
    )
    frame = frame[usable.to_numpy()]
    frame = frame.assign(score=frame["coders"] * 10_000 - (frame["chars"] - IDEAL_CHARS).abs())
    data.memo[key] = (segments, frame)
    return frame


def best(frame: pd.DataFrame, group: list[str], per_group: int) -> pd.DataFrame:
    """The `per_group` best rows per group, one per respondent before any second one."""
    if frame.empty or per_group == 0:
        return frame.iloc[0:0].assign(rank=pd.Series(dtype="int64"))
    ordered = frame.sort_values(["score", "seg"], ascending=[False, True], kind="stable")
    ordered = ordered.assign(turn=ordered.groupby([*group, "respondent_id"], observed=True).cumcount())
    ordered = ordered[ordered["turn"] < per_group].sort_values([*group, "turn"], kind="stable")
    chosen = ordered.groupby(group, observed=True, sort=False).head(per_group)
    chosen = chosen.assign(rank=chosen.groupby(group, observed=True).cumcount() + 1)
    return chosen.drop(columns=["turn"]).reset_index(drop=True)


def distinct(frame: pd.DataFrame, per_code: int) -> pd.DataFrame:
    """`best` per code, with segments quoted under an earlier code (codebook order) only as a last resort."""
    if frame.empty or per_code == 0:
        return best(frame, ["code"], per_code)
    ordered = frame.sort_values(["score", "seg"], ascending=[False, True], kind="stable")
    used: set[int] = set()
    parts = []
    for _code, rows in ordered.groupby("code", observed=True, sort=True):
        rows = rows.assign(reused=rows["seg"].isin(list(used)))
        rows = rows.assign(turn=rows.groupby(["reused", "respondent_id"], observed=True).cumcount())
        chosen = rows.sort_values(["reused", "turn"], kind="stable").head(per_code)
        used.update(int(seg) for seg in chosen["seg"])
        parts.append(chosen.assign(rank=np.arange(1, len(chosen) + 1)))
    return pd.concat(parts).drop(columns=["reused", "turn"]).reset_index(drop=True)


def shown(study: Study, frame: pd.DataFrame, numbers: dict[str, int], rights: Permissions) -> pd.DataFrame:
    """Chosen quotes ready to publish: pseudonymised text and the respondent's number.

    Each anonymised respondent's quotes are pseudonymised together, in segment order (so a name
    is numbered alike whichever code asked first); the key file is written once, at the end. What
    was replaced is gathered for the review list, which the aggregation stage writes (each stage
    writes only its own folder).
    """
    texts = list(frame["text"])
    rids = list(frame["respondent_id"])
    by_respondent: dict[str, dict[str, list[int]]] = {}
    for row, (rid, sid) in enumerate(zip(rids, frame["segment_id"])):
        if rid in rights.anonymize:
            by_respondent.setdefault(rid, {}).setdefault(str(sid), []).append(row)
        else:
            texts[row] = strip_personal(study, rid, texts[row])
    for rid, rows in by_respondent.items():
        order = sorted(rows)
        published = pseudonymise_texts(study, rid, [texts[rows[sid][0]] for sid in order], order)
        for sid, text in zip(order, published):
            for row in rows[sid]:
                texts[row] = text
    save_key(study)
    result = frame.assign(text=np.asarray(texts, dtype=object) if texts else frame["text"])
    return result.assign(respondent=result["respondent_id"].map(numbers).astype("Int64"))


def label(number: int, text: str) -> str:
    """Thesis style: `Respondent 3: "..."`."""
    return f'Respondent {number}: "{text}"'
