"""The study as a REFI-QDA project (`.qdpx`): approved transcripts, codebook, codings, cases.

The zip holds `project.qde` and one UTF-8 text per respondent in `sources/`. Every coding is a
`PlainTextSelection` over its segment's text with a `Coding` per code, made by the coder as a
`User`; coding notes become `Notes`. Respondents are `Cases` linked to their sources, with typed
`Variables` (never the personal columns); codebook relations are `Links`. The transcripts, the
project and the relation notes are made by the `interview-study` user. Every element that may name
its creator and dates does, from the records (see provenance.py). GUIDs are uuid5 values derived
from the study, and the zip carries fixed timestamps, so exporting unchanged data twice gives the
same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from lxml import etree

from tasks.core.errors import InputError
from tasks.core.files import write_bytes
from tasks.core.study import Study
from tasks.core.transcripts import Transcript
from tasks.exchange.cases import add_cases, add_variables, study_variables
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
    zip_bytes,
)
from tasks.exchange.provenance import Made, codebook_made, coding_times, overall, source_made, stamp
from tasks.exchange.texts import export_texts
from tasks.privacy.key import save_key

P = f"{{{PROJECT_NS}}}"


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
    made: Made


@dataclass(frozen=True)
class _Note:
    guid: str
    name: str
    text: str
    user: str
    made: Made


@dataclass
class _Build:
    """What the parts of one export share: GUIDs, the dates used so far, the notes to write."""

    study: Study
    guids: Guids
    notes: list[_Note] = field(default_factory=list)
    dates: list[Made] = field(default_factory=list)

    @property
    def tool(self) -> str:
        """The GUID of the `interview-study` user: transcripts, the project, relation notes."""
        return self.guids("tool", ORIGIN)


def build_project(study: Study, rids: list[str] | None = None) -> tuple[dict[str, bytes], ExportSummary]:
    """The files of the `.qdpx` zip (`project.qde` and `sources/*.txt`) and what they hold."""
    rids = approved_ids(study) if rids is None else rids
    if not rids:
        raise InputError(
            f"{study.config.study.output_dir}/04_review/approved: no approved transcripts to export; "
            "run 'interview-study run' first"
        )
    build = _Build(study, Guids(study))
    sources = [_source(study, rid) for rid in rids]
    codings = load_codings(study, rids)
    summary = ExportSummary(respondents=len(sources))
    root = etree.Element(f"{P}Project", {"name": study.config.study.title, "origin": ORIGIN}, nsmap={None: PROJECT_NS})
    coders = sorted(set(codings["coder"]))
    users = etree.SubElement(root, f"{P}Users")
    for coder in coders:
        etree.SubElement(users, f"{P}User", {"guid": build.guids("user", coder), "name": coder})
    etree.SubElement(users, f"{P}User", {"guid": build.tool, "name": ORIGIN})
    summary.users = len(coders)
    summary.codes = _codebook(root, build, codings, summary)
    variables = study_variables(study, [source.transcript for source in sources])
    add_variables(root, build.guids, variables)
    add_cases(root, build.guids, rids, variables)
    _sources(root, build, sources, codings, summary)
    links = _links(build)
    _notes(root, build.notes)
    if links is not None:
        root.append(links)
    etree.SubElement(root, f"{P}Description").text = (
        f"{study.config.study.title}: {len(sources)} approved interview transcripts, exported by {ORIGIN}. "
        "Each line of a transcript starts with its segment id; code whole segments."
    )
    _stamp_project(root, build)
    problems = schema_errors(root, "Project.xsd")
    if problems:  # a bug in this module, never the researcher's input
        raise AssertionError(f"exported project.qde is not valid: {problems[0]}")
    files = {"project.qde": serialise(root)}
    for source in sources:
        files[f"sources/{build.guids('text', source.rid)}.txt"] = source.text.encode("utf-8")
    return files, summary


def export_qdpx(study: Study, path: Path, rids: list[str] | None = None) -> ExportSummary:
    """Write the study as a REFI-QDA project zip to `path` (atomically)."""
    files, summary = build_project(study, rids)
    write_bytes(path, zip_bytes(files))
    save_key(study)  # the placeholders the exported texts received, for the researcher to reverse
    summary.path = path
    return summary


def _source(study: Study, rid: str) -> _Source:
    transcript = load_approved(study, rid)
    text, spans = render_source(transcript, export_texts(study, transcript))
    made = source_made(study, transcript)
    return _Source(rid, transcript, text, {span.segment_id: span for span in spans}, made)


def _codebook(root: etree._Element, build: _Build, codings: pd.DataFrame, summary: ExportSummary) -> int:
    codebook = build.study.codebook
    codes = etree.SubElement(etree.SubElement(root, f"{P}CodeBook"), f"{P}Codes")
    add_code_elements(codes, PROJECT_NS, codebook, build.guids)
    known = set(codebook.code_ids())
    summary.unknown_codes = sorted(set(codings["code"]) - known)
    for name in summary.unknown_codes:
        attributes = {"guid": build.guids("code", name), "name": name, "isCodable": "true", "color": "#7F7F7F"}
        etree.SubElement(codes, f"{P}Code", attributes)
    return len(known) + len(summary.unknown_codes)


def _sources(
    root: etree._Element, build: _Build, sources: list[_Source], codings: pd.DataFrame, summary: ExportSummary
) -> None:
    """One TextSource per respondent, with its description, selections and codings."""
    element = etree.SubElement(root, f"{P}Sources")
    for source in sources:
        guids = build.guids
        attributes = {
            "guid": guids("source", source.rid),
            "name": source.rid,
            "plainTextPath": f"internal://{guids('text', source.rid)}.txt",
            **source.made.attributes(build.tool),
        }
        build.dates.append(source.made)
        node = etree.SubElement(element, f"{P}TextSource", attributes)
        etree.SubElement(node, f"{P}Description").text = _describe(source)
        own = codings[codings["respondent_id"] == source.rid]
        order = {sid: n for n, sid in enumerate(source.spans)}
        known = own[own["segment_id"].isin(order)]
        summary.unknown_segments += len(own) - len(known)
        times = coding_times(build.study, source.rid)
        rows = known.assign(_order=known["segment_id"].map(order)).sort_values(["_order", "coder", "code"])
        for (sid, coder), group in rows.groupby(["segment_id", "coder"], sort=False):
            made = [times.of(str(kind)) for kind in group["source"]]
            triples = list(zip(group["code"].astype(str), group["note"].astype(str), made, strict=True))
            for rows in _by_note(triples):
                _selection(node, build, source.spans[str(sid)], str(coder), rows)
            summary.codings += len(group)


def _by_note(rows: list[tuple[str, str, Made]]) -> list[list[tuple[str, str, Made]]]:
    """A coder's codings of one segment, one selection per note: codings without a note share the
    first; a noted coding's selection carries the note as its Description, the coding memo that
    QualCoder and MAXQDA read (the Coding's NoteRef is what the standard names)."""
    groups: dict[str, list[tuple[str, str, Made]]] = {}
    for row in rows:
        groups.setdefault(row[1].strip(), []).append(row)
    return [groups[note] for note in sorted(groups, key=lambda note: note != "")]


def _describe(source: _Source) -> str:
    """`Approved transcript of R01 (approved with changes on 2024-03-28): 42 segments, 31 min.`"""
    meta = source.transcript.meta
    decision = str(meta.get("decision", "approved")).replace("_", " ")
    text = f"Approved transcript of {source.rid} ({decision} on {meta.get('decided_on', 'an unrecorded date')})"
    text += f": {len(source.spans)} segments"
    try:
        text += f", {round(float(meta['duration']) / 60)} min"
    except (KeyError, TypeError, ValueError):
        pass
    return text + ". Each line starts with its segment id."


def _selection(node: etree._Element, build: _Build, span: Span, coder: str, rows: list[tuple[str, str, Made]]) -> None:
    guids = build.guids
    user = guids("user", coder)
    made = overall([m for _, _, m in rows])
    build.dates.append(made)
    note = rows[0][1].strip()
    key = (span.segment_id, coder, rows[0][0]) if note else (span.segment_id, coder)
    attributes = {
        "guid": guids("selection", *key),
        "name": span.segment_id,
        "startPosition": str(span.start),
        "endPosition": str(span.end),
        **made.attributes(user),
    }
    selection = etree.SubElement(node, f"{P}PlainTextSelection", attributes)
    if note:
        etree.SubElement(selection, f"{P}Description").text = rows[0][1]
    for code, note, coded in rows:
        key = (span.segment_id, coder, code)
        coding = etree.SubElement(
            selection,
            f"{P}Coding",
            {"guid": guids("coding", *key), "creatingUser": user, "creationDateTime": stamp(coded.created)},
        )
        etree.SubElement(coding, f"{P}CodeRef", {"targetGUID": guids("code", code)})
        if note.strip():
            note_guid = guids("note", *key)
            etree.SubElement(coding, f"{P}NoteRef", {"targetGUID": note_guid})
            build.notes.append(_Note(note_guid, f"{span.segment_id} {code}", note, user, coded))


def _notes(root: etree._Element, notes: list[_Note]) -> None:
    if not notes:
        return
    element = etree.SubElement(root, f"{P}Notes")
    for note in notes:
        attributes = {"guid": note.guid, "name": note.name, **note.made.attributes(note.user)}
        node = etree.SubElement(element, f"{P}Note", attributes)
        etree.SubElement(node, f"{P}PlainTextContent").text = note.text


def _links(build: _Build) -> etree._Element | None:
    """Codebook relations as one-way Links between codes (or categories); a relation's note as a Note."""
    relations = build.study.codebook.relations
    if not relations:
        return None
    guids = build.guids
    made = codebook_made(build.study)
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
            note_guid = guids("note", "link", *key)
            build.notes.append(_Note(note_guid, " ".join(key), relation.note, build.tool, made))
            build.dates.append(made)
            etree.SubElement(link, f"{P}NoteRef", {"targetGUID": note_guid})
    return element


def _stamp_project(root: etree._Element, build: _Build) -> None:
    """The project's creator and dates: from its earliest element to its latest change."""
    made = overall(build.dates)
    root.set("creatingUserGUID", build.tool)
    root.set("creationDateTime", stamp(made.created))
    root.set("modifyingUserGUID", build.tool)
    root.set("modifiedDateTime", stamp(made.modified))
