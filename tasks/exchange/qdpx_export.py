"""The study as a REFI-QDA project (`.qdpx`): approved transcripts, codebook, codings, cases.

The zip holds `project.qde` and one UTF-8 text per respondent in `sources/`. Every coding is a
`PlainTextSelection` over its segment's text with a `Coding` per code, made by the coder as a
`User`; coding notes become `Notes`. Respondents are `Cases` with their recruitment attributes as
`Variables` (never the personal columns); codebook relations are `Links`. GUIDs are uuid5 values
derived from the study, and the zip carries fixed timestamps, so exporting twice gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from lxml import etree

from tasks.core.catalog.recruitment import recruit
from tasks.core.config import ATTRIBUTES
from tasks.core.errors import InputError
from tasks.core.files import write_bytes
from tasks.core.study import Study
from tasks.core.transcripts import Transcript
from tasks.exchange.common import (
    ORIGIN,
    PROJECT_NS,
    Guids,
    Span,
    add_code_elements,
    approved_ids,
    load_approved,
    load_codings,
    render_source,
    schema_errors,
    serialise,
)
from tasks.exchange.texts import export_texts
from tasks.privacy.key import save_key

P = f"{{{PROJECT_NS}}}"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class ExportSummary:
    path: Path | None = None
    respondents: int = 0
    codes: int = 0
    codings: int = 0
    users: int = 0
    unknown_codes: list[str] = field(default_factory=list)
    unknown_segments: int = 0

    def line(self) -> str:
        text = (
            f"{self.respondents} transcripts, {self.codes} codes, {self.codings} codings by "
            f"{self.users} coder(s)"
        )
        if self.unknown_codes:
            text += f"; codes not in config/codebook.yaml kept at the top level: {', '.join(self.unknown_codes)}"
        if self.unknown_segments:
            text += f"; {self.unknown_segments} coding(s) of segments not in the approved transcript left out"
        return text


@dataclass
class _Source:
    rid: str
    transcript: Transcript
    text: str
    spans: dict[str, Span]


def build_project(study: Study, rids: list[str] | None = None) -> tuple[dict[str, bytes], ExportSummary]:
    """The files of the `.qdpx` zip (`project.qde` and `sources/*.txt`) and what they hold."""
    rids = approved_ids(study) if rids is None else rids
    if not rids:
        raise InputError(
            f"{study.config.study.output_dir}/04_review/approved: no approved transcripts to export; "
            "run 'interview-study run' first"
        )
    guids = Guids(study)
    sources = [_source(study, rid) for rid in rids]
    codings = load_codings(study, rids)
    summary = ExportSummary(respondents=len(sources))
    root = etree.Element(f"{P}Project", {"name": study.config.study.title, "origin": ORIGIN}, nsmap={None: PROJECT_NS})
    coders = sorted(set(codings["coder"]))
    if coders:
        users = etree.SubElement(root, f"{P}Users")
        for coder in coders:
            etree.SubElement(users, f"{P}User", {"guid": guids("user", coder), "name": coder})
    summary.users = len(coders)
    summary.codes = _codebook(root, study, guids, codings, summary)
    _variables_and_cases(root, study, guids, rids)
    notes = _sources(root, study, guids, sources, codings, summary)
    links = _links(study, guids, notes)
    _notes(root, notes)
    if links is not None:
        root.append(links)
    problems = schema_errors(root, "Project.xsd")
    if problems:  # a bug in this module, never the researcher's input
        raise AssertionError(f"exported project.qde is not valid: {problems[0]}")
    files = {"project.qde": serialise(root)}
    for source in sources:
        files[f"sources/{guids('text', source.rid)}.txt"] = source.text.encode("utf-8")
    return files, summary


def export_qdpx(study: Study, path: Path, rids: list[str] | None = None) -> ExportSummary:
    """Write the study as a REFI-QDA project zip to `path` (atomically)."""
    files, summary = build_project(study, rids)
    write_bytes(path, zip_bytes(files))
    save_key(study)  # the placeholders the exported texts received, for the researcher to reverse
    summary.path = path
    return summary


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deflated zip with fixed timestamps, entries in order: identical input, identical bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda n: (n != "project.qde", n)):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def _source(study: Study, rid: str) -> _Source:
    transcript = load_approved(study, rid)
    text, spans = render_source(transcript, export_texts(study, transcript))
    return _Source(rid, transcript, text, {span.segment_id: span for span in spans})


def _codebook(root: etree._Element, study: Study, guids: Guids, codings: pd.DataFrame, summary: ExportSummary) -> int:
    codebook = study.codebook
    codes = etree.SubElement(etree.SubElement(root, f"{P}CodeBook"), f"{P}Codes")
    add_code_elements(codes, PROJECT_NS, codebook, guids)
    known = set(codebook.code_ids())
    summary.unknown_codes = sorted(set(codings["code"]) - known)
    for name in summary.unknown_codes:
        attributes = {"guid": guids("code", name), "name": name, "isCodable": "true"}
        etree.SubElement(codes, f"{P}Code", attributes)
    return len(known) + len(summary.unknown_codes)


def _variables_and_cases(root: etree._Element, study: Study, guids: Guids, rids: list[str]) -> None:
    names = list(dict.fromkeys([*ATTRIBUTES, *study.config.recruitment.keep_columns]))
    personal = set(study.config.recruitment.personal_columns)
    names = [name for name in names if name not in personal]
    if names:
        variables = etree.SubElement(root, f"{P}Variables")
        for name in names:
            attributes = {"guid": guids("variable", name), "name": name, "typeOfVariable": "Text"}
            etree.SubElement(variables, f"{P}Variable", attributes)
    cases = etree.SubElement(root, f"{P}Cases")
    for rid in rids:
        case = etree.SubElement(cases, f"{P}Case", {"guid": guids("case", rid), "name": rid})
        record = recruit(study, rid)
        for name in names:
            value = record.attribute(name) if record is not None else ""
            if value:
                holder = etree.SubElement(case, f"{P}VariableValue")
                etree.SubElement(holder, f"{P}VariableRef", {"targetGUID": guids("variable", name)})
                etree.SubElement(holder, f"{P}TextValue").text = value
        etree.SubElement(case, f"{P}SourceRef", {"targetGUID": guids("source", rid)})


def _sources(
    root: etree._Element,
    study: Study,
    guids: Guids,
    sources: list[_Source],
    codings: pd.DataFrame,
    summary: ExportSummary,
) -> list[tuple[str, str]]:
    """One TextSource per respondent, its selections and codings; returns the notes (guid, text)."""
    element = etree.SubElement(root, f"{P}Sources")
    notes: list[tuple[str, str]] = []
    for source in sources:
        attributes = {
            "guid": guids("source", source.rid),
            "name": source.rid,
            "plainTextPath": f"internal://{guids('text', source.rid)}.txt",
        }
        node = etree.SubElement(element, f"{P}TextSource", attributes)
        own = codings[codings["respondent_id"] == source.rid]
        order = {sid: n for n, sid in enumerate(source.spans)}
        known = own[own["segment_id"].isin(order)]
        summary.unknown_segments += len(own) - len(known)
        rows = known.assign(_order=known["segment_id"].map(order)).sort_values(["_order", "coder", "code"])
        for (sid, coder), group in rows.groupby(["segment_id", "coder"], sort=False):
            pairs = zip(group["code"].astype(str), group["note"].astype(str))
            notes += _selection(node, guids, source.spans[str(sid)], str(coder), pairs)
            summary.codings += len(group)
    return notes


def _selection(
    node: etree._Element, guids: Guids, span: Span, coder: str, rows: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    user = guids("user", coder)
    attributes = {
        "guid": guids("selection", span.segment_id, coder),
        "name": span.segment_id,
        "startPosition": str(span.start),
        "endPosition": str(span.end),
        "creatingUser": user,
    }
    selection = etree.SubElement(node, f"{P}PlainTextSelection", attributes)
    notes = []
    for code, note in rows:
        coding = etree.SubElement(
            selection, f"{P}Coding", {"guid": guids("coding", span.segment_id, coder, code), "creatingUser": user}
        )
        etree.SubElement(coding, f"{P}CodeRef", {"targetGUID": guids("code", code)})
        if note.strip():
            note_guid = guids("note", span.segment_id, coder, code)
            etree.SubElement(coding, f"{P}NoteRef", {"targetGUID": note_guid})
            notes.append((note_guid, note))
    return notes


def _notes(root: etree._Element, notes: list[tuple[str, str]]) -> None:
    if not notes:
        return
    element = etree.SubElement(root, f"{P}Notes")
    for guid, text in notes:
        note = etree.SubElement(element, f"{P}Note", {"guid": guid, "name": "note"})
        etree.SubElement(note, f"{P}PlainTextContent").text = text


def _links(study: Study, guids: Guids, notes: list[tuple[str, str]]) -> etree._Element | None:
    """Codebook relations as one-way Links between codes (or categories); a relation's note as a Note."""
    relations = study.codebook.relations
    if not relations:
        return None
    element = etree.Element(f"{P}Links")
    for relation in relations:
        key = (relation.source, relation.type, relation.target)
        attributes = {
            "guid": guids("link", *key),
            "name": relation.type,
            "direction": "OneWay",
            "originGUID": guids("code", relation.source),
            "targetGUID": guids("code", relation.target),
        }
        link = etree.SubElement(element, f"{P}Link", attributes)
        if relation.note.strip():
            notes.append((guids("note", "link", *key), relation.note))
            etree.SubElement(link, f"{P}NoteRef", {"targetGUID": guids("note", "link", *key)})
    return element
