"""The coded study as data frames: codings, segments and respondents of the eligible respondents.

Only the normalised codings (`out/05_open_coding/<id>.csv`) and the approved transcripts are read.
Frames are cached on the Study object, keyed by the files' content hashes, so that axial coding,
selective coding and aggregation in one run read every file once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tasks.analysis.inputs import coding_inputs, respondent_numbers, transcript_inputs
from tasks.core.catalog.coded import read_coded
from tasks.core.config import Codebook
from tasks.core.errors import InputError
from tasks.core.files import read_json
from tasks.core.study import Study

__all__ = [
    "Coded", "attach", "code_table", "coding_inputs", "load_coded", "load_segments", "respondent_numbers",
    "transcript_inputs", "transcript_meta",
]

SEGMENT_COLUMNS = ["segment_id", "speaker", "text", "question_id"]


@dataclass(frozen=True)
class Coded:
    """`rows`: every normalised coding; `coded`: one row per (segment, code) with respondent_id and
    code as categoricals (eligible and codebook order), `seg` (an integer segment key: a position in
    `segment_ids`), the category and the number of coders who gave the code; `codes`: the
    codebook's codes in codebook order."""

    eligible: list[str]
    codebook: Codebook
    rows: pd.DataFrame
    coded: pd.DataFrame
    codes: pd.DataFrame
    segment_ids: np.ndarray
    # per-run lookups derived from a segments frame (kept with it, so its id stays unique)
    memo: dict[tuple[Any, ...], tuple[pd.DataFrame, Any]] = field(default_factory=dict, compare=False, repr=False)


def code_table(codebook: Codebook) -> pd.DataFrame:
    rows = [(cat.id, cat.name, code.id, code.name) for cat, code in codebook.codes()]
    return pd.DataFrame(rows, columns=["category", "category_name", "code", "code_name"])


def load_coded(study: Study, eligible: list[str]) -> Coded:
    """The eligible respondents' codings (cached per content hashes)."""
    key = (
        tuple(eligible),
        tuple(sorted(coding_inputs(study, eligible)["codings"].items())),
        tuple(sorted(transcript_inputs(study, eligible).items())),
    )
    return study.cache.memo(load_coded, key, lambda: _load_coded(study, eligible))


def _load_coded(study: Study, eligible: list[str]) -> Coded:
    codebook = study.codebook
    codes = code_table(codebook)
    rows = _spoken_by_respondents(read_coded(study, eligible), load_segments(study, eligible))
    unknown = sorted(set(rows["code"]) - set(codes["code"]))
    if unknown:
        first = rows.loc[rows["code"] == unknown[0], "respondent_id"].iloc[0]
        raise InputError(
            f"{study.catalog.relative(study.catalog.coded(first))}: code {unknown[0]!r} is not in config/codebook.yaml; "
            "run open coding again"
        )
    coded, segment_ids = _distinct(rows, list(codes["code"]), list(eligible), codebook)
    return Coded(list(eligible), codebook, rows, coded, codes, segment_ids)


def _spoken_by_respondents(rows: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Codings of what respondents said: a coded interviewer segment (a question, a probe) counts
    nowhere and is never quoted."""
    asked = segments.loc[segments["speaker"] == "interviewer", "segment_id"]
    return rows[~rows["segment_id"].isin(asked)].reset_index(drop=True) if len(asked) else rows


def _distinct(
    rows: pd.DataFrame, codes: list[str], eligible: list[str], codebook: Codebook
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per (segment, code), in file order, with the number of coders; integer keys only."""
    seg, segment_ids = pd.factorize(rows["segment_id"])
    code = pd.Categorical(rows["code"], categories=codes).codes.astype(np.int64)
    keys, first, coders = np.unique(seg * len(codes) + code, return_index=True, return_counts=True)
    respondent = pd.Categorical(rows["respondent_id"], categories=eligible).codes[first]
    category_index = {c.id: i for i, c in enumerate(codebook.categories)}
    code_category = np.array([category_index[cid] for cid in codebook.category_of().values()], dtype=np.int64)
    coded = pd.DataFrame(
        {
            "respondent_id": pd.Categorical.from_codes(respondent, categories=eligible),
            "seg": keys // len(codes),
            "segment_id": np.asarray(segment_ids, dtype=object)[keys // len(codes)],
            "code": pd.Categorical.from_codes(keys % len(codes), categories=codes),
            "coders": coders,
            "category": pd.Categorical.from_codes(
                code_category[keys % len(codes)], categories=[c.id for c in codebook.categories]
            ),
        }
    )
    return coded, np.asarray(segment_ids, dtype=object)


def load_segments(study: Study, eligible: list[str]) -> pd.DataFrame:
    """Every segment of the eligible respondents' approved transcripts (cached per hashes)."""
    return _approved(study, eligible)[0]


def transcript_meta(study: Study, eligible: list[str]) -> dict[str, dict[str, Any]]:
    """The approved transcripts' metadata (engine, model, duration, decision, ...), read once with
    their segments."""
    metas = _approved(study, eligible)[1]
    return {rid: metas[rid] for rid in eligible}


def _approved(study: Study, eligible: list[str]) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """The approved transcripts as one frame, and their metadata (cached per content hashes)."""
    key = (tuple(eligible), tuple(sorted(transcript_inputs(study, eligible).items())))
    return study.cache.memo(_approved, key, lambda: _read_approved(study, eligible))


def _read_approved(study: Study, eligible: list[str]) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    records: list[dict[str, Any]] = []
    owners: list[str] = []
    metas: dict[str, dict[str, Any]] = {}
    for rid in eligible:
        path = study.catalog.approved(rid)
        try:
            data = read_json(path)
            segments = data["segments"]
        except (FileNotFoundError, KeyError, ValueError, TypeError):
            raise InputError(f"{study.catalog.relative(path)}: missing or damaged; run the review stage for {rid} again") from None
        records += segments
        owners += [rid] * len(segments)
        metas[rid] = {name: value for name, value in data.items() if name != "segments"}
    frame = pd.DataFrame.from_records(records, columns=SEGMENT_COLUMNS)
    frame.insert(1, "respondent_id", owners)
    frame["question_id"] = frame["question_id"].fillna("").astype(str)
    frame["text"] = frame["text"].fillna("").astype(str)
    frame["chars"] = frame["text"].str.len().astype("int64")
    return frame, metas


def attach(data: Coded, segments: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The coded rows with `columns` of their segments (looked up by position, not by a join)."""
    key = ("positions", id(segments))
    if key not in data.memo:  # the frames are cached per run: one lookup per run
        data.memo[key] = (segments, pd.Index(segments["segment_id"]).get_indexer(data.segment_ids))
    position = data.memo[key][1]
    if (position < 0).any():
        missing = data.segment_ids[position < 0][0]
        raise InputError(f"segment {missing} is coded but not in its approved transcript; run open coding again")
    rows = position[data.coded["seg"].to_numpy()]
    extra = {column: segments[column].to_numpy()[rows] for column in columns}
    return data.coded.assign(**extra)
