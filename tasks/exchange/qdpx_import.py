"""Codings made in ATLAS.ti, MAXQDA, NVivo or QualCoder, read back from a REFI-QDA project.

Sources are matched to respondents by name (`R01`, `R01.txt`, `R01 interview`) or by the Case
that holds them; selections to segments by overlap with the segments' text spans (from the
`[R01-0003]` line markers of the exported text); codes by GUID (ours) or by name or id (the
codebook's). Codes the codebook does not know are reported, never added. A selection that
covers two segments codes both and is reported; one that covers none is reported and skipped.
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

from tasks.core.errors import InputError
from tasks.core.files import write_text
from tasks.core.ids import is_respondent_id
from tasks.core.study import Study
from tasks.core.tables import read_table
from tasks.exchange.common import Guids, Span, approved_ids, find_spans, load_approved, render_source
from tasks.exchange.texts import export_texts

COLUMNS = ("segment_id", "code", "coder", "note")
SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf")
Row = tuple[str, str, str, str]


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    beside: list[Path] = field(default_factory=list)
    rows: int = 0
    unknown_codes: Counter[str] = field(default_factory=Counter)
    straddling: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    skipped_sources: list[str] = field(default_factory=list)
    document_codings: int = 0

    def lines(self, study: Study) -> list[str]:
        out = [f"{self.rows} codings read for {len(self.written) + len(self.unchanged) + len(self.beside)} respondents"]
        out += [f"wrote {study.catalog.relative(p)}" for p in self.written]
        out += [f"unchanged {study.catalog.relative(p)}" for p in self.unchanged]
        out += [
            f"kept your {study.catalog.relative(p.with_name(p.name.replace('.qdpx.csv', '.csv')))}; the import is in "
            f"{study.catalog.relative(p)}: merge it by hand or rerun with --replace" for p in self.beside
        ]
        out += [f"code not in config/codebook.yaml, {n} coding(s) skipped: {name}" for name, n in sorted(self.unknown_codes.items())]
        out += [f"selection covers several segments, all coded: {item}" for item in self.straddling]
        out += [f"selection outside every segment, skipped: {item}" for item in self.outside]
        out += [f"source skipped: {item}" for item in self.skipped_sources]
        if self.document_codings:
            out.append(f"{self.document_codings} coding(s) of whole documents skipped (code segments instead)")
        return out


@dataclass
class _Project:
    root: etree._Element
    archive: zipfile.ZipFile
    users: dict[str, str]
    codes: dict[str, str]
    notes: dict[str, str]
    cases: dict[str, str]


def import_qdpx(study: Study, path: Path, replace: bool = False, coder: str = "unknown") -> ImportReport:
    """Read the project's codings of approved transcripts into `codings/`; returns what happened."""
    report = ImportReport()
    with _open_zip(path) as archive:
        project = _read_project(archive, path.name)
        found = read_codings(study, project, report, coder)
    for rid, rows in found.items():
        _write(study, rid, rows, replace, report)
    return report


def read_codings(study: Study, project: _Project, report: ImportReport, coder: str) -> dict[str, list[Row]]:
    known = set(approved_ids(study))
    mapper = _code_mapper(study, project.codes)
    found: dict[str, list[Row]] = {}
    for index, source in enumerate(project.root.iter("TextSource")):
        name = source.get("name") or f"source {index + 1}"
        rid = _respondent(name, project.cases.get(_norm(source.get("guid"))), known)
        if rid is None:
            report.skipped_sources.append(f"{name!r}: no approved transcript of a respondent with this name or case")
            continue
        spans = _spans(study, rid, _plain(source, project.archive))
        if spans is None:
            report.skipped_sources.append(f"{rid}: its text is not the exported transcript and has no [segment] markers")
            continue
        report.document_codings += len(source.findall("Coding"))
        rows = found.setdefault(rid, [])
        for selection in source.iter("PlainTextSelection"):
            rows += _selection_rows(rid, selection, spans, project, mapper, report, coder)
    for rid, rows in found.items():
        unique = {(r[0], r[1], r[2]): r for r in reversed(rows)}  # the first note of a duplicate wins
        found[rid] = sorted(unique.values(), key=lambda r: (_segment_order(r[0]), r[2], r[1]))
        report.rows += len(found[rid])
    return {rid: rows for rid, rows in found.items() if rows}


def _selection_rows(
    rid: str,
    selection: etree._Element,
    spans: list[Span],
    project: _Project,
    mapper: dict[str, str],
    report: ImportReport,
    default_coder: str,
) -> list[Row]:
    try:
        start, end = sorted((int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))))
    except ValueError:
        report.outside.append(f"{rid} selection {selection.get('guid')}: positions are not numbers")
        return []
    hit = [span.segment_id for span in spans if start < span.end and end > span.start]
    where = f"{rid} characters {start}-{end}"
    if not hit:
        report.outside.append(where)
        return []
    if len(hit) > 1:
        report.straddling.append(f"{where} ({hit[0]} to {hit[-1]})")
    selection_note = _note_text(project, selection)
    selection_user = project.users.get(_norm(selection.get("creatingUser")))
    rows = []
    for coding in selection.findall("Coding"):
        ref = coding.find("CodeRef")
        target = _norm(ref.get("targetGUID") if ref is not None else None)
        code = mapper.get(target) or mapper.get(_name(project.codes.get(target, "")))
        if code is None:
            report.unknown_codes[project.codes.get(target, target or "(no code)")] += 1
            continue
        user = project.users.get(_norm(coding.get("creatingUser"))) or selection_user or default_coder
        note = _note_text(project, coding) or selection_note
        rows += [(sid, code, user, note) for sid in hit]
    return rows


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; give the path of the .qdpx file") from None
    except zipfile.BadZipFile:
        raise InputError(f"{path.name}: not a .qdpx (zip) file; export the project as REFI-QDA (.qdpx)") from None


def _read_project(archive: zipfile.ZipFile, label: str) -> _Project:
    names = [n for n in archive.namelist() if n.lower().endswith(".qde")]
    if not names:
        raise InputError(f"{label}: no project.qde inside; export the project as REFI-QDA (.qdpx)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(archive.read(names[0]), parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"{label}: {names[0]} line {error.lineno}: not well-formed XML; export it again") from None
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname  # the namespace varies between tools
    users = {_norm(u.get("guid")): u.get("name") or u.get("id") or "unknown" for u in root.iter("User")}
    codes = {_norm(c.get("guid")): c.get("name", "") for c in root.iter("Code")}
    notes = {_norm(n.get("guid")): _plain(n, archive) for n in root.iter("Note")}
    cases = {
        _norm(ref.get("targetGUID")): case.get("name", "")
        for case in root.iter("Case")
        for ref in case.findall("SourceRef")
    }
    return _Project(root, archive, users, codes, notes, cases)


def _code_mapper(study: Study, codes_in_file: dict[str, str]) -> dict[str, str]:
    """Our GUIDs, code names and code ids (normalised) -> code id."""
    guids = Guids(study)
    mapper: dict[str, str] = {}
    for code_id, code in study.codebook.code_ids().items():
        mapper[_norm(guids("code", code_id))] = code_id
        mapper[_name(code.name)] = code_id
        mapper[_name(code_id)] = code_id
    return mapper


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


def _plain(element: etree._Element, archive: zipfile.ZipFile) -> str:
    content = element.find("PlainTextContent")
    if content is not None:
        return content.text or ""
    path = element.get("plainTextPath") or ""
    wanted = path.split("://", 1)[-1].lstrip("/").split("/")[-1].lower()
    for member in archive.namelist():
        if wanted and member.lower().split("/")[-1] == wanted:
            return archive.read(member).decode("utf-8-sig", errors="replace")
    return ""


def _spans(study: Study, rid: str, text: str) -> list[Span] | None:
    transcript = load_approved(study, rid)
    ours, spans = render_source(transcript, export_texts(study, transcript))
    if text == ours:
        return spans
    found = find_spans(text)
    return found or None


def _note_text(project: _Project, element: etree._Element) -> str:
    texts = [project.notes.get(_norm(ref.get("targetGUID")), "") for ref in element.findall("NoteRef")]
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
    writer.writerows(rows)
    write_text(target, buffer.getvalue())


def _existing(path: Path) -> set[Row]:
    table = read_table(path, f"codings/{path.name}", ("segment_id", "code", "coder"))
    return {(r.get("segment_id"), r.get("code"), r.get("coder"), r.get("note")) for r in table.rows}


def _segment_order(segment_id: str) -> int:
    return int(segment_id.rsplit("-", 1)[-1])


def _norm(guid: str | None) -> str:
    return (guid or "").strip().strip("{}").lower()


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()
