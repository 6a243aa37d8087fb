"""The bad-input corpus: every input a researcher can get wrong, across every stage.

Each case changes one input of a study that has run completely, runs the pipeline again and
checks the promise of the standards: a one-line error that names the file, row or key; no
traceback; no other respondent affected; nothing already produced lost or half-written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tasks.core.errors import StudyError
from tasks.protocol import problems
from tasks.status import study_status
from tasks.core.study import Study
from tests.helpers import run_plain
from tests.reliability.contained import EMAIL, NAME, REJECTED, SENTENCE, assert_contained, leaks, personal_data

Mutation = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Mutation
    scope: str  # "respondent": R02 fails at `stage`; "row": a stray row is reported; "study": nothing runs
    stage: str
    names: str  # the file (or config key) the message must name
    exact: str = ""  # when given, the whole message, word for word
    process: bool = False  # issue 14: run as `interview-study run`, its exit code, others' hashes and markers checked


def set_cell(file: str, rid: str, column: str, value: str) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / file
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for row in rows:
            if row["respondent_id"] == rid:
                row[column] = value
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")

    return mutate


def append(file: str, line: str) -> Mutation:
    def mutate(root: Path) -> None:
        with open(root / file, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    return mutate


def write(file: str, data: bytes | Callable[[Path], bytes]) -> Mutation:
    def mutate(root: Path) -> None:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_bytes(data(root) if callable(data) else data)

    return mutate


def replace(file: str, old: str, new: str) -> Mutation:
    def mutate(root: Path) -> None:
        text = (root / file).read_text(encoding="utf-8")
        assert old in text, (file, old)
        (root / file).write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(root: Path) -> None:
        for mutation in mutations:
            mutation(root)

    return mutate


def unapproved(mutation: Mutation) -> Mutation:
    """A recording changes before its transcript was approved (an approved one is kept, by design)."""

    def mutate(root: Path) -> None:
        (root / "out" / "04_review" / "approved" / "R02.json").unlink()
        set_cell(V, "R02", "decision", "")(root)
        mutation(root)

    return mutate


def truncated_audio(root: Path) -> bytes:
    return (root / "audio" / "R02.ogg").read_bytes()[:600]


def archive_bomb(part: str) -> Callable[[Path], bytes]:
    """A zip that weighs some hundred kB and would unpack `part` to 100 MB."""

    def data(root: Path) -> bytes:
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            with archive.open(part, "w", force_zip64=True) as handle:
                handle.write(f"<w:t>{SENTENCE}</w:t>".encode())
                for _ in range(100):
                    handle.write(b" " * (1024 * 1024))
        return buffer.getvalue()

    return data


def special(file: str, kind: str) -> Mutation:
    """A folder or a named pipe where a codings file should be."""

    def mutate(root: Path) -> None:
        import os

        path = root / file
        path.unlink(missing_ok=True)
        if kind == "folder":
            path.mkdir(parents=True)
        else:
            os.mkfifo(path)

    return mutate


def docx_without_table(root: Path) -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
R = "recruitment.csv"
C = "consent.csv"
V = "reviews.csv"
WITH_CHANGES = set_cell(V, "R02", "decision", "approved_with_changes")

CASES = [
    # recruitment.csv: one respondent's row
    Case("recruitment date", set_cell(R, "R02", "contacted_on", "31-02-2022"), "respondent", "recruitment", R),
    Case("recruitment mode", set_cell(R, "R02", "interview_mode", "telefoon"), "respondent", "recruitment", R),
    Case("recruitment channel", set_cell(R, "R02", "channel", "fax"), "respondent", "recruitment", R),
    Case("recruitment size", set_cell(R, "R02", "municipality_size", "huge"), "respondent", "recruitment", R),
    Case("recruitment responded", set_cell(R, "R02", "responded", "misschien"), "respondent", "recruitment", R),
    Case("recruitment role", set_cell(R, "R02", "role", "wethouder"), "respondent", "recruitment", R),
    Case("recruitment dates order", set_cell(R, "R02", "interview_date", "2021-01-01"), "respondent", "recruitment", R),
    Case("recruitment mode missing", set_cell(R, "R02", "interview_mode", ""), "respondent", "recruitment", R),
    Case("recruitment date in the future", set_cell(R, "R02", "interview_date", "2099-02-03"), "respondent",
         "recruitment", R, "recruitment.csv row 3, column interview_date: 2099-02-03 is in the future; check the date",
         process=True),
    Case("recruitment extra values", replace(R, "R02,network,", "R02,network,extra,"), "respondent", "recruitment", R),
    # recruitment.csv: rows that belong to nobody
    Case("id path traversal", append(R, "../R04,network,2022-01-12,yes,,,large,allround,X,x,y"), "row", "", R),
    Case("id with slash", append(R, "R01/..,network,2022-01-12,yes,,,large,allround,X,x,y"), "row", "", R),
    Case("id too long", append(R, "R" * 40 + ",network,2022-01-12,yes,,,large,allround,X,x,y"), "row", "", R),
    Case("id empty", append(R, ",network,2022-01-12,yes,,,large,allround,X,x,y"), "row", "", R),
    Case("id duplicate", append(R, "R01,network,2022-01-12,yes,,,large,allround,X,x,y"), "row", "", R),
    Case("id differs only in case", append(R, f"r02,network,2022-01-12,yes,,,large,allround,{NAME},{EMAIL},x"), "row", "",
         R, "recruitment.csv row 5, column respondent_id: r02 differs from R02 (row 3) only in case; "
         "ids must differ in more than case", process=True),
    # recruitment.csv: the file as a whole
    Case("recruitment cp1252", write(R, "respondent_id,naam\nR01,Jos\xe9\n".encode("cp1252")), "study", "", R),
    Case("recruitment utf-16", write(R, "respondent_id\nR01\n".encode("utf-16")), "study", "", R),
    Case("recruitment missing column", replace(R, ",role,", ",rol,"), "study", "", R),
    Case("recruitment duplicate column", replace(R, ",role,", ",channel,"), "study", "", R),
    Case("recruitment empty", write(R, b""), "study", "", R),
    # consent.csv
    Case("consent yes/no", set_cell(C, "R02", "transcription", "wellicht"), "respondent", "consent", C),
    Case("consent date", set_cell(C, "R02", "consent_on", "gisteren"), "respondent", "consent", C),
    Case("consent withdrawal date", set_cell(C, "R02", "withdrawn_on", "2000-01-01"), "respondent", "consent", C,
         "consent.csv row 3, column withdrawn_on: 2000-01-01 is before consent_on 2022-02-03; "
         "a respondent withdraws after consenting: correct whichever date is wrong", process=True),
    Case("consent date in the future", set_cell(C, "R02", "consent_on", "01-05-2099"), "respondent", "consent", C,
         "consent.csv row 3, column consent_on: 2099-05-01 is in the future; check the date", process=True),
    Case("withdrawal in the future", set_cell(C, "R02", "withdrawn_on", "2099-01-01"), "respondent", "consent", C,
         "consent.csv row 3, column withdrawn_on: 2099-01-01 is in the future; check the date", process=True),
    Case("consent id differs only in case", append(C, "r02,2022-02-03,yes,yes,yes,no,"), "row", "", C,
         "consent.csv row 5, column respondent_id: r02 differs from R02 (row 3) only in case; "
         "ids must differ in more than case", process=True),
    Case("consent duplicate", append(C, "R02,2022-02-03,yes,yes,yes,no,"), "respondent", "consent", C),
    Case("consent unknown respondent", append(C, "R77,2022-02-03,yes,yes,yes,no,"), "row", "", C),
    Case("consent bad id", append(C, "../../etc,2022-02-03,yes,yes,yes,no,"), "row", "", C),
    # recordings
    Case("audio empty", unapproved(write("audio/R02.ogg", b"")), "respondent", "transcription", "audio/R02.ogg"),
    Case("audio text", unapproved(write("audio/R02.ogg", b"dit is geen geluid\n")), "respondent", "transcription", "audio/R02.ogg"),
    Case("audio truncated", unapproved(write("audio/R02.ogg", truncated_audio)), "respondent", "transcription", "audio/R02.ogg"),
    Case("audio two files", unapproved(write("audio/R02.wav", b"RIFF")), "respondent", "transcription", "audio/R02"),
    Case("audio two files in two cases", unapproved(write("audio/R02.OGG", b"OggS" + SENTENCE.encode())), "respondent",
         "transcription", "audio/R02", "audio/R02.OGG, audio/R02.ogg: more than one recording for R02; keep one",
         process=True),
    # reviews.csv and returned documents
    Case("review decision", set_cell(V, "R02", "decision", "misschien"), "respondent", "review", V),
    Case("review date", set_cell(V, "R02", "decided_on", "volgende week"), "respondent", "review", V),
    Case("review changes without file", WITH_CHANGES, "respondent", "review", "R02"),
    Case("review pdf", both(WITH_CHANGES, write("review/returned/R02.docx", b"%PDF-1.4\n")), "respondent",
         "review", "review/returned/R02.docx"),
    Case("review .doc", both(WITH_CHANGES, write("review/returned/R02.docx", OLE2)), "respondent", "review",
         "review/returned/R02.docx"),
    Case("review no table", both(WITH_CHANGES, write("review/returned/R02.docx", docx_without_table)),
         "respondent", "review", "review/returned/R02.docx"),
    Case("review unknown respondent", append(V, "R77,approved,2022-03-01,"), "row", "", V),
    Case("review date in the future", both(set_cell(V, "R02", "decided_on", "2099-03-01"), set_cell(V, "R02", "note",
         SENTENCE)), "respondent", "review", V,
         "reviews.csv row 3, column decided_on: 2099-03-01 is in the future; check the date", process=True),
    Case("review id differs only in case", append(V, f"r02,approved,2022-03-01,{SENTENCE}"), "row", "", V,
         "reviews.csv row 5, column respondent_id: r02 differs from R02 (row 3) only in case; "
         "ids must differ in more than case", process=True),
    # codings
    Case("coding unknown code", write("codings/R02.csv", b"segment_id,code,coder\nR02-0001,astrologie,ik\n"),
         "respondent", "open_coding", "codings/R02.csv"),
    Case("coding unknown segment", write("codings/R02.csv", b"segment_id,code,coder\nR02-0099,prevention,ik\n"),
         "respondent", "open_coding", "codings/R02.csv"),
    Case("coding other respondent", write("codings/R02.csv", b"segment_id,code,coder\nR01-0001,prevention,ik\n"),
         "respondent", "open_coding", "codings/R02.csv"),
    Case("coding missing column", write("codings/R02.csv", b"segment_id,code\nR02-0001,prevention\n"),
         "respondent", "open_coding", "codings/R02.csv"),
    Case("coding empty code", write("codings/R02.csv", b"segment_id,code,coder\nR02-0001,,ik\n"),
         "respondent", "open_coding", "codings/R02.csv"),
    Case("coding docx not docx", write("codings/R02.docx", b"%PDF-1.4\n"), "respondent", "open_coding",
         "codings/R02.docx"),
    Case("coding file of no known kind", write("codings/R02.csv.bak", f"segment_id,code,coder\nR02-0001,prevention,"
         f"{NAME}\n".encode()), "respondent",
         "open_coding", "codings/R02.csv.bak",
         "codings/R02.csv.bak: not a codings file; save the codings as codings/R02.csv, codings/R02.xlsx or "
         "codings/R02.docx, or move this file out of codings/", process=True),
    Case("coding file name in two cases", write("codings/R02.CSV", f"segment_id,code,coder,note\nR02-0001,prevention,ik,"
         f"{SENTENCE}\n".encode()), "respondent", "open_coding", "codings/R02",
         "codings/R02.CSV, codings/R02.csv: the same file name in two cases; keep one", process=True),
    # configuration
    Case("yaml syntax", replace("config/study.yaml", "language: nl", "language: [nl"), "study", "",
         "config/study.yaml"),
    Case("study unknown key", replace("config/study.yaml", "language: nl", "langauge: nl"), "study", "",
         "config/study.yaml"),
    Case("codebook duplicate id", replace("config/codebook.yaml", "id: prevention", "id: granularity"), "study", "",
         "config/codebook.yaml"),
    Case("codebook unknown relation end", replace("config/codebook.yaml", "to: neighbourhood_oriented",
         "to: astrologie"), "study", "", "config/codebook.yaml"),
    Case("codebook cycle", append("config/codebook.yaml",
         "  - {from: neighbourhood_oriented, to: privacy_law, type: leads_to}"), "study", "", "config/codebook.yaml"),
    Case("coder alias of two coders", replace("config/study.yaml", "  accept_suggestions: false",
         "  accept_suggestions: false\n  coder_aliases: {jdv: [J. de Vries], jan: [j. de vries]}"), "study", "",
         "config/study.yaml", "config/study.yaml: coding.coder_aliases.jan.0: 'j. de vries' is already an alias of "
         "'jdv'; give each alias one coder", process=True),
    Case("guide unknown follow", replace("config/interview_guide.yaml", "follows: q1", "follows: q99"), "study", "",
         "config/interview_guide.yaml"),
    # hostile files (issue 14): archives, special files, passwords, mix-ups
    Case("review archive bomb", both(WITH_CHANGES, write("review/returned/R02.docx", archive_bomb("word/document.xml"))),
         "respondent", "review", "review/returned/R02.docx",
         "review/returned/R02.docx: its part word/document.xml would unpack to 100 MB; "
         "this is not a normal Word document; save it again", process=True),
    Case("coding archive bomb", write("codings/R02.docx", archive_bomb("word/document.xml")), "respondent", "open_coding",
         "codings/R02.docx", "codings/R02.docx: its part word/document.xml would unpack to 100 MB; "
         "this is not a normal Word document; save it again", process=True),
    Case("coding docx password", write("codings/R02.docx", OLE2 + "EncryptedPackage".encode("utf-16-le") + NAME.encode(
         "utf-16-le")), "respondent", "open_coding", "codings/R02.docx", "codings/R02.docx: is password-protected; remove "
         "the password in Word (File > Info > Protect Document) and save it again", process=True),
    Case("coding file is a pipe", special("codings/R02.csv", "pipe"), "respondent", "open_coding", "codings/R02.csv",
         process=True),
    # one recording under two ids concerns both respondents: tests/reliability/test_mixups.py
]


def digests(out: Path, keep: Callable[[str], bool]) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and keep(p.relative_to(out).as_posix())
    }


def owned_by(*ids: str) -> Callable[[str], bool]:
    return lambda relative: any(part.split(".")[0] in ids for part in relative.split("/"))


def one_line(message: str, names: str, exact: str = "") -> None:
    assert "\n" not in message and "Traceback" not in message and "unexpected error" not in message, message
    assert names in message, message
    assert not exact or message == exact, message


def test_the_corpus_is_large_and_distinct() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


def run_case(root: Path, case: Case, others: tuple[str, ...], markers: list[str]) -> list[str]:
    """The pipeline over the changed study. Issue 14's cases run the command as a process (its exit
    code, the others' hashes and the markers checked): the problems it listed, one line each. The
    others run the stages in this process, and list nothing."""
    if case.process:
        return assert_contained(root, "run", code=REJECTED, others=others, markers=markers).errors
    if case.scope == "study":
        with pytest.raises(StudyError) as caught:
            run_plain(root)
        return [caught.value.message]
    run_plain(root)
    return []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(reference: Path, tmp_path: Path, request: pytest.FixtureRequest, case: Case) -> None:
    if case.process:
        root = request.getfixturevalue("copied")  # with a Prefect database of its own
    else:
        root = tmp_path / "study"
        shutil.copytree(reference, root)
    markers = [*personal_data(root), NAME, EMAIL, SENTENCE]  # read before the change: it may break the file
    case.mutate(root)
    out = root / "out"
    others = digests(out, owned_by("R01", "R03"))
    everything = digests(out, lambda relative: not relative.startswith(("logs/", ".state/hashes")))
    if case.scope == "study":
        listed = run_case(root, case, ("R01", "R02", "R03"), markers)
        assert len(listed) == 1, listed
        one_line(listed[0], case.names, case.exact)
        assert digests(out, lambda relative: not relative.startswith(("logs/", ".state/hashes"))) == everything
        assert leaks(root, markers) == []
        return
    listed = run_case(root, case, ("R01", "R03"), markers)
    study = Study.at(root)
    assert digests(out, owned_by("R01", "R03")) == others
    assert leaks(root, markers) == []
    statuses = {(row.respondent_id, row.stage): row for row in study_status(study)}
    assert statuses[("R01", "aggregation")].status == "done"
    assert statuses[("R03", "aggregation")].status == "done"
    if case.scope == "row":
        lines = problems(study)
        assert len(lines) == 1, lines
        one_line(lines[0], case.names, case.exact)
        assert not case.process or listed == lines, listed
        assert statuses[("R02", "aggregation")].status == "done"
        return
    failed = statuses[("R02", case.stage)]
    assert failed.status == "failed", failed
    one_line(failed.detail, case.names, case.exact)
    assert not case.process or listed == [f"R02 {case.stage}: {failed.detail}"], listed
    assert not [p for p in out.rglob("*.tmp-*")]
