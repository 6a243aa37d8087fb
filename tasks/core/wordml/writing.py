"""Writing a Word document with a segment table: intro text, then one row per segment, the id
column shaded and locked (a content control Word users cannot edit) so that it survives review."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.core.files import write_office


@dataclass(frozen=True)
class SegmentDocument:
    """A document: a title, paragraphs of text, then one table whose first column is segment ids."""

    title: str
    intro: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_cm: tuple[float, ...] = ()
    lock_ids: bool = True  # a locked content control keeps Word users from editing the id cells


def build_segment_document(spec: SegmentDocument) -> Any:
    """A python-docx Document for `spec` (save it with `save_document`)."""
    import docx
    from docx.shared import Cm
    from docx.table import _Cell

    document = docx.Document()
    document.core_properties.author = ""
    document.core_properties.title = spec.title
    document.add_heading(spec.title, level=1)
    for paragraph in spec.intro:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=len(spec.columns))
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    _repeat_header(header)
    for cell, label in zip(header.cells, spec.columns):
        cell.text = label
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for column, cell, width in zip(table.columns, header.cells, spec.widths_cm):
        column.width = cell.width = Cm(width)  # new rows copy the grid's widths
    for values in spec.rows:
        # row.cells recomputes the whole table's grid (quadratic); the row's own cells suffice
        cells = [_Cell(tc, table) for tc in table.add_row()._tr.tc_lst]
        for cell, value in zip(cells, values):
            cell.text = value
        _shade(cells[0])
        if spec.lock_ids:
            _lock(cells[0])
    return document


def save_document(document: Any, path: Path) -> Path:
    """Save a python-docx Document atomically."""
    return write_office(path, document.save)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _shade(cell: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "E7E6E6")
    cell._tc.get_or_add_tcPr().append(shading)


def _lock(cell: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sdt, properties, content, lock = (OxmlElement(t) for t in ("w:sdt", "w:sdtPr", "w:sdtContent", "w:lock"))
    lock.set(qn("w:val"), "sdtContentLocked")
    properties.append(lock)
    sdt.append(properties)
    sdt.append(content)
    paragraph = cell._tc.p_lst[0]
    paragraph.addprevious(sdt)
    content.append(paragraph)
