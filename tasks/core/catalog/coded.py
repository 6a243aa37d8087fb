"""The normalised codings that open coding writes (`out/05_open_coding/<id>.csv`): their columns
and the one reader that every whole-study stage and the exports use."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from tasks.core.coders import coder_key
from tasks.core.errors import InputError
from tasks.core.sheets import unescaped
from tasks.core.study import Study

if TYPE_CHECKING:  # pandas costs ~0.5 s to import; status never needs it
    import pandas as pd

CODING_COLUMNS = ("respondent_id", "segment_id", "code", "coder", "source", "note")
HEADER = ",".join(CODING_COLUMNS).encode()


def read_coded(study: Study, rids: list[str], missing_ok: bool = False) -> pd.DataFrame:
    """The respondents' normalised codings as one frame of strings, parsed in one pass.

    A missing file is an error (run open coding again) unless `missing_ok`, when it is skipped.
    """
    import pandas as pd

    chunks = [HEADER + b"\n"]
    for rid in rids:
        path = study.catalog.coded(rid)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            if missing_ok:
                continue
            raise InputError(f"{study.catalog.relative(path)}: missing; run open coding for {rid} again") from None
        header, _, body = data.partition(b"\n")
        if header.strip() != HEADER:
            raise InputError(f"{study.catalog.relative(path)}: not written by this version; run open coding again")
        chunks.append(body if body.endswith(b"\n") or not body else body + b"\n")
    frame = pd.read_csv(io.BytesIO(b"".join(chunks)), dtype=object, keep_default_na=False)
    for column in ("code", "coder", "source", "note"):  # written Excel-safe: "'@SUM(1)" is coder "@SUM(1)"
        frame[column] = frame[column].map(unescaped)
    return _one_spelling_per_coder(frame)


def _one_spelling_per_coder(frame: pd.DataFrame) -> pd.DataFrame:
    """Open coding matches coder names per respondent; across respondents "Student" (R01) and
    "student" (R02) are one coder too, shown as first spelt (a few distinct names: cheap)."""
    first: dict[str, str] = {}
    spelling = {name: first.setdefault(coder_key(name), name) for name in frame["coder"].unique().tolist()}
    if any(name != shown for name, shown in spelling.items()):
        frame["coder"] = frame["coder"].map(spelling)
    return frame
