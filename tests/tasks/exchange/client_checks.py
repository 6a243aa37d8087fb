"""A .qdpx read the way strict REFI-QDA clients read one, beyond what the XSD checks.

QualCoder's import (refi.py) reads the creator and the creation date of every note, source,
selection and coding and fails on a note without them; ATLAS.ti and MAXQDA join everything by
GUID. So: every element whose schema type declares creatingUser, creationDateTime, modifyingUser or
modifiedDateTime (creatingUserGUID, modifyingUserGUID on the Project) carries them; dates are UTC
xsd:dateTime, never modified before created; every GUID is unique; every reference (SourceRef,
CodeRef, NoteRef, VariableRef, a user, a link's ends) resolves to an element of the right kind;
every source text is in the zip's `sources/` folder as UTF-8 without a byte-order mark; every
selection lies inside its text, counted in Unicode code points; every case is linked to a source.

Run on any project: `.venv/bin/python -m tests.tasks.exchange.client_checks study.qdpx`.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema"
SCHEMA = Path(__file__).resolve().parents[3] / "tasks" / "exchange" / "schemas" / "Project.xsd"
DATED = ("creatingUser", "creationDateTime", "modifyingUser", "modifiedDateTime", "creatingUserGUID", "modifyingUserGUID")
USERS = ("creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID")
UTC = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# What each reference must point at.
TARGETS = {
    "SourceRef": ("TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource"),
    "CodeRef": ("Code",),
    "NoteRef": ("Note",),
    "VariableRef": ("Variable",),
    "SelectionRef": ("PlainTextSelection", "PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection"),
}


def dated_attributes(schema: Path = SCHEMA) -> dict[str, tuple[str, ...]]:
    """Element name -> the creator and date attributes its schema type declares."""
    tree = etree.parse(str(schema))
    declared: dict[str, tuple[str, ...]] = {}
    for kind in tree.iter(f"{{{XSD}}}complexType"):
        names = {a.get("name") for a in kind.iter(f"{{{XSD}}}attribute")}
        declared[kind.get("name", "")] = tuple(name for name in DATED if name in names)
    found: dict[str, tuple[str, ...]] = {}
    for element in tree.iter(f"{{{XSD}}}element"):
        name, kind = element.get("name"), element.get("type")
        if name and kind in declared:
            found[name] = tuple(dict.fromkeys((*found.get(name, ()), *declared[kind])))
    return found


def client_problems(files: dict[str, bytes], schema: Path = SCHEMA) -> list[str]:
    """What a strict client would stumble over in these zip members; empty when nothing."""
    root = etree.parse(io.BytesIO(files["project.qde"])).getroot()
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    kinds = {_norm(e.get("guid")): e.tag for e in root.iter() if isinstance(e.tag, str) and e.get("guid")}
    problems = _guids(root)
    problems += _dates(root, dated_attributes(schema), kinds)
    problems += _references(root, kinds)
    problems += _texts(root, files)
    problems += [f"Case {c.get('name')}: no SourceRef" for c in root.iter("Case") if c.find("SourceRef") is None]
    return problems


def _guids(root: etree._Element) -> list[str]:
    counts = Counter(_norm(e.get("guid")) for e in root.iter() if isinstance(e.tag, str) and e.get("guid"))
    return [f"GUID {guid} appears {n} times" for guid, n in sorted(counts.items()) if n > 1]


def _dates(root: etree._Element, dated: dict[str, tuple[str, ...]], kinds: dict[str, str]) -> list[str]:
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        label = f"{element.tag} {element.get('guid') or element.get('name')}"
        for name in dated.get(element.tag, ()):
            value = element.get(name)
            if value is None:
                problems.append(f"{label}: no {name}")
            elif name in USERS and kinds.get(_norm(value)) != "User":
                problems.append(f"{label}: {name} {value} is not a User")
            elif name.endswith("DateTime") and not UTC.fullmatch(value):
                problems.append(f"{label}: {name} {value!r} is not a UTC date and time")
        created, modified = element.get("creationDateTime"), element.get("modifiedDateTime")
        if created and modified and modified < created:
            problems.append(f"{label}: modified {modified} before it was created {created}")
    return problems


def _references(root: etree._Element, kinds: dict[str, str]) -> list[str]:
    problems = []
    for tag, allowed in TARGETS.items():
        for ref in root.iter(tag):
            target = ref.get("targetGUID")
            if kinds.get(_norm(target)) not in allowed:
                problems.append(f"{tag} {target}: resolves to no {' or '.join(allowed)}")
    for link in root.iter("Link"):
        for end in ("originGUID", "targetGUID"):
            if _norm(link.get(end)) not in kinds:
                problems.append(f"Link {link.get('guid')}: {end} {link.get(end)} resolves to nothing")
    return problems


def _texts(root: etree._Element, files: dict[str, bytes]) -> list[str]:
    problems = []
    for source in root.iter("TextSource"):
        label = f"TextSource {source.get('name')}"
        path = source.get("plainTextPath", "")
        member = "sources/" + path.removeprefix("internal://")
        if not path.startswith("internal://") or member not in files:
            problems.append(f"{label}: plainTextPath {path!r} is not a file in the zip's sources/ folder")
            continue
        data = files[member]
        if data.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{label}: its text starts with a byte-order mark, which shifts every offset")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{label}: its text is not UTF-8")
            continue
        for selection in source.iter("PlainTextSelection"):
            start, end = int(selection.get("startPosition", "-1")), int(selection.get("endPosition", "-1"))
            if not 0 <= start < end <= len(text):
                problems.append(
                    f"{label}: selection {selection.get('guid')} {start}-{end} lies outside its {len(text)} code points"
                )
    return problems


def _norm(guid: str | None) -> str:
    return (guid or "").strip().strip("{}").lower()


def main(path: str) -> int:
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    problems = client_problems(files)
    for line in problems:
        print(line)
    print(f"{path}: {len(problems)} problem(s) a strict client would meet")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
