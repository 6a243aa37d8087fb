"""Small Word building blocks shared by the report and its sections."""

from __future__ import annotations

from docx.document import Document


def grid(document: Document, header: list[str], rows: list[list[str]]) -> None:
    """A plain bordered table: a header row, then one row per list of cell texts."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
