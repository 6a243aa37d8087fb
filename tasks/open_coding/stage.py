"""Open coding stage: per respondent, the researcher's codes on the approved transcript's segments.

Codes come from `codings/<id>.csv` and `.xlsx` (columns segment_id, code, coder[, note]), from
Word comments in `codings/<id>.docx` (a coded copy of `out/05_open_coding/to_code/<id>.docx`),
from `codings/<id>.qdpx.csv` (what `import qdpx` put beside a table of yours), and from keyword
suggestions the researcher accepted (`codings/<id>.suggestions.csv` with an `accepted` column, or
every suggestion when `coding.accept_suggestions` is true). Every one of these files is read (in
that order; file names in any case) and a coding found twice counts once; any other file named
`codings/<id>.*` is refused rather than passed over. Coder names are matched without regard to
case and spacing, and through `coding.coder_aliases`. The output, `out/05_open_coding/<id>.csv`,
is the only coding that later stages read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tasks.core.catalog.coded import CODING_COLUMNS
from tasks.core.coders import Coders
from tasks.core.config import Codebook
from tasks.core.errors import InputError, where
from tasks.core.ids import segment_respondent
from tasks.core.manifest import Outcome, hash_cache
from tasks.core.sheets import write_csv
from tasks.core.study import Study
from tasks.core.tables import parse_yes_no, read_table
from tasks.core.transcripts import Transcript, load_transcript
from tasks.open_coding.keywords import SUGGESTION_COLUMNS, suggest

if TYPE_CHECKING:  # pandas and python-docx load when the stage runs, never for `status`
    import pandas as pd

SUGGESTION_CODER = "keywords"
SPLIT = re.compile(r"[,;\n]+")


# codings/<id><suffix> by kind, in the order they are read: a coding in two files keeps the first's note
KINDS = {".csv": "csv", ".xlsx": "xlsx", ".docx": "docx", ".qdpx.csv": "qdpx", ".suggestions.csv": "suggestions"}


def coding_files(study: Study, rid: str) -> dict[str, Path]:
    """The researcher's codings files for one respondent, by kind, in reading order.

    Any other file named after the respondent (R02.doc, R02.csv.bak) is refused: passed over, its
    codings would silently be missing from the results."""
    found: dict[str, Path] = {}
    for path in study.catalog.codings_of(rid):
        kind = KINDS.get(path.name[len(rid):].casefold())
        if kind is None:
            raise InputError(
                f"codings/{path.name}: not a codings file; save the codings as codings/{rid}.csv, "
                f"codings/{rid}.xlsx or codings/{rid}.docx, or move this file out of codings/"
            )
        if kind in found:
            raise InputError(f"codings/{found[kind].name}, codings/{path.name}: the same file name in two cases; keep one")
        found[kind] = path
    return {kind: found[kind] for kind in KINDS.values() if kind in found}


class CodeLookup:
    """Resolves what a researcher wrote (a code id or name, any case) to a code id."""

    def __init__(self, codebook: Codebook) -> None:
        self.ids = {code.id.lower(): code.id for _, code in codebook.codes()}
        self.names: dict[str, list[str]] = {}
        for _, code in codebook.codes():
            self.names.setdefault(" ".join(code.name.lower().split()), []).append(code.id)
        self.categories = {c.id.lower() for c in codebook.categories} | {c.name.lower() for c in codebook.categories}

    def resolve(self, text: str) -> str:
        """The code id, or ValueError with what is wrong and what to do."""
        token = " ".join(text.strip().strip(".").split()).lower()
        if token in self.ids:
            return self.ids[token]
        named = self.names.get(token, [])
        if len(named) == 1:
            return named[0]
        shown = repr(text.strip()) if len(text.strip()) <= 40 else "the value"
        if named:
            raise ValueError(f"code name {shown} is used by {', '.join(named)}; write the code id")
        if token in self.categories:
            raise ValueError(f"{shown} is a category, not a code; use one of its codes")
        raise ValueError(f"unknown code {shown}; use a code id or name from config/codebook.yaml")


@dataclass(frozen=True)
class Coding:
    segment_id: str
    code: str
    coder: str
    source: str
    note: str = ""


def check_segment(value: str, transcript: Transcript, known: set[str], place: str) -> str:
    """`value` as a segment id of this respondent's approved transcript, or an InputError at `place`."""
    rid = transcript.respondent_id
    sid = value.strip()
    if not sid:
        raise InputError(f"{place}: segment id is empty; write it as {rid}-0001")
    owner = segment_respondent(sid)
    if owner is None:
        shown = repr(sid) if len(sid) <= 40 else "the value"
        raise InputError(f"{place}: {shown} is not a segment id; write it as {rid}-0001")
    if owner != rid:
        raise InputError(f"{place}: segment {sid} belongs to respondent {owner}; code it in codings/{owner}.csv")
    if sid not in known:
        raise InputError(f"{place}: segment {sid} is not in {rid}'s approved transcript; check the id")
    return sid


def table_codings(
    path: Path, label: str, transcript: Transcript, lookup: CodeLookup, coders: Coders | None = None, source: str = "csv"
) -> list[Coding]:
    """Codings from a CSV/XLSX table with columns segment_id, code, coder[, note]."""
    coders = coders or Coders()
    table = read_table(path, label, ("segment_id", "code", "coder"))
    known = set(transcript.by_id())
    codings = []
    for row in table.rows:
        sid = check_segment(row.get("segment_id"), transcript, known, where(label, row.number, "segment_id"))
        code = _resolve(lookup, row.get("code"), where(label, row.number, "code"))
        coder = row.get("coder")
        if not coder:
            raise InputError(f"{where(label, row.number, 'coder')}: empty; write who coded the segment (initials)")
        codings.append(Coding(sid, code, coders.name(coder), source, row.get("note")))
    return codings


def comment_codings(
    path: Path, label: str, transcript: Transcript, lookup: CodeLookup, coders: Coders | None = None
) -> list[Coding]:
    """Codings from the Word comments of a coded copy: each named code on each anchored segment."""
    from tasks.open_coding.word import read_comments  # python-docx: only when a Word file is read

    coders = coders or Coders()
    known = set(transcript.by_id())
    codings = []
    for comment in read_comments(path, label):
        place = f"{label} comment {comment.number}"
        sids = [check_segment(sid, transcript, known, place) for sid in comment.segment_ids]
        names = [part for part in SPLIT.split(comment.text) if part.strip().strip(".")]
        if not names:
            raise InputError(f"{place}: names no code; write code ids or names separated by commas")
        codes = [_resolve(lookup, name, place) for name in names]
        coder = coders.name(comment.author) if comment.author.strip() else "researcher"
        codings += [Coding(sid, code, coder, "docx") for sid in sids for code in codes]
    return codings


def accepted_codings(
    path: Path, label: str, transcript: Transcript, lookup: CodeLookup, coders: Coders | None = None
) -> list[Coding]:
    """Suggestions the researcher marked accepted in codings/<id>.suggestions.csv."""
    coders = coders or Coders()
    table = read_table(path, label, ("segment_id", "code", "accepted"))
    known = set(transcript.by_id())
    codings = []
    for row in table.rows:
        if not row.get("accepted") or not parse_yes_no(row.get("accepted"), label, row.number, "accepted"):
            continue
        sid = check_segment(row.get("segment_id"), transcript, known, where(label, row.number, "segment_id"))
        code = _resolve(lookup, row.get("code"), where(label, row.number, "code"))
        coder = coders.name(row.get("coder")) if row.get("coder") else SUGGESTION_CODER
        codings.append(Coding(sid, code, coder, "suggestion", row.get("note")))
    return codings


def _resolve(lookup: CodeLookup, text: str, place: str) -> str:
    if not text.strip():
        raise InputError(f"{place}: code is empty; write a code id or name from config/codebook.yaml")
    try:
        return lookup.resolve(text)
    except ValueError as error:
        raise InputError(f"{place}: {error}") from None


class OpenCodingStage:
    """Per respondent: export a coding copy, suggest codes, read and normalise the codings."""

    name = "open_coding"
    version = "1"

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        hashes = hash_cache(study)
        files = {kind: hashes.digest(path) for kind, path in coding_files(study, respondent_id).items()}
        return {
            "transcript": hashes.digest(study.catalog.approved(respondent_id)),
            "codings": files,
            "codebook": [category.model_dump(mode="json") for category in study.codebook.categories],
            "accept_suggestions": study.config.coding.accept_suggestions,
            "language": study.config.study.language,  # the coding copy's
            "coder_aliases": study.config.coding.coder_aliases,
        }

    def run(self, study: Study, respondent_id: str) -> Outcome:
        rid = respondent_id
        transcript = load_transcript(study.catalog.approved(rid), study.catalog.relative(study.catalog.approved(rid)))
        accept_all = study.config.coding.accept_suggestions
        suggestions = suggest(transcript, study.codebook, accept_all)
        outputs = (_export_copy(study, transcript), _write_suggestions(study, rid, suggestions))
        files = coding_files(study, rid)
        codings = read_codings(study, transcript, files)
        if accept_all:
            codings += [Coding(s["segment_id"], s["code"], SUGGESTION_CODER, "suggestion") for s in suggestions]
        copy = study.catalog.relative(outputs[0])
        if not files and not accept_all:
            return Outcome(
                "waiting",
                f"researcher: code the transcript in codings/{rid}.csv or codings/{rid}.docx "
                f"(a coding copy is in {copy})",
                outputs=outputs,
            )
        if not codings:
            names = ", ".join(f"codings/{path.name}" for path in files.values()) or "the keyword suggestions"
            return Outcome("waiting", f"researcher: {names} holds no codings yet; add codes (coding copy: {copy})", outputs=outputs)
        frame = normalised(rid, codings)
        path = write_csv(frame, study.catalog.coded(rid))  # read back unescaped by catalog.coded
        segments = frame["segment_id"].nunique()
        return Outcome(
            "done",
            f"{len(frame)} codings on {segments} segments {read_from(study, files, accept_all, len(codings) - len(frame))}",
            outputs=(path, *outputs),
            counts={"codings": len(frame), "segments": segments, "codes": int(frame["code"].nunique())},
        )


def read_codings(study: Study, transcript: Transcript, files: dict[str, Path]) -> list[Coding]:
    """Every file's codings, in the order of `files`, coder names resolved across all of them."""
    lookup = CodeLookup(study.codebook)
    coders = Coders(study.config.coding.coder_aliases)
    codings: list[Coding] = []
    for kind, path in files.items():
        label = study.catalog.relative(path)
        if kind == "docx":
            codings += comment_codings(path, label, transcript, lookup, coders)
        elif kind == "suggestions":
            codings += accepted_codings(path, label, transcript, lookup, coders)
        else:
            codings += table_codings(path, label, transcript, lookup, coders, "qdpx" if kind == "qdpx" else "csv")
    return codings


def read_from(study: Study, files: dict[str, Path], accept_all: bool, duplicates: int) -> str:
    """`from codings/R02.csv, codings/R02.docx (3 duplicates counted once)`: what the detail names."""
    sources = [study.catalog.relative(path) for path in files.values()]
    sources += ["all keyword suggestions"] if accept_all else []
    counted = f" ({duplicates} duplicate{'s' if duplicates != 1 else ''} counted once)" if duplicates else ""
    return f"from {', '.join(sources)}{counted}"


def normalised(rid: str, codings: list[Coding]) -> pd.DataFrame:
    """One row per (segment, code, coder), the first source kept; sorted by segment and code."""
    import pandas as pd

    frame = pd.DataFrame(
        [(rid, c.segment_id, c.code, c.coder, c.source, c.note) for c in codings], columns=list(CODING_COLUMNS)
    )
    frame = frame.drop_duplicates(["segment_id", "code", "coder"], keep="first")
    return frame.sort_values(["segment_id", "code", "coder"], kind="stable").reset_index(drop=True)


def _export_copy(study: Study, transcript: Transcript) -> Path:
    from tasks.open_coding.word import coding_copy, save_document  # python-docx: only when a copy is written

    copy = coding_copy(transcript, study.config.study.language)  # title, instructions and headers in the study's language
    return save_document(copy, study.catalog.to_code(transcript.respondent_id))


def _write_suggestions(study: Study, rid: str, rows: list[dict[str, str]]) -> Path:
    import pandas as pd

    path = write_csv(pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS)), study.catalog.suggestions(rid))
    return path


STAGE = OpenCodingStage()
