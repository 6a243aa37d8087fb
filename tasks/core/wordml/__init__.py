"""Word documents holding a segment table (segment id | time | speaker | text), as the review
document and the coding copy use them: write them with python-docx, read them back with tracked
changes accepted and comments anchored per row, and refuse what is not a .docx with one clear line.

    table = read_segment_table(path, "review/returned/R01.docx")
    for row in table.rows:  # row.segment_id, row.text, row.cell(2), row.comments (author, text)
        ...
"""

from tasks.core.wordml.reading import (
    Comment,
    SegmentTable,
    TableRow,
    accepted_text,
    check_docx,
    read_segment_table,
)
from tasks.core.wordml.writing import SegmentDocument, build_segment_document, save_document

__all__ = [
    "Comment",
    "SegmentDocument",
    "SegmentTable",
    "TableRow",
    "accepted_text",
    "build_segment_document",
    "check_docx",
    "read_segment_table",
    "save_document",
]
