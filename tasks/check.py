"""Every problem of a study, found without running it and without writing in it: the config, the
input tables, the recordings, the codings; and the verdict on a run (what failed, what was rejected).

`interview-study check` prints `check_study`; `status` shows `input_problems` above its table; `run`
and `aggregate` end with `run_verdict`. Each problem is one line that names the file, the row or
key, and what to do. Nothing here imports Prefect, pandas, Whisper or python-docx at import time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.core.catalog.consent import may_process, read_consents
from tasks.core.catalog.recruitment import read_log, recruit, respondent_ids
from tasks.core.catalog.reviews import decision_of, read_reviews
from tasks.core.errors import StudyError, where
from tasks.core.ids import is_respondent_id
from tasks.core.layout import AUDIO_SUFFIXES, INTERVIEWER_VOICE
from tasks.core.manifest import load_manifest
from tasks.core.study import Study
from tasks.core.tables import parse_yes_no, read_table
from tasks.core.transcripts import Transcript, load_transcript
from tasks.open_coding.stage import CodeLookup, check_segment, coding_files
from tasks.protocol import PROTOCOL

CONFIG_FILES = ("study.yaml", "codebook.yaml", "interview_guide.yaml")
CODING_SUFFIXES = (".csv", ".xlsx", ".docx")
ROW = re.compile(r"^(?P<file>[^:]+?) row (?P<row>\d+)")
SHOWN_IDS = 10  # a run message names at most this many respondents


# configuration and input tables ------------------------------------------------------------------
def config_problems(study: Study) -> list[str]:
    """One line per invalid config file (all three are read, so that every one is reported)."""
    loaders: dict[str, Callable[[], object]] = {
        "study.yaml": lambda: study.config,
        "codebook.yaml": lambda: study.codebook,
        "interview_guide.yaml": lambda: study.guide,
    }
    return [line for name in CONFIG_FILES for line in _problem(loaders[name])]


def table_problems(study: Study) -> list[str]:
    """Rejected rows of recruitment, consent and reviews, and files that belong to no respondent.

    Needs a valid `config/study.yaml`. Lines come in file order, rows in row order.
    """
    try:
        known = set(respondent_ids(study))
    except StudyError as error:
        return [error.message]  # the recruitment log itself is unreadable: nothing else can be matched
    lines = PROTOCOL.problems(study)  # rows and files that belong to no respondent
    lines += read_log(study).errors.values()
    lines += _guarded(lambda: [message for rid, message in read_consents(study).errors.items() if rid in known])
    lines += _guarded(lambda: _decision_problems(study, known))
    return _in_file_order(study, lines)


def input_problems(study: Study) -> list[str]:
    """The config and the input tables: what `status` shows above its table."""
    lines = config_problems(study)
    if any(line.startswith("config/study.yaml") for line in lines):
        return lines  # the tables' columns and the output folder are named in study.yaml
    return lines + table_problems(study)


def _decision_problems(study: Study, known: set[str]) -> list[str]:
    lines: list[str] = []
    for rid in read_reviews(study).raw:
        if rid in known:
            lines += _problem(lambda: decision_of(study, rid))
    return lines


# recordings and codings -------------------------------------------------------------------------
def recording_problems(study: Study) -> list[str]:
    """Consented respondents with a held interview but no recording (and no approved transcript),
    two recordings for one respondent, empty recordings, recordings named after no respondent."""
    known = respondent_ids(study)
    lines: list[str] = []
    for rid in known:
        lines += _guarded(lambda: _recording_problem(study, rid))
    folder = study.catalog.audio_dir
    names = {rid.casefold() for rid in known} | {INTERVIEWER_VOICE}  # the interviewer's clip serves every respondent
    stray = sorted(p for p in folder.glob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.stem.casefold() not in names)
    for path in stray:
        if not path.name.startswith("."):
            lines.append(f"{_named('audio', path)}: not named after a respondent in the recruitment log; name it <respondent id>{path.suffix}")
    return lines


def _recording_problem(study: Study, rid: str) -> list[str]:
    path = study.catalog.recording(rid)  # a file or a folder of tracks; two recordings: an InputError
    if path is not None and path.is_dir():  # a folder without both tracks was refused by the catalog
        tracks = study.catalog.tracks(path).values()
        return [f"audio/{rid}/{file.name}: empty file; save the track again" for file in tracks if file.stat().st_size == 0]
    if path is not None:
        return [f"audio/{path.name}: empty file; save the recording again"] if path.stat().st_size == 0 else []
    record = recruit(study, rid)
    if record is None or record.interview_date is None or not may_process(study, rid):
        return []  # no interview held, or no consent to record: nothing to miss
    if study.catalog.approved(rid).is_file():
        return []  # deleting the recording after approval is normal practice
    others = "/".join(AUDIO_SUFFIXES[1:])
    return [
        f"audio/{rid}: no recording; {rid} was interviewed on {record.interview_date.isoformat()} and consented; "
        f"save it as audio/{rid}.wav (or {others})"
    ]


def coding_problems(study: Study) -> list[str]:
    """Codings naming unknown codes or segments that are not in the approved transcript, and coding
    files named after no respondent. Segments are checked once the transcript is approved."""
    known = respondent_ids(study)
    lookup = CodeLookup(study.codebook)
    lines: list[str] = []
    for rid in known:
        lines += _guarded(lambda: _respondent_codings(study, rid, lookup))
    names = {rid.casefold() for rid in known}
    folder = study.catalog.codings_dir
    for path in sorted(folder.glob("*")):
        stem = path.name.split(".")[0]
        if path.suffix.lower() in CODING_SUFFIXES and not path.name.startswith((".", "~$")) and stem.casefold() not in names:
            lines.append(
                f"{_named('codings', path)}: not named after a respondent in the recruitment log; "
                "name it <respondent id>.csv or <respondent id>.docx"
            )
    return lines


def _respondent_codings(study: Study, rid: str, lookup: CodeLookup) -> list[str]:
    files = coding_files(study, rid)  # a .csv and an .xlsx for one respondent: an InputError
    if not files:
        return []
    approved = study.catalog.approved(rid)
    transcript = load_transcript(approved, study.catalog.relative(approved)) if approved.is_file() else None
    lines: list[str] = []
    for kind, path in files.items():
        label = study.catalog.relative(path)
        if kind == "docx":
            lines += _guarded(lambda: _comment_problems(path, label, transcript, lookup))
        else:
            lines += _guarded(lambda: _table_problems(path, label, transcript, lookup, kind == "suggestions"))
    return lines


def _table_problems(path: Path, label: str, transcript: Transcript | None, lookup: CodeLookup, suggestions: bool) -> list[str]:
    required = ("segment_id", "code", "accepted") if suggestions else ("segment_id", "code", "coder")
    lines: list[str] = []
    for row in read_table(path, label, required).rows:
        if suggestions:
            try:
                if not row.get("accepted") or not parse_yes_no(row.get("accepted"), label, row.number, "accepted"):
                    continue  # a suggestion the researcher did not accept is no coding
            except StudyError as error:
                lines.append(error.message)
                continue
        lines += _segment_problems(transcript, [row.get("segment_id")], where(label, row.number, "segment_id"))
        lines += _code_problems(lookup, [row.get("code")], where(label, row.number, "code"))
        if not suggestions and not row.get("coder"):
            lines.append(f"{where(label, row.number, 'coder')}: empty; write who coded the segment (initials)")
    return lines


def _comment_problems(path: Path, label: str, transcript: Transcript | None, lookup: CodeLookup) -> list[str]:
    from tasks.open_coding.stage import SPLIT
    from tasks.open_coding.word import read_comments  # python-docx: only when a Word file is checked

    lines: list[str] = []
    for comment in read_comments(path, label):
        place = f"{label} comment {comment.number}"
        lines += _segment_problems(transcript, list(comment.segment_ids), place)
        names = [part for part in SPLIT.split(comment.text) if part.strip().strip(".")]
        if not names:
            lines.append(f"{place}: names no code; write code ids or names separated by commas")
        lines += _code_problems(lookup, names, place)
    return lines


def _segment_problems(transcript: Transcript | None, values: Sequence[str], place: str) -> list[str]:
    if transcript is None:
        return []  # not approved yet: the segments are checked once it is
    known = set(transcript.by_id())
    return [line for value in values for line in _problem(lambda: check_segment(value, transcript, known, place))]


def _code_problems(lookup: CodeLookup, values: Sequence[str], place: str) -> list[str]:
    """The stage's own lookup, with its messages (open coding stops at the first; this lists all)."""
    lines = []
    for value in values:
        if not value.strip():
            lines.append(f"{place}: code is empty; write a code id or name from config/codebook.yaml")
            continue
        try:
            lookup.resolve(value)
        except ValueError as error:
            lines.append(f"{place}: {error}")
    return lines


# the whole check ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Findings:
    """What `interview-study check` reports: one line per problem, and how many respondents it saw."""

    lines: list[str]
    respondents: int | None  # None: the config or the recruitment log could not be read

    @property
    def summary(self) -> str:
        among = "" if self.respondents is None else f" in {_count(self.respondents, 'respondent')}"
        if not self.lines:
            return f"no problems found{among}"
        return f"{_count(len(self.lines), 'problem')} found{among}; fix them and run interview-study check again"


def check_study(study: Study) -> Findings:
    """Every problem of the study: config, input tables, recordings, codings. Reads only."""
    lines = input_problems(study)
    try:
        respondents = len(respondent_ids(study))
    except StudyError:
        return Findings(lines, None)  # the config or the recruitment log is unreadable: reported above
    lines += recording_problems(study)
    if not any(line.startswith("config/codebook.yaml") for line in lines):
        lines += coding_problems(study)
    return Findings(list(dict.fromkeys(lines)), respondents)


# the verdict on a run ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RunVerdict:
    """What a run leaves undone: respondents with a failed stage, failed whole-study stages, and
    rejected input; `message` holds counts and ids only (it becomes the Prefect flow run's state)."""

    failed: list[str]
    study_failed: list[str]
    inputs: list[str]
    lines: list[str]

    @property
    def clean(self) -> bool:
        return not self.lines

    @property
    def message(self) -> str:
        parts = []
        if self.failed:
            shown = ", ".join(self.failed[:SHOWN_IDS]) + (f", +{len(self.failed) - SHOWN_IDS} more" if len(self.failed) > SHOWN_IDS else "")
            parts.append(f"{_count(len(self.failed), 'respondent')} failed ({shown})")
        parts += [f"{name} failed" for name in self.study_failed]
        if self.inputs:
            parts.append(_count(len(self.inputs), "input problem"))
        return "; ".join(parts)


def run_verdict(study: Study, results: Iterable[dict[str, Any]]) -> RunVerdict:
    """Judge a run by its results (stage, respondent_id, status) and the input tables on disk."""
    failures = [(r["stage"], r["respondent_id"]) for r in results if r["status"] == "failed"]
    roster = {rid: index for index, rid in enumerate(_roster(study))}
    rids = sorted({rid for _, rid in failures if rid != "_study"}, key=lambda rid: (roster.get(rid, len(roster)), rid))
    lines = [f"{rid} {stage}: {_failure_detail(study, stage, rid)}" for rid in rids for stage, r in failures if r == rid]
    study_failed = [
        stage if stage in PROTOCOL.study_names else f"{stage} report" for stage, rid in failures if rid == "_study"
    ]
    lines += [f"{name}: {_failure_detail(study, name.split()[0], None)}" for name in study_failed]
    details = {line.split(": ", 1)[1] for line in lines}
    inputs = [line for line in table_problems(study) if line not in details]  # a failed stage already said it
    return RunVerdict(rids, study_failed, inputs, lines + inputs)


def _failure_detail(study: Study, stage: str, rid: str | None) -> str:
    if rid is not None:
        derived = [s for s in PROTOCOL.respondent_statuses(study, rid) if s.stage == stage and s.status == "failed"]
        if derived:
            return derived[0].detail
    manifest = load_manifest(study, stage, rid)
    if manifest is not None and manifest.status == "failed":
        return manifest.detail
    return "failed; see interview-study status"


# helpers ------------------------------------------------------------------------------------------
def _problem(step: Callable[[], object]) -> list[str]:
    """No line when `step` passes; else the one line its expected error names."""
    try:
        step()
    except StudyError as error:
        return [error.message]
    return []


def _guarded(find: Callable[[], list[Any]]) -> list[str]:
    """The problems `find` returns, or the one an expected error names."""
    try:
        return [str(line) for line in find()]
    except StudyError as error:
        return [error.message]


def _in_file_order(study: Study, lines: Iterable[str]) -> list[str]:
    """Unique lines by table (recruitment, consent, reviews, then the rest) and row number."""
    labels = [study.catalog.recruitment_file.name, study.catalog.consent_file.name, study.catalog.reviews_file.name]

    def key(line: str) -> tuple[int, int]:
        match = ROW.match(line)
        name = match["file"] if match else line.split(":", 1)[0]
        order = labels.index(name) if name in labels else len(labels)
        return order, int(match["row"]) if match else 0

    return sorted(dict.fromkeys(lines), key=key)


def _roster(study: Study) -> list[str]:
    try:
        return respondent_ids(study)
    except StudyError:
        return []


def _named(folder: str, path: Path) -> str:
    """A stray file by name when the name could be an id (names are never shown otherwise)."""
    return f"{folder}/{path.name}" if is_respondent_id(path.name.split(".")[0]) else f"{folder}/ (a file)"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
