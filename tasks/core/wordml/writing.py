"""Writing Word documents: a segment table document (intro text, then one row per segment, the id
column shaded and locked in a content control Word users cannot edit, so that it survives review),
and tables sized to their content for the other documents. Pages are A4 with the study's language
on the text (tasks.core.wordml.layout)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.core.files import write_office
from tasks.core.wordml.layout import fit_table, set_page

HEADER_FILL = "E7E6E6"


@dataclass(frozen=True)
class SegmentDocument:
    """A document: a title, paragraphs of text, then one table whose first column is segment ids."""

    title: str
    intro: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_cm: tuple[float, ...] = ()  # empty: sized to the content, no word broken
    lock_ids: bool = True  # a locked content control keeps Word users from editing the id cells
    language: str = "en-GB"  # the tag Word marks the text with (spelling, hyphenation)
    highlighted: frozenset[int] = frozenset()  # rows (0-based) whose text cell is marked for reading first


def build_segment_document(spec: SegmentDocument) -> Any:
    """A python-docx Document for `spec` (save it with `save_document`)."""
    import docx
    from docx.shared import Pt
    from docx.table import _Cell

    document = docx.Document()
    set_page(document, spec.language)
    document.core_properties.author = ""
    document.core_properties.title = spec.title
    document.add_heading(spec.title, level=1)
    for paragraph in spec.intro:
        document.add_paragraph(paragraph)
    fit = fit_table(spec.columns, spec.rows, sizes_pt=(11, 10, 9), turn=False, grow=-1)
    size = Pt(fit.size_pt)
    table = document.add_table(rows=1, cols=len(spec.columns))
    table.style = document.styles["Table Grid"]
    set_widths(table, spec.widths_cm or fit.widths_cm)  # new rows copy the grid's widths
    header = table.rows[0]
    header_row(header)
    for cell, label in zip(header.cells, spec.columns):
        run = cell.paragraphs[0].add_run(label)
        run.bold, run.font.size = True, size
        shade(cell._tc)
    for number, values in enumerate(spec.rows):
        # row.cells recomputes the whole table's grid (quadratic); the row's own cells suffice
        cells = [_Cell(tc, table) for tc in table.add_row()._tr.tc_lst]
        for cell, value in zip(cells, values):
            cell.paragraphs[0].add_run(value).font.size = size
        shade(cells[0]._tc)
        if number in spec.highlighted:
            shade(cells[-1]._tc, FLAGGED_FILL)
        if spec.lock_ids:
            _lock(cells[0])
    return document


def save_document(document: Any, path: Path) -> Path:
    """Save a python-docx Document atomically."""
    return write_office(path, document.save)


def set_widths(table: Any, widths_cm: Sequence[float]) -> None:
    """Fixed column widths: the grid, the table's width and every existing cell's width."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False  # a fixed layout: Word and LibreOffice keep these widths
    width = table._tbl.tblPr.find(qn("w:tblW"))
    if width is not None:
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(int(Cm(sum(widths_cm)).twips)))
    for column, cm in zip(table._tbl.tblGrid.gridCol_lst, widths_cm):
        column.w = Cm(cm)
    for tr in table._tbl.tr_lst:
        for tc, cm in zip(tr.tc_lst, widths_cm):
            tc.width = Cm(cm)


def table(
    document: Any, header: Sequence[str], rows: Sequence[Sequence[str]], sizes_pt: Sequence[float] = (10, 9, 8)
) -> Any:
    """A bordered table sized to its content (see `fit_table`): a bold, shaded header row repeated
    on every page, rows kept whole, number columns aligned right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.table import _Cell

    fit = fit_table(header, rows, sizes_pt)
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = document.styles["Table Grid"]
    set_widths(grid, fit.widths_cm)
    numeric = [False, *(all(_numeric(row[i]) for row in rows) and bool(rows) for i in range(1, len(header)))]
    head = grid.rows[0]
    header_row(head, fit.header_cm if fit.turned else 0.0)
    for index, (cell, text) in enumerate(zip(head.cells, header)):
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(fit.size_pt)
        shade(cell._tc)
        if fit.turned and index > 0:
            turned = OxmlElement("w:textDirection")
            turned.set(qn("w:val"), "btLr")
            cell._tc.get_or_add_tcPr().append(turned)
    for values in rows:
        tr = grid.add_row()
        keep_rows_whole(tr)
        for index, (tc, text) in enumerate(zip(tr._tr.tc_lst, values)):
            paragraph = _Cell(tc, grid).paragraphs[0]
            paragraph.add_run(text).font.size = Pt(fit.size_pt)
            if numeric[index]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return grid


def _numeric(text: str) -> bool:
    """A count, share or measure ("3", "8 of n=13", "90.5%", "0,69"), or an undefined mark."""
    return bool(text) and (text[0].isdigit() or text in ("n/a", "n.v.t.", "-"))


def header_row(row: Any, height_cm: float = 0.0) -> None:
    """The row repeats at the top of every page and is never split; `height_cm`: at least this high."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if height_cm:
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int(Cm(height_cm).twips)))
        height.set(qn("w:hRule"), "atLeast")
        properties.append(height)
    properties.append(OxmlElement("w:tblHeader"))


def keep_rows_whole(row: Any) -> None:
    """A row is not split across pages."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


FLAGGED_FILL = "FFF2CC"  # light yellow: a segment the respondent should read first


def shade(tc: Any, fill: str = HEADER_FILL) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().append(shading)


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
