"""Archives that unpack to far more than they weigh are refused before anything is parsed, in
bounded memory (the child process's peak RSS), with one line naming the file and what to do."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tasks.core.archives import check_archive
from tasks.core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def bomb(path: Path, part: str = "word/document.xml", size: int = 100 * 1024 * 1024) -> Path:
    """A .docx whose document part unpacks to `size` bytes (a few hundred kB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part, "w", force_zip64=True) as handle:
            chunk = b"<w:t>" + b" " * (1024 * 1024 - 11) + b"</w:t>"
            for _ in range(size // len(chunk)):
                handle.write(chunk)
    return path


def many_parts(path: Path, count: int = 10_001) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"word/media/p{n}.bin", b"")
    return path


def peak_child(code: str) -> tuple[str, int]:
    """Run `code` in a fresh interpreter; what it printed and its own peak RSS in MB. The child reads
    VmHWM of its own address space: ru_maxrss would keep the forking parent's peak across exec."""
    report = (
        "\nfor line in open('/proc/self/status'):\n"
        "    if line.startswith('VmHWM:'):\n"
        "        print(int(line.split()[1]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code + report], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    *lines, peak = result.stdout.strip().splitlines()
    return "\n".join(lines), int(peak) // 1024


def test_a_returned_document_that_unpacks_to_100_mb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = bomb(tmp_path / "R01.docx")
    assert path.stat().st_size < 2 * 1024 * 1024
    code = (
        "from pathlib import Path\n"
        "from tasks.core.errors import InputError\n"
        "from tasks.core.wordml import read_segment_table\n"
        "try:\n"
        f"    read_segment_table(Path({str(path)!r}), 'review/returned/R01.docx')\n"
        "except InputError as error:\n"
        "    print(error.message)\n"
    )
    message, peak_mb = peak_child(code)
    assert message == (
        "review/returned/R01.docx: its part word/document.xml would unpack to 100 MB; "
        "this is not a normal Word document; save it again"
    )
    assert peak_mb < 500


def test_an_archive_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        check_archive(many_parts(tmp_path / "R02.docx"), "codings/R02.docx", "Word document")
    assert caught.value.message == (
        "codings/R02.docx: holds 10001 parts (at most 10000); it is not a Word document this tool reads; save it again"
    )


def test_a_normal_document_passes(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Dank voor het gesprek. " * 200)
    document.save(str(tmp_path / "ok.docx"))
    check_archive(tmp_path / "ok.docx", "review/returned/R03.docx", "Word document")


def test_a_named_pipe_given_to_import_is_refused_at_once(tmp_path: Path) -> None:
    import os

    from tasks.core.scaffold import create_study
    from tasks.core.study import Study
    from tasks.exchange.qdpx_import import import_qdpx

    create_study(tmp_path / "study")
    fifo = tmp_path / "project.qdpx"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as caught:
        import_qdpx(Study.at(tmp_path / "study"), fifo)
    assert caught.value.message == (
        f"{fifo}: is not a regular file (a pipe, device or socket); save the REFI-QDA project as a file and use that"
    )


def test_a_folder_given_as_a_table_is_named(tmp_path: Path) -> None:
    from tasks.core.tables import read_table

    (tmp_path / "consent.csv").mkdir()
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "consent.csv", "consent.csv", ("respondent_id",))
    assert caught.value.message == "consent.csv: is a folder, not a table; give the path of the file"


def xlsx(path: Path, sheet: bytes) -> Path:
    """A workbook whose first sheet is `sheet` (openpyxl writes the rest)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["respondent_id", "channel"])
    book.save(str(path))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_a_workbook_with_a_dtd_is_refused_cleanly(tmp_path: Path) -> None:
    from tasks.core.tables import read_table

    sheet = (  # an external entity: expat refuses to expand it (an uncaught ParseError before)
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>respondent_id</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>&secret;</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(InputError) as caught:
        read_table(xlsx(tmp_path / "recruitment.xlsx", sheet), "recruitment.xlsx", ("respondent_id",))
    assert caught.value.message == "recruitment.xlsx: not a readable .xlsx workbook; save it again from Excel"


def test_a_workbook_that_unpacks_to_100_mb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = bomb(tmp_path / "recruitment.xlsx", part="xl/worksheets/sheet1.xml")
    code = (
        "from pathlib import Path\n"
        "from tasks.core.errors import InputError\n"
        "from tasks.core.tables import read_table\n"
        "try:\n"
        f"    read_table(Path({str(path)!r}), 'recruitment.xlsx', ('respondent_id',))\n"
        "except InputError as error:\n"
        "    print(error.message)\n"
    )
    message, peak_mb = peak_child(code)
    assert message == (
        "recruitment.xlsx: its part xl/worksheets/sheet1.xml would unpack to 100 MB; "
        "this is not a normal Excel workbook; save it again"
    )
    assert peak_mb < 500


# The command as a process (issue 14): exit code, the respondents' hashes, no marker, peak memory ---
def planted(path: Path, part: str, text: str) -> Path:
    """`path` (a zip) with one more member `part` holding `text`: a marker that must not leak."""
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(part, text)
    return path


def secrets(root: Path) -> list[str]:
    from tests.reliability.contained import PLANTED, personal_data

    return [*personal_data(root), *PLANTED]


EVERYONE = ("R01", "R02", "R03")


def test_the_command_refuses_a_recruitment_workbook_bomb_in_bounded_memory(copied: Path) -> None:
    from tests.reliability.contained import NAME, REJECTED, assert_contained

    markers = secrets(copied)
    (copied / "recruitment.csv").unlink()
    planted(bomb(copied / "recruitment.xlsx", part="xl/worksheets/sheet1.xml"), "xl/sharedStrings.xml", f"<t>{NAME}</t>")
    message = (
        "recruitment.xlsx: its part xl/worksheets/sheet1.xml would unpack to 100 MB; "
        "this is not a normal Excel workbook; save it again"
    )
    for command in ("run", "status"):
        outcome = assert_contained(copied, command, code=REJECTED, others=EVERYONE, markers=markers)
        assert outcome.errors == [message], command
        assert outcome.peak_mb < 500, (command, outcome.peak_mb)


def test_the_command_refuses_a_recruitment_workbook_with_a_dtd(copied: Path) -> None:
    from tests.reliability.contained import NAME, REJECTED, assert_contained

    markers = secrets(copied)
    (copied / "recruitment.csv").unlink()
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>respondent_id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is>'
        b'</c></row><row r="2"><c r="A2" t="inlineStr"><is><t>R01</t></is></c><c r="B2" t="inlineStr"><is><t>'
        + NAME.encode() + b"&secret;</t></is></c></row></sheetData></worksheet>"
    )
    xlsx(copied / "recruitment.xlsx", sheet)
    outcome = assert_contained(copied, "run", code=REJECTED, others=EVERYONE, markers=[*markers, "root:x:0:0"])
    assert outcome.errors == ["recruitment.xlsx: not a readable .xlsx workbook; save it again from Excel"]


def test_the_command_refuses_a_pipe_given_to_import_at_once(copied: Path, tmp_path: Path) -> None:
    import os

    from tests.reliability.contained import REJECTED, assert_contained

    fifo = tmp_path / "project.qdpx"
    os.mkfifo(fifo)
    outcome = assert_contained(copied, "import", "qdpx", str(fifo), code=REJECTED, others=EVERYONE, markers=secrets(copied))
    assert outcome.errors == [
        f"{fifo}: is not a regular file (a pipe, device or socket); save the REFI-QDA project as a file and use that"
    ]


def test_the_command_refuses_a_project_bomb_given_to_import_in_bounded_memory(copied: Path, tmp_path: Path) -> None:
    from tests.reliability.contained import SENTENCE, REJECTED, assert_contained

    project = planted(bomb(tmp_path / "study.qdpx", part="project.qde"), "sources/R01.txt", SENTENCE)
    outcome = assert_contained(copied, "import", "qdpx", str(project), code=REJECTED, others=EVERYONE,
                               markers=secrets(copied))
    assert outcome.errors == [
        "study.qdpx: its part project.qde would unpack to 100 MB; this is not a normal REFI-QDA project; save it again"
    ]
    assert outcome.peak_mb < 500, outcome.peak_mb
    assert sorted(p.name for p in (copied / "codings").iterdir()) == ["R01.csv", "R02.csv", "R03.csv"]


def test_check_names_a_folder_given_as_a_table(copied: Path) -> None:
    from tests.reliability.contained import REJECTED, assert_contained

    markers = secrets(copied)
    (copied / "consent.csv").unlink()
    (copied / "consent.csv").mkdir()
    outcome = assert_contained(copied, "check", code=REJECTED, others=EVERYONE, markers=markers)
    assert "consent.csv: is a folder, not a table; give the path of the file" in outcome.stdout.splitlines(), outcome.stdout


@pytest.mark.parametrize("kind", ["folder", "pipe"])
@pytest.mark.parametrize("table", ["consent.csv", "reviews.csv"])
def test_a_log_that_is_a_folder_or_pipe_is_refused_not_taken_for_none(tmp_path: Path, table: str, kind: str) -> None:
    import os

    from tasks.core.catalog.consent import read_consents
    from tasks.core.catalog.reviews import read_reviews
    from tasks.core.scaffold import create_study
    from tasks.core.study import Study

    create_study(tmp_path / "study")
    path = tmp_path / "study" / table
    path.unlink(missing_ok=True)
    path.mkdir() if kind == "folder" else os.mkfifo(path)
    with pytest.raises(InputError) as caught:
        (read_consents if table == "consent.csv" else read_reviews)(Study.at(tmp_path / "study"))
    assert caught.value.message == (
        f"{table}: is a folder, not a table; give the path of the file" if kind == "folder" else
        f"{table}: is not a regular file (a pipe, device or socket); save a table as a file and use that"
    )
