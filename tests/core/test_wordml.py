"""Word segment tables: written with python-docx, read back with tracked changes accepted and
comments anchored per row; files that are not .docx refused with one clear line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from tasks.core.errors import InputError
from tasks.core.wordml import (
    Comment,
    SegmentDocument,
    accepted_text,
    build_segment_document,
    check_docx,
    read_segment_table,
    save_document,
)
from tests.tasks.review_fixtures import WordEdit, ole2

ROWS = (
    ("R01-0001", "0:00", "interviewer", "How did you expect it would be?"),
    ("R01-0002", "0:04", "", "We expected much more from the data."),
    ("R01-0003", "0:09", "", "Now it is different, and better."),
)


@pytest.fixture
def table_doc(tmp_path: Path) -> Path:
    spec = SegmentDocument(
        title="Transcript R01",
        intro=("Please read this.",),
        columns=("Segment (do not change)", "Time", "Speaker", "Text"),
        rows=ROWS,
        widths_cm=(2.8, 1.5, 2.4, 10.3),
    )
    return save_document(build_segment_document(spec), tmp_path / "out" / "R01.docx")


def test_written_table_reads_back_exactly(table_doc: Path) -> None:
    table = read_segment_table(table_doc, "R01.docx")
    assert table.header == ("Segment (do not change)", "Time", "Speaker", "Text")
    assert [row.cells for row in table.rows] == [tuple(r) for r in ROWS]
    assert [row.number for row in table.rows] == [2, 3, 4]
    assert next((row.segment_id, row.text, row.cell(2)) for row in table.rows) == (
        "R01-0001",
        "How did you expect it would be?",
        "interviewer",
    )
    assert table.loose_comments == () and table.comment_count == 0


def test_written_document_locks_the_id_cells_and_python_docx_opens_it(table_doc: Path) -> None:
    document = docx.Document(str(table_doc))
    xml = document.tables[0]._tbl.xml
    assert xml.count('w:val="sdtContentLocked"') == 3
    assert "w:tblHeader" in xml
    assert document.core_properties.author == ""
    assert [p.text for p in document.paragraphs] == ["Transcript R01", "Please read this."]


def test_tracked_changes_are_accepted(table_doc: Path, tmp_path: Path) -> None:
    returned = (
        WordEdit(table_doc)
        .replace("R01-0002", "much more", "a lot")
        .replace("R01-0003", ", and better", "")
        .replace("R01-0001", "", " Really?")
        .save(tmp_path / "returned.docx")
    )
    texts = [row.text for row in read_segment_table(returned, "returned.docx").rows]
    assert texts == ["How did you expect it would be? Really?", "We expected a lot from the data.", "Now it is different."]
    # python-docx alone loses the inserted words
    cell = docx.Document(str(returned)).tables[0].rows[2].cells[3]
    assert cell.text == "We expected  from the data."


def test_moves_count_where_the_text_went(table_doc: Path, tmp_path: Path) -> None:
    returned = WordEdit(table_doc).move("R01-0003", ", and better", "R01-0002").save(tmp_path / "moved.docx")
    texts = [row.text for row in read_segment_table(returned, "moved.docx").rows]
    assert texts[1:] == ["We expected much more from the data. , and better", "Now it is different."]


def test_comments_are_anchored_to_their_rows(table_doc: Path, tmp_path: Path) -> None:
    returned = (
        WordEdit(table_doc, author="Jan Jansen")
        .comment("R01-0002", "Not what I meant.")
        .comment("R01-0001", "These two belong together.", until="R01-0002")
        .comment_on_cover("All fine otherwise.")
        .save(tmp_path / "commented.docx")
    )
    table = read_segment_table(returned, "commented.docx")
    first, second, third = table.rows
    assert first.comments == (Comment("1", "Jan Jansen", "JJ", "These two belong together."),)
    assert second.comments == (
        Comment("1", "Jan Jansen", "JJ", "These two belong together."),
        Comment("0", "Jan Jansen", "JJ", "Not what I meant."),
    )
    assert third.comments == ()
    assert table.loose_comments == (Comment("2", "Jan Jansen", "JJ", "All fine otherwise."),)
    assert table.comment_count == 3


def test_rows_deleted_with_tracking_are_left_out_and_merges_flagged(table_doc: Path, tmp_path: Path) -> None:
    returned = (
        WordEdit(table_doc).delete_row_tracked("R01-0003").merge_with_next("R01-0001").save(tmp_path / "rows.docx")
    )
    table = read_segment_table(returned, "rows.docx")
    assert [(row.segment_id, row.merged) for row in table.rows] == [("R01-0001", False), ("R01-0002", True)]


def test_accepted_text_of_a_paragraph_with_tabs_and_breaks() -> None:
    from lxml import etree

    xml = (
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:r><w:t>one</w:t><w:tab/><w:t>two</w:t><w:br/><w:t>three</w:t></w:r>"
        '<w:del w:id="1" w:author="x"><w:r><w:delText>gone</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="x"><w:r><w:t>-new</w:t></w:r></w:ins></w:p>'
    )
    assert accepted_text(etree.fromstring(xml)) == "one two\nthree-new"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "in.docx: the file is empty (0 bytes); save the document there again"),
        (b"%PDF-1.7\n...", "in.docx: is a PDF, not a Word document; ask for the .docx file (or save it from Word as .docx)"),
        (ole2(), "in.docx: is an old Word 97-2003 .doc file; open it in Word and save it as .docx (Word Document)"),
        (
            ole2("EncryptedPackage".encode("utf-16-le")),
            ("in.docx: is password-protected; ask the respondent to remove the password "
            "(File > Info > Protect Document) and send it again"),
        ),
        (b"{\\rtf1\\ansi hello}", "in.docx: is an RTF file, not a .docx; open it in Word and save it as .docx (Word Document)"),
        (b"just some text", "in.docx: is not a Word document (.docx); save it from Word as .docx (Word Document)"),
    ],
)
def test_what_is_not_a_docx_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.docx"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        check_docx(path, "in.docx")
    assert caught.value.message == message


def test_a_password_on_the_researchers_own_codings_document_is_theirs_to_remove(tmp_path: Path) -> None:
    path = tmp_path / "R02.docx"
    path.write_bytes(ole2("EncryptedPackage".encode("utf-16-le")))
    with pytest.raises(InputError) as caught:
        check_docx(path, "codings/R02.docx", own=True)
    assert caught.value.message == (
        "codings/R02.docx: is password-protected; remove the password in Word (File > Info > Protect Document) "
        "and save it again"
    )


def test_zip_that_is_not_a_document_and_damaged_xml(tmp_path: Path) -> None:
    odt = tmp_path / "odt.docx"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(InputError, match=r"^odt.docx: is an OpenDocument \(.odt\) file; save it from Word as .docx"):
        read_segment_table(odt, "odt.docx")
    broken = tmp_path / "broken.docx"
    document = docx.Document()
    document.save(str(broken))
    with zipfile.ZipFile(broken) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"][:200]
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(InputError) as caught:
        read_segment_table(broken, "broken.docx")
    assert caught.value.message == "broken.docx: the Word document is damaged; open it in Word and save it again"


def test_empty_document_and_document_without_table(tmp_path: Path) -> None:
    empty = tmp_path / "empty.docx"
    docx.Document().save(str(empty))
    with pytest.raises(InputError) as caught:
        read_segment_table(empty, "empty.docx")
    assert caught.value.message == "empty.docx: the document is empty; ask for the reviewed transcript again"
    letter = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("I agree with everything.")
    document.save(str(letter))
    with pytest.raises(InputError) as caught:
        read_segment_table(letter, "letter.docx")
    assert caught.value.message == (
        "letter.docx: no transcript table found (a table whose first column holds segment ids); "
        "ask for the review document to be returned with its table"
    )


def test_segment_documents_are_a4_in_the_study_language_with_columns_sized_to_their_content(tmp_path: Path) -> None:
    spec = SegmentDocument(
        title="Transcript ter controle: R01",
        intro=("Lees dit.",),
        columns=("Segment (niet wijzigen)", "Tijd", "Spreker", "Tekst"),
        rows=ROWS,
        language="nl-NL",
    )
    path = save_document(build_segment_document(spec), tmp_path / "R01.docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21.0, 29.7)
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml").decode()
    assert '<w:lang w:val="nl-NL" w:eastAsia="nl-NL" w:bidi="ar-SA"/>' in styles
    table = document.tables[0]
    widths = [round(column.width.cm, 2) for column in table.columns]
    assert abs(sum(column.width.cm for column in table.columns) - 17.0) < 0.001  # A4 less two 2 cm margins
    assert widths[:3] == [2.53, 1.41, 2.96]  # "R01-0003", "0:09", "interviewer" and 0.45 cm padding; the text: the rest
    assert 'w:type="fixed"' in table._tbl.xml and "w:tblHeader" in table._tbl.xml


def test_fit_table_breaks_no_word_and_turns_headers_when_the_words_are_too_wide() -> None:
    from tasks.core.wordml.layout import TEXT_WIDTH_CM, fit_table, longest_word_cm

    narrow = fit_table(["Code", "Respondenten", "Segmenten"], [["Verwachtingsmanagement", "5 van n=13", "5"]])
    assert (narrow.size_pt, narrow.turned) == (10, False)
    assert narrow.widths_cm[0] > longest_word_cm("Verwachtingsmanagement", 10)
    assert round(sum(narrow.widths_cm), 6) == TEXT_WIDTH_CM
    roles = [f"adviseur informatievoorziening {i} (n=1)" for i in range(6)]
    wide = fit_table(["Code", *roles], [["Verwachtingsmanagement", *"010101"]])
    assert wide.turned and wide.size_pt == 10
    assert all(width > longest_word_cm(word, wide.size_pt) for width, word in zip(wide.widths_cm, ["Verwachtingsmanagement", "0"]))
    assert wide.header_cm > longest_word_cm("informatievoorziening", wide.size_pt)
    assert round(sum(wide.widths_cm), 6) == TEXT_WIDTH_CM
