"""Codings made in ATLAS.ti, MAXQDA, NVivo or QualCoder, read back from a REFI-QDA project.

Sources are matched to respondents by name (`R01`, `R01.txt`, `R01 interview`) or by the Case
that holds them; selections to segments by overlap with the segments' text spans (from the
`[R01-0003]` line markers of the exported text); codes by GUID (ours) or by name or id (the
codebook's). A selection that covers two segments codes both and is reported; one that covers
none is reported and skipped.

Nothing is guessed: users or codes that share a GUID, a code whose GUID and name disagree with the
codebook, a selection of another respondent's segment and a code the codebook does not know are
problems (qdpx_reading.py); while there is one, nothing is written and the command exits 1.
The result is `codings/<rid>.csv` (`segment_id, code, coder, note`); an existing, different file
of the researcher is never overwritten unless asked: the import goes to `codings/<rid>.qdpx.csv`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tasks.core.archives import check_archive, check_regular_file
from tasks.core.errors import InputError
from tasks.core.files import write_text
from tasks.core.ids import is_respondent_id, segment_respondent
from tasks.core.sheets import safe_row
from tasks.core.study import Study
from tasks.core.tables import read_table
from tasks.exchange.common import Span, approved_ids, find_spans, load_approved, render_source
from tasks.exchange.qdpx_reading import Project, norm, plain, read_project
from tasks.exchange.texts import export_texts

COLUMNS = ("segment_id", "code", "coder", "note")
SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf")
Row = tuple[str, str, str, str]


@dataclass
class ImportReport:
    label: str = ""
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    beside: list[Path] = field(default_factory=list)
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    straddling: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    skipped_sources: list[str] = field(default_factory=list)
    document_codings: int = 0

    def lines(self, study: Study) -> list[str]:
        """What was read and written (or why nothing was), then what was widened or skipped."""
        if self.problems:
            out = [f"{self.label}: {len(self.problems)} problem(s), nothing written; fix them and import again"]
        else:
            out = [f"{self.rows} codings read for {len(self.written) + len(self.unchanged) + len(self.beside)} respondents"]
            out += [f"wrote {study.catalog.relative(p)}" for p in self.written]
            out += [f"unchanged {study.catalog.relative(p)}" for p in self.unchanged]
            out += [
                f"kept your {study.catalog.relative(p.with_name(p.name.replace('.qdpx.csv', '.csv')))}; the import is in "
                f"{study.catalog.relative(p)}: merge it by hand or rerun with --replace" for p in self.beside
            ]
        out += [f"selection covers several segments, all coded: {item}" for item in self.straddling]
        out += [f"selection outside every segment, skipped: {item}" for item in self.outside]
        out += [f"source skipped: {item}" for item in self.skipped_sources]
        if self.document_codings:
            out.append(f"{self.document_codings} coding(s) of whole documents skipped (code segments instead)")
        return out


@dataclass
class _Tally:
    """Codings that cannot be used, counted by the GUID they name, for one line each."""

    unknown_codes: Counter[str] = field(default_factory=Counter)
    missing_users: Counter[str] = field(default_factory=Counter)

    def problems(self, project: Project) -> list[str]:
        label = project.label
        lines = []
        for guid, n in sorted(self.unknown_codes.items()):
            if not guid:
                lines.append(f"{label}: {n} coding(s) name no code; export the project again")
            elif guid in project.code_names:
                lines.append(
                    f"{label}: Code {guid} {project.code_names[guid]!r} is not in config/codebook.yaml ({n} coding(s)); "
                    "add it to the codebook, or recode those codings with a codebook code, and import again"
                )
            else:
                lines.append(
                    f"{label}: {n} coding(s) refer to code {guid}, which is not in the project's CodeBook; "
                    "export the project again"
                )
        lines += [
            f"{label}: {n} coding(s) name user {guid}, which is not among the project's Users; export the project again"
            for guid, n in sorted(self.missing_users.items())
        ]
        return lines


@dataclass(frozen=True)
class _Source:
    name: str
    rid: str
    spans: list[Span]
    segments: frozenset[str]  # the segment ids of the respondent's approved transcript


def import_qdpx(study: Study, path: Path, replace: bool = False, coder: str = "unknown") -> ImportReport:
    """Read the project's codings of approved transcripts into `codings/`; returns what happened.
    With any problem in the report nothing is written."""
    report = ImportReport(label=path.name)
    with _open_zip(path) as archive:
        project = read_project(study, archive, path.name)
        found = read_codings(study, project, report, coder)
    if report.problems:
        return report
    for rid, rows in found.items():
        _write(study, rid, rows, replace, report)
    return report


def read_codings(study: Study, project: Project, report: ImportReport, coder: str) -> dict[str, list[Row]]:
    known = set(approved_ids(study))
    tally = _Tally()
    found: dict[str, list[Row]] = {}
    for index, element in enumerate(project.root.iter("TextSource")):
        name = element.get("name") or f"source {index + 1}"
        rid = _respondent(name, project.cases.get(norm(element.get("guid"))), known)
        if rid is None:
            report.skipped_sources.append(f"{name!r}: no approved transcript of a respondent with this name or case")
            continue
        source = _source(study, name, rid, plain(element, project.archive))
        if source is None:
            report.skipped_sources.append(f"{rid}: its text is not the exported transcript and has no [segment] markers")
            continue
        report.document_codings += len(element.findall("Coding"))
        rows = found.setdefault(rid, [])
        for selection in element.iter("PlainTextSelection"):
            rows += _selection_rows(source, selection, project, report, tally, coder)
    report.problems = [*project.problems, *report.problems, *tally.problems(project)]
    for rid, rows in found.items():
        unique = {(r[0], r[1], r[2]): r for r in reversed(rows)}  # the first note of a duplicate wins
        found[rid] = sorted(unique.values(), key=lambda r: (_segment_order(r[0]), r[2], r[1]))
        report.rows += len(found[rid])
    return {rid: rows for rid, rows in found.items() if rows}


def _selection_rows(
    source: _Source,
    selection: etree._Element,
    project: Project,
    report: ImportReport,
    tally: _Tally,
    default_coder: str,
) -> list[Row]:
    rid = source.rid
    try:
        start, end = sorted((int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))))
    except ValueError:
        report.outside.append(f"{rid} selection {selection.get('guid')}: positions are not numbers")
        return []
    hit = [span.segment_id for span in source.spans if start < span.end and end > span.start]
    where = f"{rid} characters {start}-{end}"
    if not hit:
        report.outside.append(where)
        return []
    if len(hit) > 1:
        report.straddling.append(f"{where} ({hit[0]} to {hit[-1]})")
    if not _own_segments(source, selection, hit, project, report):
        return []
    selection_note = _note_text(project, selection)
    description = " ".join((selection.findtext("Description") or "").split())
    selection_user = selection.get("creatingUser") or selection.get("modifyingUser")
    rows = []
    for coding in selection.findall("Coding"):
        code = _code(coding, project, tally)
        user = _user(coding.get("creatingUser") or selection_user, project, tally, default_coder)
        if code is None or user is None:
            continue
        note = _note_text(project, coding) or selection_note or description
        rows += [(sid, code, user, note) for sid in hit]
    return rows


def _own_segments(source: _Source, selection: etree._Element, hit: list[str], project: Project, report: ImportReport) -> bool:
    """True when every segment the selection covers is one of the respondent's; else each is reported."""
    place = f"{project.label}: source {source.name!r} ({source.rid}): selection {selection.get('guid')} covers segment"
    ok = True
    for sid in hit:
        owner = segment_respondent(sid)
        if owner != source.rid:
            report.problems.append(f"{place} {sid}, which belongs to {owner}; code it in {owner}'s source and export again")
            ok = False
        elif sid not in source.segments:
            report.problems.append(
                f"{place} {sid}, which is not in {source.rid}'s approved transcript; "
                "export the study again and code the new sources"
            )
            ok = False
    return ok


def _code(coding: etree._Element, project: Project, tally: _Tally) -> str | None:
    ref = coding.find("CodeRef")
    guid = norm(ref.get("targetGUID") if ref is not None else None)
    if guid in project.ambiguous:
        return None  # reported with the code
    code = project.codes.get(guid)
    if code is None:
        tally.unknown_codes[guid] += 1
    return code


def _user(guid: str | None, project: Project, tally: _Tally, default: str) -> str | None:
    """The coder a user GUID names; `default` when the coding names none."""
    if not guid:
        return default
    key = norm(guid)
    if key in project.ambiguous:
        return None  # reported with the user
    user = project.users.get(key)
    if user is None:
        tally.missing_users[key] += 1
    return user


def _open_zip(path: Path) -> zipfile.ZipFile:
    check_regular_file(path, str(path), "the REFI-QDA project")
    check_archive(path, path.name, "REFI-QDA project")
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; give the path of the .qdpx file") from None
    except zipfile.BadZipFile:
        raise InputError(f"{path.name}: not a .qdpx (zip) file; export the project as REFI-QDA (.qdpx)") from None


def _respondent(name: str, case: str | None, known: set[str]) -> str | None:
    stem = name.strip()
    for suffix in SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    words = stem.split()
    for candidate in (stem, words[0] if words else "", (case or "").strip()):
        if is_respondent_id(candidate) and candidate in known:
            return candidate
    return None




def _source(study: Study, name: str, rid: str, text: str) -> _Source | None:
    """The segment spans of a source's text: ours when the text is the exported one, else read
    from its `[segment id]` markers; None when it has neither."""
    transcript = load_approved(study, rid)
    ours, spans = render_source(transcript, export_texts(study, transcript))
    segments = frozenset(s.segment_id for s in transcript.segments)
    found = spans if text == ours else find_spans(text)
    return _Source(name, rid, found, segments) if found else None


def _note_text(project: Project, element: etree._Element) -> str:
    texts = [project.notes.get(norm(ref.get("targetGUID")), "") for ref in element.findall("NoteRef")]
    return " / ".join(" ".join(t.split()) for t in texts if t.strip())


def _write(study: Study, rid: str, rows: list[Row], replace: bool, report: ImportReport) -> None:
    target = study.catalog.codings(rid, ".csv")
    if target.is_file() and not replace:
        if _existing(target) == set(rows):
            report.unchanged.append(target)
            return
        target = study.catalog.codings(rid, ".qdpx.csv")
        report.beside.append(target)
    else:
        report.written.append(target)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(safe_row(row) for row in rows)
    write_text(target, buffer.getvalue())


def _existing(path: Path) -> set[Row]:
    table = read_table(path, f"codings/{path.name}", ("segment_id", "code", "coder"))
    return {(r.get("segment_id"), r.get("code"), r.get("coder"), r.get("note")) for r in table.rows}


def _segment_order(segment_id: str) -> int:
    return int(segment_id.rsplit("-", 1)[-1])



