"""Choosing quotes: the respondent's own words, only with consent for quotes, pseudonymised where
the respondent asked for it (or the study says so for everyone), and never the interviewer.

"Best" is a simple, documented heuristic: segments more coders agreed on first, then segments whose
length is closest to a readable quote (about 180 characters, some 30 words; at least 25); one quote
per respondent before a second from the same respondent, so that a code's quotes show several voices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tasks.consent import consent_of
from tasks.core.study import Study
from tasks.pseudonymise import pseudonymise, strip_personal
from tasks.reporting.frames import Coded, attach

MIN_CHARS = 25
IDEAL_CHARS = 180


@dataclass(frozen=True)
class Permissions:
    quotes: frozenset[str]
    anonymize: frozenset[str]


def permissions(study: Study, eligible: list[str]) -> Permissions:
    """Who may be quoted, and whose quotes are pseudonymised."""
    everyone = study.config.privacy.anonymize_all
    consents = {rid: consent_of(study, rid) for rid in eligible}
    return Permissions(
        quotes=frozenset(rid for rid, c in consents.items() if c is not None and c.quotes),
        anonymize=frozenset(rid for rid, c in consents.items() if everyone or c is None or c.anonymize is not False),
    )


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


def shown(study: Study, frame: pd.DataFrame, numbers: dict[str, int], rights: Permissions) -> pd.DataFrame:
    """Chosen quotes ready to publish: pseudonymised text and the respondent's number."""
    texts = [
        (pseudonymise if rid in rights.anonymize else strip_personal)(study, rid, text)
        for rid, text in zip(frame["respondent_id"], frame["text"])
    ]
    result = frame.assign(text=np.asarray(texts, dtype=object) if texts else frame["text"])
    return result.assign(respondent=result["respondent_id"].map(numbers).astype("Int64"))


def label(number: int, text: str) -> str:
    """Thesis style: `Respondent 3: "..."`."""
    return f'Respondent {number}: "{text}"'


def numbers(study: Study) -> dict[str, int]:
    """Respondent numbers over the whole roster, so they stay put when someone is left out."""
    from tasks.core.roster import respondent_ids
    from tasks.reporting.frames import respondent_numbers

    return respondent_numbers(respondent_ids(study))


def quote_inputs(study: Study, eligible: list[str]) -> dict[str, object]:
    """Everything the published quotes depend on (for stage fingerprints)."""
    from tasks.pseudonymise import key
    from tasks.reporting.frames import transcript_inputs

    rights = permissions(study, eligible)
    numbered = numbers(study)
    return {
        "transcripts": transcript_inputs(study, eligible),
        "quotes": sorted(rights.quotes),
        "anonymize": sorted(rights.anonymize),
        "pseudonyms": {rid: key(study, rid) for rid in sorted(rights.quotes)},
        "numbers": {rid: numbered.get(rid) for rid in eligible},
        "per_code": study.config.aggregation.quotes_per_code,
    }
