"""Page and table layout shared by every Word document the tool writes: A4 with the study's
language on the text (so Word spell-checks Dutch as Dutch), and tables whose columns are sized to
their content, so that no word is broken inside a cell, with the header row repeated on every page.

Text widths are estimated with DejaVu Sans Bold's advance widths: wider than Calibri (Word's
default) and than the fonts LibreOffice substitutes for it, so a word that fits by this estimate
fits on the page whatever font renders it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

A4_CM = (21.0, 29.7)
MARGIN_CM = 2.0
TEXT_WIDTH_CM = A4_CM[0] - 2 * MARGIN_CM
CELL_PADDING_CM = 0.45  # Word's default cell margins (0.19 cm each side) and a little air
PT_PER_CM = 72 / 2.54
MAX_TURNED_CM = 5.0  # turned headers wrap beyond this
LINE_HEIGHT = 1.25  # a line's height, in font sizes
# DejaVu Sans Bold advance widths of " " to "~", per mille of the font size.
_WIDTHS = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821,
    837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457,
    365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)


def char_width(char: str) -> float:
    """One character's width in ems (accented letters as their base letter; unknown ones 1 em)."""
    base = unicodedata.normalize("NFD", char)[:1] or char
    code = ord(base)
    return _WIDTHS[code - 32] / 1000 if 32 <= code < 127 else 1.0


def text_cm(text: str, size_pt: float) -> float:
    """The width of one line of `text` at `size_pt`, in cm."""
    return sum(char_width(c) for c in text) * size_pt / PT_PER_CM


def longest_word_cm(text: str, size_pt: float) -> float:
    return max((text_cm(word, size_pt) for word in text.split()), default=0.0)


def longest_line_cm(text: str, size_pt: float) -> float:
    return max((text_cm(line, size_pt) for line in text.splitlines()), default=0.0)


@dataclass(frozen=True)
class Fit:
    """How a table is laid out: column widths (cm), font size, and whether the headers of the
    columns after the first are turned (read bottom to top) in a header row `header_cm` high."""

    widths_cm: list[float]
    size_pt: float
    turned: bool = False
    header_cm: float = 0.0


def fit_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    sizes_pt: Sequence[float] = (10, 9, 8),
    available_cm: float = TEXT_WIDTH_CM,
    turn: bool = True,
    grow: int = 0,
) -> Fit:
    """The largest font size at which no word breaks; then, if `turn`, the same with turned headers
    over the number columns; failing all, the smallest size with the widths squeezed to fit.
    `grow`: the column that takes the width no column wants (the names; the text of a transcript)."""
    columns = [list(column) for column in zip(header, *rows)] if rows else [[h] for h in header]
    for size in sizes_pt:
        widths = fit_columns(columns, size, available_cm, grow=grow)
        if widths is not None:
            return Fit(widths, size)
    if turn and len(header) > 1:
        for size in sizes_pt:
            height = _header_height(header[1:], size)
            needs = [_turned_width(h, size, height) for h in header[1:]]
            widths = fit_columns(columns, size, available_cm, needs, grow)
            if widths is not None:
                return Fit(widths, size, True, height)
    size = sizes_pt[-1]
    needs = [max(longest_word_cm(text, size) for text in column) + CELL_PADDING_CM for column in columns]
    return Fit([available_cm * need / sum(needs) for need in needs], size)


def fit_columns(
    columns: Sequence[Sequence[str]],
    size_pt: float,
    available_cm: float,
    header_needs: Sequence[float] = (),
    grow: int = 0,
) -> list[float] | None:
    """Column widths (cm) that break no word and share out the rest by how much each column wants.

    `columns`: each column's header, then its cells. A column needs its longest word and wants its
    longest body line (headers may wrap at spaces). `header_needs`: the width turned headers need,
    for the columns after the first. None when even the longest words do not fit.
    """
    needs = [max(longest_word_cm(text, size_pt) for text in column) + CELL_PADDING_CM for column in columns]
    if header_needs:
        body = [max((longest_word_cm(t, size_pt) for t in column[1:]), default=0.0) for column in columns[1:]]
        needs[1:] = [max(turned, cells + CELL_PADDING_CM) for turned, cells in zip(header_needs, body)]
    wants = [
        max(needs[i], max((longest_line_cm(text, size_pt) for text in column[1:]), default=0.0) + CELL_PADDING_CM)
        for i, column in enumerate(columns)
    ]
    if sum(needs) > available_cm:
        return None
    if sum(wants) <= available_cm:
        widths = list(wants)
        widths[grow] += available_cm - sum(wants)
        return widths
    spare = available_cm - sum(needs)
    extra = [want - need for want, need in zip(wants, needs)]
    return [need + spare * more / sum(extra) for need, more in zip(needs, extra)]


def _header_height(headers: Sequence[str], size_pt: float) -> float:
    """A turned header row: as high as the longest header, up to 5 cm, and never below its longest word."""
    longest = max(longest_line_cm(h, size_pt) for h in headers)
    word = max(longest_word_cm(h, size_pt) for h in headers)
    return max(word, min(longest, MAX_TURNED_CM)) + CELL_PADDING_CM


def _turned_width(text: str, size_pt: float, height_cm: float) -> float:
    """The width a turned header needs: its lines, wrapped at spaces to the row's height, side by side."""
    lines, line = 1, 0.0
    space = text_cm(" ", size_pt)
    for word in text.split():
        width = text_cm(word, size_pt)
        if line and line + space + width > height_cm - CELL_PADDING_CM:
            lines, line = lines + 1, width
        else:
            line = line + space + width if line else width
    return lines * size_pt * LINE_HEIGHT / PT_PER_CM + CELL_PADDING_CM


def set_page(document: Any, language: str) -> None:
    """A4 portrait, 2 cm margins, and `language` (e.g. "nl-NL") as the language of all text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(A4_CM[0]), Cm(A4_CM[1])
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    document.core_properties.language = language
