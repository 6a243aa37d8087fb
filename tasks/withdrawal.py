"""Withdrawal: a respondent leaves the study. Record it in consent.csv, remove their derived data.

What is removed, under the output folder: every file named `<id>.*` or inside a folder `<id>/` (any
stage), the respondent's manifests, study-level files that name the respondent or quote their
transcript (tables, reports, exports: the next run writes them again without the respondent), the
respondent's lines in logs and the hash cache, their rows in the pseudonymisation key (in the study
folder, beside recruitment.csv). Optionally the recording. The reason given is
written only to consent.csv, the researcher's own file.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tasks.core.csvedit import EditableCsv
from tasks.core.errors import InputError, StudyError, where
from tasks.core.files import read_json, remove, write_json
from tasks.core.ids import check_respondent_id
from tasks.core.manifest import STUDY_KEY
from tasks.core.study import STAGES, Study
from tasks.core.tables import parse_date
from tasks.pseudonymise_key import remove_rows

REASON_COLUMN = "withdrawal_reason"
CONSENT_COLUMNS = ("respondent_id", "consent_on", "recording", "transcription", "quotes", "anonymize", "withdrawn_on")
ZIPPED = (".docx", ".xlsx", ".pptx", ".qdpx", ".zip", ".odt")
SHORTEST_QUOTE = 20  # shorter segment texts ("Yes, indeed.") are not evidence of this respondent


@dataclass(frozen=True)
class Recorded:
    row: int
    withdrawn_on: dt.date
    already: bool  # withdrawn before; the earlier date is kept


@dataclass(frozen=True)
class Withdrawal:
    respondent_id: str
    recorded: Recorded
    removed: tuple[Path, ...]
    recording: Path | None
    recording_deleted: bool


def withdraw(study: Study, rid: str, on: dt.date, reason: str | None = None, delete_recording: bool = False) -> Withdrawal:
    """Record the withdrawal, remove derived data (and the recording if asked), refresh the status."""
    from tasks.core.roster import respondent_ids

    rid = check_respondent_id(rid, "withdraw")
    if rid not in respondent_ids(study):
        raise InputError(f"{study.recruitment_file.name}: {rid} is not a respondent in the recruitment log; check the id")
    from tasks.consent import consent_of

    consent = consent_of(study, rid)
    if consent is not None and consent.consent_on is not None and on < consent.consent_on:
        raise InputError(
            f"{study.consent_file.name}: {rid} consented on {consent.consent_on.isoformat()}; "
            f"a withdrawal on {on.isoformat()} cannot be earlier; check the date"
        )
    recording = study.audio(rid)
    recorded = record_withdrawal(study, rid, on, reason)
    removed = remove_derived(study, rid)
    if delete_recording and recording is not None:
        remove(recording)
    refresh(Study(study.root), rid)
    gone = tuple(path for path in removed if not path.exists())  # not the manifests written anew
    return Withdrawal(rid, recorded, gone, recording, delete_recording and recording is not None)


def refresh(study: Study, rid: str) -> None:
    """Record the respondent's recruitment and consent anew (consent: excluded) and rewrite the
    study-level recruitment and consent tables, which leave withdrawn respondents out."""
    from tasks import consent, recruitment
    from tasks.core.stage import execute_report, execute_respondent

    for stage in ("recruitment", "consent"):
        execute_respondent(study, stage, rid)
    for report in (recruitment.REPORT, consent.REPORT):
        execute_report(study, report)


# consent.csv -----------------------------------------------------------------------------------
def record_withdrawal(study: Study, rid: str, on: dt.date, reason: str | None = None) -> Recorded:
    """Set withdrawn_on (and withdrawal_reason) in the respondent's consent.csv row, or add a row.

    Only that row (and the header, when the reason column is new) is rewritten; delimiter, BOM,
    line endings and every other row stay byte for byte as they were. An earlier date is kept.
    """
    path = study.consent_file
    table = EditableCsv.load(path, path.name, f"{','.join(CONSENT_COLUMNS)}\n")
    id_at, date_at = table.column("respondent_id"), table.column("withdrawn_on")
    reason_at = table.add_column(REASON_COLUMN) if reason else None
    matches = table.find("respondent_id", rid)
    if len(matches) > 1:
        raise InputError(f"{where(path.name, table.row_number(matches[1]), 'respondent_id')}: {rid} appears twice; keep one row")
    index = matches[0] if matches else len(table.records)
    record = table.record(index)
    record[id_at] = record[id_at] or rid
    earlier = record[date_at].strip()
    record[date_at] = earlier or on.isoformat()
    if reason_at is not None and reason:
        record[reason_at] = " ".join(reason.split())
    if matches:
        table.replace(index, record)
    else:
        table.append(record)
    table.save(path)
    study._cache.pop("consent_log", None)
    number = table.row_number(index)
    return Recorded(number, parse_date(earlier, path.name, number, "withdrawn_on") if earlier else on, bool(earlier))


# derived data ----------------------------------------------------------------------------------
def remove_derived(study: Study, rid: str, from_stage: str = "recruitment") -> list[Path]:
    """Delete the respondent's derived files (stages from `from_stage` on); returns what was removed."""
    needles = _needles(study, rid)
    found = derived_files(study, rid, from_stage, needles)
    removed = [path for path in found if remove(path)]
    _scrub_hashes(study, rid)
    remove_rows(study, rid)  # the placeholders of their quotes (pseudonymisation_key.csv, study folder)
    for log_file in study.out.rglob("*.log") if study.out.is_dir() else []:
        _scrub_lines(log_file, needles)
    return removed


def derived_files(
    study: Study, rid: str, from_stage: str = "recruitment", needles: list[re.Pattern[str] | str] | None = None
) -> list[Path]:
    """Files under the output folder that are the respondent's, or that name or quote them."""
    out = study.out
    if not out.is_dir():
        return []
    later = STAGES[STAGES.index(from_stage):]
    spared = [study.stage_dir(stage) for stage in STAGES if stage not in later]
    others = _other_respondents(study, rid)
    needles = _needles(study, rid) if needles is None else needles
    found: list[Path] = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and ".tmp-" not in p.name):
        rel = path.relative_to(out)
        if any(path.is_relative_to(folder) for folder in spared):
            continue
        if rel.parts[0] == ".state":
            found += _state_files(study, path, rel, rid, later, needles)
        elif rid in rel.parts[:-1] or path.name.startswith(f"{rid}."):
            found.append(path)
        elif path.suffix == ".log" or path.name.split(".")[0] in others or set(rel.parts[:-1]) & others:
            continue
        elif _mentions(path, needles):
            found.append(path)
    return list(dict.fromkeys(found))


def _state_files(
    study: Study, path: Path, rel: Path, rid: str, stages: Iterable[str], needles: list[re.Pattern[str] | str]
) -> list[Path]:
    if len(rel.parts) != 3 or rel.parts[1] not in stages:
        return []  # the hash cache and the lock: scrubbed or left alone
    if rel.name == f"{rid}.json":
        return [path]
    if rel.name == f"{STUDY_KEY}.json" and _mentions(path, needles):
        try:
            listed = [study.root / name for name in read_json(path).get("outputs", {})]
        except (ValueError, AttributeError):
            listed = []
        return [path, *(p for p in listed if p.is_file() and p.is_relative_to(study.out))]
    return []


def _other_respondents(study: Study, rid: str) -> set[str]:
    from tasks.core.roster import respondent_ids

    try:
        return set(respondent_ids(study)) - {rid}
    except StudyError:
        return set()


def _needles(study: Study, rid: str) -> list[re.Pattern[str] | str]:
    """The respondent's id (also inside segment ids) and the longer texts of their transcripts."""
    token = re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(rid)}(?=$|[^A-Za-z0-9_-]|-[0-9]{{4}}(?![A-Za-z0-9_-]))")
    texts: set[str] = set()
    for folder in ("transcription", "review"):
        for path in (study.stage_dir(folder) / f"{rid}.json", study.stage_dir(folder) / "approved" / f"{rid}.json"):
            try:
                texts |= {" ".join(s.get("text", "").split()) for s in read_json(path).get("segments", [])}
            except (FileNotFoundError, ValueError, AttributeError, TypeError):
                continue
    quotes = [t for t in texts if len(t) >= SHORTEST_QUOTE]
    variants = {v for t in quotes for v in (t, json.dumps(t, ensure_ascii=False)[1:-1], t.replace('"', '""'))}
    return [token, *sorted(variants)]


def _mentions(path: Path, needles: list[re.Pattern[str] | str]) -> bool:
    for text in _texts(path):
        flat = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split()) if "<" in text else text
        for needle in needles:
            if isinstance(needle, str):
                if needle in flat or needle in text:
                    return True
            elif needle.search(text) or needle.search(flat):
                return True
    return False


def _texts(path: Path) -> list[str]:
    try:
        if path.suffix.lower() in ZIPPED and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return [archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()]
        return [path.read_bytes().decode("utf-8", "ignore")]
    except (OSError, zipfile.BadZipFile):
        return []


def _scrub_hashes(study: Study, rid: str) -> None:
    path = study.state_dir / "hashes.json"
    try:
        entries = read_json(path)
    except (FileNotFoundError, ValueError):
        return
    kept = {
        key: value
        for key, value in entries.items()
        if not (Path(key).name.startswith(f"{rid}.") or rid in Path(key).parts[:-1]) and Path(key).exists()
    }
    if kept != entries:
        write_json(path, kept)
    study._cache.pop("hashes", None)


def _scrub_lines(path: Path, needles: list[re.Pattern[str] | str]) -> None:
    """Drop the log lines that name or quote the respondent (in place: a log handler may hold it open)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not _line_mentions(line, needles)]
    if len(kept) != len(lines):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("".join(kept))


def _line_mentions(line: str, needles: list[re.Pattern[str] | str]) -> bool:
    return any(n in line if isinstance(n, str) else n.search(line) is not None for n in needles)
