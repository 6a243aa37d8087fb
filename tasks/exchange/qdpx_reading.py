"""A REFI-QDA project read for the import: its users and codes, checked before any coding is used.

Nothing is guessed. Two users sharing a GUID, or a name, would merge two coders; two codes sharing
a GUID make every coding of that GUID ambiguous; a code whose GUID is one of ours but whose name is
another than the codebook's could be either. Each is reported as a problem, one line naming the
element, its GUID and what to do, and the codings it touches are not used.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

from tasks.core.errors import InputError
from tasks.core.study import Study
from tasks.exchange.common import Guids


@dataclass
class Project:
    """The parsed project.qde (tags without namespace) and the zip it came from."""

    label: str  # the file's name, which every problem line starts with
    root: etree._Element
    archive: zipfile.ZipFile
    users: dict[str, str] = field(default_factory=dict)  # GUID -> coder, unambiguous users only
    codes: dict[str, str] = field(default_factory=dict)  # GUID -> code id, agreeing codes only
    code_names: dict[str, str] = field(default_factory=dict)  # GUID -> name, every code in the file
    ambiguous: set[str] = field(default_factory=set)  # user and code GUIDs already reported
    notes: dict[str, str] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)  # source GUID -> case name
    problems: list[str] = field(default_factory=list)


def read_project(study: Study, archive: zipfile.ZipFile, label: str) -> Project:
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
    project = Project(label, root, archive)
    _users(project)
    _codes(project, study)
    project.notes = {norm(n.get("guid")): plain(n, archive) for n in root.iter("Note")}
    project.cases = {
        norm(ref.get("targetGUID")): case.get("name", "")
        for case in root.iter("Case")
        for ref in case.findall("SourceRef")
    }
    return project


def _users(project: Project) -> None:
    by_guid: dict[str, list[str]] = defaultdict(list)
    for user in project.root.iter("User"):
        by_guid[norm(user.get("guid"))].append(user.get("name") or user.get("id") or "unknown")
    by_name: dict[str, list[str]] = defaultdict(list)
    for guid, names in by_guid.items():
        if len(names) > 1:
            project.problems.append(
                f"{project.label}: User {guid} is given to {len(names)} users ({', '.join(names)}); "
                "give each coder their own user in the other tool and export again"
            )
            project.ambiguous.add(guid)
        else:
            by_name[names[0]].append(guid)
    for name, guids in by_name.items():
        if len(guids) > 1:
            project.problems.append(
                f"{project.label}: User name {name!r} belongs to {len(guids)} users ({', '.join(guids)}); "
                "give each coder their own name in the other tool and export again"
            )
            project.ambiguous.update(guids)
        else:
            project.users[guids[0]] = name


def _codes(project: Project, study: Study) -> None:
    by_guid: dict[str, list[str]] = defaultdict(list)
    for code in project.root.iter("Code"):
        by_guid[norm(code.get("guid"))].append(code.get("name", ""))
    ours = _our_codes(study)
    names = {key: code_id for code_id, code in study.codebook.code_ids().items() for key in (name(code.name), name(code_id))}
    for guid, found in by_guid.items():
        project.code_names[guid] = found[0]
        if len(found) > 1:
            shown = ", ".join(repr(n) for n in found)
            project.problems.append(
                f"{project.label}: Code {guid} is given to {len(found)} codes ({shown}); "
                "merge or delete the duplicates in the other tool and export again"
            )
            project.ambiguous.add(guid)
        elif guid in ours:
            _our_code(project, study, guid, found[0], ours[guid])
        elif name(found[0]) in names:
            project.codes[guid] = names[name(found[0])]


def _our_code(project: Project, study: Study, guid: str, shown: str, code_id: str) -> None:
    """A code with one of our GUIDs: used when its name is the codebook's name or id, else reported."""
    code = study.codebook.code_ids()[code_id]
    if name(shown) in (name(code.name), name(code_id)):
        project.codes[guid] = code_id
        return
    project.problems.append(
        f"{project.label}: Code {guid} is named {shown!r}, but config/codebook.yaml gives this GUID to "
        f"{code_id} ({code.name!r}); rename it back in the other tool, or rename the code in "
        "config/codebook.yaml, and import again"
    )
    project.ambiguous.add(guid)


def _our_codes(study: Study) -> dict[str, str]:
    guids = Guids(study)
    return {norm(guids("code", code_id)): code_id for code_id in study.codebook.code_ids()}


def plain(element: etree._Element, archive: zipfile.ZipFile) -> str:
    """The text of a source or note: inline, or the zip member its plainTextPath names."""
    content = element.find("PlainTextContent")
    if content is not None:
        return content.text or ""
    path = element.get("plainTextPath") or ""
    wanted = path.split("://", 1)[-1].lstrip("/").split("/")[-1].lower()
    for member in archive.namelist():
        if wanted and member.lower().split("/")[-1] == wanted:
            return archive.read(member).decode("utf-8-sig", errors="replace")
    return ""


def norm(guid: str | None) -> str:
    return (guid or "").strip().strip("{}").lower()


def name(text: str) -> str:
    return " ".join(text.split()).casefold()
