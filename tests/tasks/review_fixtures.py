"""Fixtures for the review and withdrawal tests: a study whose respondents have draft transcripts,
and returned review documents edited the way Word writes them (tracked changes, comments)."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tasks.protocol import PROTOCOL
from tasks.core.manifest import Outcome
from tasks.protocol import execute_respondent
from tasks.core.study import Study
from tasks.core.transcripts import Segment, Transcript, save_transcript
from tests.helpers import write_study

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DATE = "2024-03-25T10:00:00Z"
RECRUITMENT = [
    "R01,linkedin,2024-03-01,yes,2024-03-15,online,large,allround,Jan Jansen,jan@voorbeeld.invalid,Gemeente A",
    "R02,municipality_email,2024-03-02,yes,2024-03-16,in_person,small,wmo,Piet Pieters,piet@voorbeeld.invalid,Gemeente B",
    "R03,network,2024-03-02,yes,2024-03-17,online,medium,jeugd,Kees Klaassen,kees@voorbeeld.invalid,Gemeente C",
]
CONSENT = ["R01,2024-03-15,yes,yes,yes,no,", "R02,2024-03-16,yes,yes,yes,no,", "R03,2024-03-17,yes,yes,yes,no,"]
NAMES = ("Jan Jansen", "Piet Pieters", "Kees Klaassen")
# (start, text): the template guide asks q1 "How did you expect it would be?" and q2 "How do you deal with it now?"
LINES = [
    (0.0, "Thank you for taking the time for this interview."),
    (4.0, "How did you expect it would be?"),
    (7.5, "I expected that the data would make our work much easier for {rid}."),
    (15.0, "And the colleagues in the {rid} team agreed with that at first."),
    (21.0, "How do you deal with it now?"),
    (24.0, "Now we look at the dashboard of {rid} every single week."),
]


def draft_of(rid: str) -> Transcript:
    segments = tuple(
        Segment(f"{rid}-{n:04d}", start, start + 3.0, "unknown", " " + text.format(rid=rid.lower()))
        for n, (start, text) in enumerate(LINES, start=1)
    )
    meta = {"engine": "fake", "model": "none", "settings": {}, "audio_sha256": "0" * 64, "duration": 30.0,
            "language": "en", "language_probability": 1.0}
    return Transcript(rid, segments, meta)


class FakeTranscription:
    """Stands in for the transcription stage: writes the draft transcript, never opens audio."""

    name = "transcription"
    version = "fake"

    def __init__(self) -> None:
        self.runs: list[str] = []

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        return {"fake": True}

    def run(self, study: Study, respondent_id: str) -> Outcome:
        self.runs.append(respondent_id)
        path = study.catalog.stage_dir("transcription") / f"{respondent_id}.json"
        save_transcript(path, draft_of(respondent_id))
        txt = path.with_suffix(".txt")
        txt.write_text("\n".join(s.text for s in draft_of(respondent_id).segments), encoding="utf-8")
        return Outcome("done", "transcribed", outputs=(path, txt))


def install_fake_transcription(monkeypatch: pytest.MonkeyPatch) -> FakeTranscription:
    """Make the engine use a FakeTranscription for the transcription stage (for this test)."""
    fake = FakeTranscription()
    stages = tuple(fake if stage.name == "transcription" else stage for stage in PROTOCOL.respondent)
    monkeypatch.setattr(PROTOCOL, "respondent", stages)
    return fake


def set_today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    import datetime as dt

    import tasks.review.stage

    monkeypatch.setattr(tasks.review.stage, "today", lambda: dt.date.fromisoformat(day))


def review_study(root: Path, reviews: list[str] | None = None) -> Study:
    """Three consented respondents with draft transcripts (transcription stage done)."""
    study = write_study(root, RECRUITMENT, CONSENT)
    (root / "audio" / "R01.wav").write_bytes(b"RIFF not really audio")
    write_reviews(study, reviews or [])
    for rid in ("R01", "R02", "R03"):
        for stage in ("recruitment", "consent", "transcription"):
            execute_respondent(study, stage, rid)
    return Study.at(root)


def write_reviews(study: Study, rows: list[str]) -> Study:
    text = "\n".join(["respondent_id,decision,decided_on,note", *rows]) + "\n"
    (study.root / "reviews.csv").write_text(text, encoding="utf-8")
    return Study.at(study.root)


def run_review(study: Study, rid: str = "R01") -> tuple[str, str]:
    manifest = execute_respondent(Study.at(study.root), "review", rid)
    return manifest.status, manifest.detail


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class WordEdit:
    """Edit a .docx at the XML level the way Word records a reviewer's work."""

    def __init__(self, source: Path, author: str = "Jan Jansen") -> None:
        with zipfile.ZipFile(source) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.author = author
        self.comments: list[tuple[str, str]] = []
        self.revision = 100

    # rows and cells -------------------------------------------------------------------------
    def row(self, segment_id: str) -> Any:
        for tr in self.document.iter(w("tr")):
            first = tr.find(w("tc"))
            if first is not None and "".join(first.itertext()).strip() == segment_id:
                return tr
        raise KeyError(segment_id)

    def cell(self, segment_id: str, column: int = 3) -> Any:
        return self.row(segment_id).findall(w("tc"))[column]

    def paragraph(self, segment_id: str, column: int = 3) -> Any:
        return self.cell(segment_id, column).find(f".//{w('p')}")  # the id cell's is inside a content control

    # tracked changes --------------------------------------------------------------------------
    def replace(self, segment_id: str, old: str, new: str) -> WordEdit:
        """A tracked replacement: `old` in w:del/w:delText, `new` in w:ins (either may be empty)."""
        paragraph = self.paragraph(segment_id)
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        before, after = text.split(old, 1) if old else (text, "")
        self._clear(paragraph)
        paragraph.append(run(before))
        if old:
            paragraph.append(self._change("del", run(old, deleted=True)))
        if new:
            paragraph.append(self._change("ins", run(new)))
        paragraph.append(run(after))
        return self

    def move(self, source: str, words: str, target: str) -> WordEdit:
        """Cut `words` from one segment and paste them at the end of another, tracked as a move."""
        paragraph = self.paragraph(source)
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        before, after = text.split(words, 1)
        self._clear(paragraph)
        paragraph.extend([run(before), self._change("moveFrom", run(words)), run(after)])
        self.paragraph(target).append(self._change("moveTo", run(" " + words.strip())))
        return self

    def retype(self, segment_id: str, text: str, column: int = 3) -> WordEdit:
        """An untracked edit: the cell simply holds new text."""
        paragraph = self.paragraph(segment_id, column)
        self._clear(paragraph)
        paragraph.append(run(text))
        return self

    def delete_row_tracked(self, segment_id: str) -> WordEdit:
        tr = self.row(segment_id)
        properties = tr.find(w("trPr"))
        if properties is None:
            properties = etree.SubElement(tr, w("trPr"))
            tr.insert(0, properties)
        properties.append(self._change("del"))
        return self

    def remove_row(self, segment_id: str) -> WordEdit:
        tr = self.row(segment_id)
        tr.getparent().remove(tr)
        return self

    def add_row_after(self, segment_id: str, first_cell: str, text: str) -> WordEdit:
        tr = self.row(segment_id)
        twin = copy.deepcopy(tr)
        cells = twin.findall(w("tc"))
        for t in cells[0].iter(w("t")):
            t.text = first_cell
        for t in cells[3].iter(w("t")):
            t.text = text
        for cell in cells[1:3]:
            for t in cell.iter(w("t")):
                t.text = ""
        tr.addnext(twin)
        return self

    def merge_with_next(self, segment_id: str) -> WordEdit:
        """Word's "merge cells" on the text cells of two rows: a vertical merge."""
        tr = self.row(segment_id)
        following = tr.getnext()
        for cell, value in ((tr.findall(w("tc"))[3], "restart"), (following.findall(w("tc"))[3], None)):
            properties = cell.find(w("tcPr"))
            merge = etree.SubElement(properties, w("vMerge"))
            if value:
                merge.set(w("val"), value)
        return self

    # comments ---------------------------------------------------------------------------------
    def comment(self, segment_id: str, text: str, until: str | None = None, column: int = 3) -> WordEdit:
        cid = str(len(self.comments))
        first = self.paragraph(segment_id, column)
        last = self.paragraph(until or segment_id, column)
        first.insert(0 if first.find(w("pPr")) is None else 1, etree.Element(w("commentRangeStart"), {w("id"): cid}))
        last.append(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        last.append(reference(cid))
        self.comments.append((cid, text))
        return self

    def comment_on_cover(self, text: str) -> WordEdit:
        cid = str(len(self.comments))
        paragraph = self.document.find(f"{w('body')}/{w('p')}")
        paragraph.insert(0, etree.Element(w("commentRangeStart"), {w("id"): cid}))
        paragraph.append(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        paragraph.append(reference(cid))
        self.comments.append((cid, text))
        return self

    def save(self, target: Path) -> Path:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(self.document, xml_declaration=True, encoding="UTF-8", standalone=True)
        if self.comments:
            parts["word/comments.xml"] = self._comments_xml()
            parts["word/_rels/document.xml.rels"] = add_relationship(parts["word/_rels/document.xml.rels"])
            parts["[Content_Types].xml"] = add_override(parts["[Content_Types].xml"])
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        target.write_bytes(buffer.getvalue())
        return target

    def _comments_xml(self) -> bytes:
        root = etree.Element(w("comments"), nsmap={"w": W})
        for cid, text in self.comments:
            initials = "".join(part[0] for part in self.author.split())
            comment = etree.SubElement(
                root, w("comment"), {w("id"): cid, w("author"): self.author, w("date"): DATE, w("initials"): initials}
            )
            paragraph = etree.SubElement(comment, w("p"))
            style = etree.SubElement(etree.SubElement(paragraph, w("pPr")), w("pStyle"))
            style.set(w("val"), "CommentText")
            mark = etree.SubElement(paragraph, w("r"))
            etree.SubElement(mark, w("annotationRef"))
            paragraph.append(run(text))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _change(self, kind: str, *children: Any) -> Any:
        self.revision += 1
        element = etree.Element(w(kind), {w("id"): str(self.revision), w("author"): self.author, w("date"): DATE})
        element.extend(children)
        return element

    @staticmethod
    def _clear(paragraph: Any) -> None:
        for child in list(paragraph):
            if child.tag != w("pPr"):
                paragraph.remove(child)


def run(text: str, deleted: bool = False) -> Any:
    element = etree.Element(w("r"))
    t = etree.SubElement(element, w("delText" if deleted else "t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return element


def reference(cid: str) -> Any:
    element = etree.Element(w("r"))
    style = etree.SubElement(etree.SubElement(element, w("rPr")), w("rStyle"))
    style.set(w("val"), "CommentReference")
    etree.SubElement(element, w("commentReference"), {w("id"): cid})
    return element


def add_relationship(xml: bytes) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    root = etree.fromstring(xml)
    etree.SubElement(root, f"{{{ns}}}Relationship", {
        "Id": "rIdComments1",
        "Type": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "Target": "comments.xml",
    })
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_override(xml: bytes) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    root = etree.fromstring(xml)
    etree.SubElement(root, f"{{{ns}}}Override", {
        "PartName": "/word/comments.xml",
        "ContentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    })
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def ole2(extra: bytes = b"") -> bytes:
    """The start of a Compound File (old .doc, or an encrypted .docx when it holds EncryptedPackage)."""
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + extra + b"\0" * 512


def approve_all(study: Study, rows: list[str]) -> Study:
    """Record decisions and run the review stage for every respondent."""
    study = write_reviews(study, rows)
    for rid in ("R01", "R02", "R03"):
        execute_respondent(Study.at(study.root), "review", rid)
    return Study.at(study.root)


def plant_study_outputs(study: Study) -> None:
    """What later stages leave behind, with the manifests that record it: per-respondent files,
    study tables, a report, a log."""
    import docx

    out = study.root / "out"
    for rid in ("R01", "R02"):
        (out / "05_open_coding" / "to_code").mkdir(parents=True, exist_ok=True)
        (out / "05_open_coding" / f"{rid}.csv").write_text(f"respondent_id,segment_id,code\n{rid},{rid}-0003,silos\n")
        (out / "05_open_coding" / "to_code" / f"{rid}.docx").write_bytes(outbox_bytes(study, rid))
        (out / ".state" / "open_coding").mkdir(parents=True, exist_ok=True)
        (out / ".state" / "open_coding" / f"{rid}.json").write_text(json.dumps({
            "stage": "open_coding", "respondent_id": rid, "status": "done", "detail": "", "fingerprint": "x",
            "outputs": {f"out/05_open_coding/{rid}.csv": "y", f"out/05_open_coding/to_code/{rid}.docx": "z"},
            "counts": {}, "meta": {}, "finished_at": "",
        }))
    (out / "06_axial").mkdir(parents=True, exist_ok=True)
    (out / "06_axial" / "codes.csv").write_text("code,respondents\nsilos,R01 R02\n")
    (out / ".state" / "axial_coding").mkdir(parents=True, exist_ok=True)
    (out / ".state" / "axial_coding" / "_study.json").write_text(json.dumps({
        "stage": "axial_coding", "respondent_id": "_study", "status": "done", "detail": "", "fingerprint": "x",
        "outputs": {"out/06_axial/codes.csv": "y"}, "counts": {}, "meta": {"included": ["R01", "R02"]}, "finished_at": "",
    }))
    (out / "results").mkdir(parents=True, exist_ok=True)
    (out / "results" / "quotes.csv").write_text(
        "code,segment_id,respondent_id,text\n"
        "silos,R01-0003,R01,I expected that the data would make our work much easier for r01.\n"
        "silos,R02-0003,R02,I expected that the data would make our work much easier for r02.\n"
    )
    (out / "results" / "code_frequencies.csv").write_text("category,code,respondents,n,segments\norg,silos,2,2,2\n")
    (out / "results" / "frequencies.png").write_bytes(b"\x89PNG fake")
    report = docx.Document()
    report.add_paragraph("\u201cNow we look at the dashboard of r01 every single week.\u201d")
    report.save(str(out / "results" / "report.docx"))
    (out / ".state" / "aggregation").mkdir(parents=True, exist_ok=True)
    (out / ".state" / "aggregation" / "_study.json").write_text(json.dumps({
        "stage": "aggregation", "respondent_id": "_study", "status": "done", "detail": "", "fingerprint": "x",
        "outputs": {name: "y" for name in ("out/results/frequencies.png", "out/results/code_frequencies.csv",
                                           "out/results/quotes.csv", "out/results/report.docx")},
        "counts": {}, "meta": {"included": ["R01", "R02"]}, "finished_at": "",
    }))
    (out / "logs").mkdir(parents=True, exist_ok=True)
    (out / "logs" / "pipeline.log").write_text(
        "2024-04-01 INFO run started\n2024-04-01 ERROR unexpected error in review of R01\n"
        "2024-04-01 ERROR unexpected error in review of R02\n"
    )


def outbox_bytes(study: Study, rid: str) -> bytes:
    path = study.root / "out" / "04_review" / "outbox" / f"{rid}.docx"
    return path.read_bytes() if path.is_file() else b"PK fake"


def traces(study: Study, rid: str) -> list[str]:
    """Files under out/ that name the respondent or quote any of their transcript's sentences."""
    import re

    token = re.compile(rf"(?<![A-Za-z0-9_-]){rid}(?![A-Za-z0-9_])")
    quotes = [text.format(rid=rid.lower()) for _, text in LINES if "{rid}" in text]
    found = []
    for path in sorted((study.root / "out").rglob("*")):
        if not path.is_file():
            continue
        blob = path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                blob = b"".join(archive.read(name) for name in archive.namelist())
        text = blob.decode("utf-8", "ignore")
        rel = str(path.relative_to(study.root))
        if token.search(rel) or token.search(text) or any(quote in text for quote in quotes):
            found.append(rel)
    return found


def file_hashes(study: Study, rid: str) -> dict[str, str]:
    """sha256 of every file under out/ that is named after `rid` or lies in a folder named after it."""
    import hashlib

    return {
        str(path.relative_to(study.root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((study.root / "out").rglob("*"))
        if path.is_file() and (path.name.startswith(f"{rid}.") or rid in path.relative_to(study.root).parts[:-1])
    }


def approved_study(root: Path, monkeypatch: pytest.MonkeyPatch) -> Study:
    """Review documents sent on 2024-03-20, R01 and R02 approved, every later output planted."""
    set_today(monkeypatch, "2024-03-20")
    study = approve_all(review_study(root), [])
    study = approve_all(study, ["R01,approved,2024-04-01,", "R02,approved,2024-04-02,"])
    plant_study_outputs(study)
    return study
