"""What the REFI-QDA export and import share: stable GUIDs, the plain text of a transcript with the
span of every segment in it, the codebook as <Code> elements, and schema validation.

A transcript becomes one line per segment: `[R01-0003] respondent: the approved text`. The marker
lets a researcher see segment ids and speakers in ATLAS.ti or MAXQDA, and lets the import find
the segments again even when another tool rewrote line endings. Offsets are Unicode code points
from 0, end exclusive (a Python slice), as the REFI-QDA standard (section 10.2) prescribes.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
from lxml import etree

from tasks.core.catalog.coded import read_coded
from tasks.core.catalog.consent import withdrawn_ids
from tasks.core.config import Codebook
from tasks.core.ids import is_respondent_id
from tasks.core.study import Study
from tasks.core.transcripts import Transcript, load_transcript

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "interview-study"
# A fixed namespace for this tool; each study gets its own below it (from its title), so that
# repeated exports of one study carry identical GUIDs and two studies never share one.
TOOL_NAMESPACE = uuid.UUID("6f1c9d2e-4b7a-5e3f-9a41-2d8c7b5e0f13")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
COLORS = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F")
MARKER = re.compile(r"\[(?P<sid>[A-Za-z0-9][A-Za-z0-9_-]{0,31}-[0-9]{4})\](?: (?:interviewer|respondent):)? ?")


@dataclass(frozen=True)
class Span:
    """Where a segment's text lies in a source's plain text: [start, end) in code points."""

    segment_id: str
    start: int
    end: int


class Guids:
    """uuid5 GUIDs derived from the study title and a kind-prefixed key (`code:working_across_silos`)."""

    def __init__(self, study: Study) -> None:
        self.namespace = uuid.uuid5(TOOL_NAMESPACE, study.config.study.title)

    def __call__(self, kind: str, *parts: str) -> str:
        return str(uuid.uuid5(self.namespace, ":".join((kind, *parts))))


def render_source(transcript: Transcript, texts: list[str] | None = None) -> tuple[str, list[Span]]:
    """The plain text of a transcript (one line per segment) and the span of each segment's text."""
    lines: list[str] = []
    spans: list[Span] = []
    offset = 0
    for index, segment in enumerate(transcript.segments):
        text = " ".join((texts[index] if texts is not None else segment.text).split())
        speaker = f" {segment.speaker}:" if segment.speaker != "unknown" else ""
        prefix = f"[{segment.segment_id}]{speaker} "
        spans.append(Span(segment.segment_id, offset + len(prefix), offset + len(prefix) + len(text)))
        lines.append(prefix + text + "\n")
        offset += len(prefix) + len(text) + 1
    return "".join(lines), spans


def find_spans(text: str) -> list[Span]:
    """Segment spans read back from a source text by its `[segment id]` line markers."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        match = MARKER.match(content)
        if match is not None:
            spans.append(Span(match.group("sid"), offset + match.end(), offset + len(content)))
        offset += len(line)
    return spans


def approved_ids(study: Study) -> list[str]:
    """Respondents with an approved transcript on disk who have not withdrawn, sorted."""
    folder = study.catalog.approved_dir
    found = sorted(p.stem for p in folder.glob("*.json") if is_respondent_id(p.stem)) if folder.is_dir() else []
    gone = withdrawn_ids(study)
    return [rid for rid in found if rid not in gone]


def load_approved(study: Study, rid: str) -> Transcript:
    path = study.catalog.approved(rid)
    return load_transcript(path, study.catalog.relative(path))


def load_codings(study: Study, rids: list[str]) -> pd.DataFrame:
    """The normalised codings (out/05_open_coding/<rid>.csv) of these respondents, as strings."""
    return read_coded(study, rids, missing_ok=True)


def add_code_elements(parent: etree._Element, ns: str, codebook: Codebook, guids: Guids) -> None:
    """Categories as non-codable <Code>s holding their codes; Description = the definition."""
    for index, category in enumerate(codebook.categories):
        color = COLORS[index % len(COLORS)]
        element = _code(parent, ns, guids("code", category.id), category.name, False, color)
        _description(element, ns, category.definition)
        for code in category.codes:
            child = _code(element, ns, guids("code", code.id), code.name, True, color)
            _description(child, ns, code.definition)


def _code(parent: etree._Element, ns: str, guid: str, name: str, codable: bool, color: str) -> etree._Element:
    attributes = {"guid": guid, "name": name, "isCodable": "true" if codable else "false", "color": color}
    return etree.SubElement(parent, f"{{{ns}}}Code", attributes)


def _description(element: etree._Element, ns: str, text: str) -> None:
    if text.strip():
        etree.SubElement(element, f"{{{ns}}}Description").text = " ".join(text.split())


@lru_cache(maxsize=2)
def schema(name: str) -> etree.XMLSchema:
    """The bundled REFI-QDA schema `Project.xsd` or `Codebook.xsd`."""
    data = (resources.files("tasks.exchange") / "schemas" / name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data))


def schema_errors(root: etree._Element, name: str) -> list[str]:
    """The schema's complaints about `root` (empty when valid), as `line N: message`."""
    document = etree.fromstring(etree.tostring(root))
    checker = schema(name)
    if checker.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]


def serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


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
