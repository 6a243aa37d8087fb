"""Small Word building blocks shared by the report, its sections and the methods appendix."""

from __future__ import annotations

from typing import Any

from docx.document import Document

from tasks.core.wordml.layout import set_page
from tasks.core.wordml.writing import table


def grid(document: Document, header: list[str], rows: list[list[str]]) -> Any:
    """A bordered table sized to its content: a bold header row repeated on every page, then one row
    per list of cell texts; no word is broken inside a cell."""
    return table(document, header, rows)


def new_document(language: str) -> Document:
    """An empty A4 document whose text is marked as `language` (a tag such as "nl-NL")."""
    import docx

    document = docx.Document()
    set_page(document, language)
    return document
