"""Reading a Word document's segment table (segment id | ... | text) as its author meant it.

Reading works on the WordprocessingML itself, because python-docx's `paragraph.text` keeps deleted
text and drops inserted text of tracked changes, and knows nothing of where comments are anchored.
The text of a cell is read *as if every tracked change were accepted*: `w:ins` and `w:moveTo` in,
`w:del` and `w:moveFrom` out, rows deleted with tracking left out. Comments (`word/comments.xml`)
are attached to every table row their range (`w:commentRangeStart` .. `End`) or reference touches.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from tasks.core.archives import check_archive, check_regular_file
from tasks.core.errors import InputError
from tasks.core.ids import SEGMENT_ID

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# subtrees whose text is not part of the accepted document
SKIP = {w("del"), w("moveFrom"), w("delText"), w("instrText"), w("pPr"), w("rPr"), w("tcPr"), w("trPr"), MC_FALLBACK}
CHARS = {w("tab"): " ", w("ptab"): " ", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-", w("softHyphen"): ""}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Comment:
    comment_id: str
    author: str
    initials: str
    text: str


@dataclass(frozen=True)
class TableRow:
    """One row of the segment table: `number` counts table rows as Word shows them (header = 1)."""

    number: int
    cells: tuple[str, ...]
    comments: tuple[Comment, ...] = ()
    merged: bool = False  # a cell continues a vertical merge from the row above

    @property
    def segment_id(self) -> str:
        return self.cells[0].strip() if self.cells else ""

    @property
    def text(self) -> str:
        return self.cells[-1] if len(self.cells) > 1 else ""

    def cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


@dataclass(frozen=True)
class SegmentTable:
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    loose_comments: tuple[Comment, ...]  # anchored outside the table (e.g. on the cover text)

    @property
    def comment_count(self) -> int:
        ids = {c.comment_id for row in self.rows for c in row.comments}
        return len(ids | {c.comment_id for c in self.loose_comments})


# reading -----------------------------------------------------------------------------------------
def check_docx(path: Path, label: str, own: bool = False) -> None:
    """Refuse what is not a .docx (a renamed PDF, an old .doc, a password-protected file, ...).
    `own`: the researcher's own document (codings), so the message speaks to them, not of a respondent."""
    check_regular_file(path, label, "the Word document")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head:
        raise InputError(f"{label}: the file is empty (0 bytes); save the document there again")
    if head.startswith(b"%PDF"):
        raise InputError(f"{label}: is a PDF, not a Word document; ask for the .docx file (or save it from Word as .docx)")
    if head.startswith(OLE2):
        if "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
            if own:
                raise InputError(
                    f"{label}: is password-protected; remove the password in Word (File > Info > Protect Document) "
                    "and save it again"
                )
            raise InputError(
                f"{label}: is password-protected; ask the respondent to remove the password "
                "(File > Info > Protect Document) and send it again"
            )
        raise InputError(f"{label}: is an old Word 97-2003 .doc file; open it in Word and save it as .docx (Word Document)")
    if head.startswith(b"{\\rtf"):
        raise InputError(f"{label}: is an RTF file, not a .docx; open it in Word and save it as .docx (Word Document)")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{label}: is not a Word document (.docx); save it from Word as .docx (Word Document)")
    check_archive(path, label, "Word document")


def read_segment_table(path: Path, label: str, own: bool = False) -> SegmentTable:
    """The document's segment table (the first table whose first column holds segment ids)."""
    check_docx(path, label, own)
    body, comments = _load(path, label)
    table = next((t for t in body.iter(w("tbl")) if _is_segment_table(t)), None)
    if table is None:
        if not accepted_text(body).strip() and body.find(f".//{w('tbl')}") is None:
            raise InputError(f"{label}: the document is empty; ask for the reviewed transcript again")
        raise InputError(
            f"{label}: no transcript table found (a table whose first column holds segment ids); "
            "ask for the review document to be returned with its table"
        )
    trs = _rows(table)
    anchored, loose = _anchor_comments(body, trs, comments)
    rows = [
        TableRow(number, tuple(accepted_text(tc) for tc in _cells(tr)), tuple(anchored[i]), _continues_merge(tr))
        for i, (number, tr) in enumerate(trs)
    ]
    header: tuple[str, ...] = ()
    if rows and SEGMENT_ID.fullmatch(rows[0].segment_id) is None:
        header, rows = rows[0].cells, rows[1:]
    return SegmentTable(header, tuple(rows), tuple(loose))


def accepted_text(element: Any) -> str:
    """The text of a cell, paragraph or body with every tracked change accepted."""
    parts: list[str] = []
    _walk(element, parts)
    return "".join(parts).strip("\n")


def _walk(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP:
            continue
        if tag == w("t"):
            parts.append(child.text or "")
        elif tag in CHARS:
            parts.append(CHARS[tag])
        elif tag == w("p"):
            if parts and not parts[-1].endswith("\n"):
                parts.append("\n")
            _walk(child, parts)
            parts.append("\n")
        elif tag == w("tr") and _deleted(child):
            continue
        else:
            _walk(child, parts)


def _load(path: Path, label: str) -> tuple[Any, dict[str, Comment]]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            main = _main_part(archive, names)
            if main is None:
                kind = "an OpenDocument (.odt) file" if "mimetype" in names else "a zip file, not a Word document"
                raise InputError(f"{label}: is {kind}; save it from Word as .docx (Word Document)")
            root = etree.fromstring(archive.read(main), PARSER)
            comments_part = _related(archive, names, main, COMMENTS)
            comments = _comments(etree.fromstring(archive.read(comments_part), PARSER)) if comments_part else {}
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
        raise InputError(f"{label}: the Word document is damaged; open it in Word and save it again") from None
    body = root.find(w("body"))
    if body is None:
        raise InputError(f"{label}: not a Word Document; save it from Word as .docx (Word Document, not Strict Open XML)")
    return body, comments


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" not in names:
        return None
    target = _targets(archive.read("_rels/.rels"), OFFICE_DOCUMENT, PurePosixPath(""))
    return next((name for name in target if name in names), None)


def _related(archive: zipfile.ZipFile, names: set[str], part: str, reltype: str) -> str | None:
    source = PurePosixPath(part)
    rels = str(source.parent / "_rels" / f"{source.name}.rels")
    if rels not in names:
        return None
    return next((name for name in _targets(archive.read(rels), reltype, source.parent) if name in names), None)


def _targets(xml: bytes, reltype: str, base: PurePosixPath) -> list[str]:
    found = []
    for rel in etree.fromstring(xml, PARSER).iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            joined = PurePosixPath(target.lstrip("/")) if target.startswith("/") else base / target
            parts: list[str] = []
            for piece in joined.parts:
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece != ".":
                    parts.append(piece)
            found.append("/".join(parts))
    return found


def _comments(root: Any) -> dict[str, Comment]:
    found = {}
    for element in root.iter(w("comment")):
        cid = element.get(w("id"), "")
        text = "\n".join(accepted_text(p) for p in element.iter(w("p"))).strip()
        found[cid] = Comment(cid, element.get(w("author"), ""), element.get(w("initials"), ""), text)
    return found


def _is_segment_table(table: Any) -> bool:
    return any(
        SEGMENT_ID.fullmatch(accepted_text(cells[0]).strip()) is not None
        for _, tr in _rows(table)
        if (cells := _cells(tr))
    )


def _rows(table: Any) -> list[tuple[int, Any]]:
    """(row number, w:tr) of this table (not of nested tables), without rows deleted with tracking."""
    own = [tr for tr in table.iter(w("tr")) if next(tr.iterancestors(w("tbl"))) is table]
    return [(number, tr) for number, tr in enumerate(own, start=1) if not _deleted(tr)]


def _cells(tr: Any) -> list[Any]:
    return [tc for tc in tr.iter(w("tc")) if next(tc.iterancestors(w("tr"))) is tr]


def _deleted(tr: Any) -> bool:
    return tr.find(f"{w('trPr')}/{w('del')}") is not None


def _continues_merge(tr: Any) -> bool:
    for tc in _cells(tr):
        merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
        if merge is not None and merge.get(w("val"), "continue") != "restart":
            return True
    return False


def _anchor_comments(
    body: Any, trs: Sequence[tuple[int, Any]], comments: dict[str, Comment]
) -> tuple[list[list[Comment]], list[Comment]]:
    index = {tr: i for i, (_, tr) in enumerate(trs)}
    per_row: list[dict[str, None]] = [{} for _ in trs]
    loose: dict[str, None] = {}
    open_ids: dict[str, None] = {}
    marks = (w("tr"), w("commentRangeStart"), w("commentRangeEnd"), w("commentReference"))
    for element in body.iter(*marks):
        if element.tag == w("tr"):
            if element in index:
                per_row[index[element]].update(open_ids)
            continue
        cid = element.get(w("id"), "")
        row = next((index[tr] for tr in element.iterancestors(w("tr")) if tr in index), None)
        if element.tag == w("commentRangeEnd"):
            open_ids.pop(cid, None)
            continue
        if element.tag == w("commentRangeStart"):
            open_ids[cid] = None
        (loose if row is None else per_row[row])[cid] = None
    anchored = [[comments[cid] for cid in ids if cid in comments] for ids in per_row]
    attached = {cid for ids in per_row for cid in ids}
    return anchored, [comments[cid] for cid in loose if cid in comments and cid not in attached]
