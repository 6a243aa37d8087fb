"""`interview-study check`: every problem of a study, one line each, then a summary; exit 1 if any.
It writes nothing in the study and never starts Prefect."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import flows.commands  # noqa: F401 - registers the commands
from flows.cli import app
from tasks.core.study import Study
from tasks.core.transcripts import save_transcript
from tests.helpers import write_study
from tests.tasks.coding_fixtures import write_comments
from tests.tasks.review_fixtures import draft_of

runner = CliRunner()


@pytest.fixture
def good_study(tmp_path: Path) -> Study:
    """R01 interviewed, consented, recorded, approved and coded; R02 refused; R03 not interviewed yet."""
    study = write_study(
        tmp_path / "study",
        [
            "R01,linkedin,2024-03-01,yes,2024-03-15,online,large,allround,Jan Jansen,jan@voorbeeld.invalid,Gemeente A",
            "R02,municipality_email,2024-03-02,yes,2024-03-20,in_person,small,wmo,Piet Pieters,piet@voorbeeld.invalid,Gemeente B",
            "R03,network,2024-03-02,yes,,,medium,jeugd,Kees Klaassen,kees@voorbeeld.invalid,Gemeente C",
            "C01,network,2024-03-04,no,,,large,,Anna Ananas,anna@voorbeeld.invalid,Gemeente D",
        ],
        ["R01,2024-03-15,yes,yes,yes,no,", "R02,2024-03-20,yes,no,yes,no,"],
    )
    (study.root / "audio" / "R01.wav").write_bytes(b"RIFF recorded")
    (study.root / "reviews.csv").write_text("respondent_id,decision,decided_on,note\nR01,approved,2024-04-01,\n", encoding="utf-8")
    save_transcript(study.catalog.approved("R01"), draft_of("R01"))
    (study.root / "codings" / "R01.csv").write_text("segment_id,code,coder\nR01-0003,example_code,AB\n", encoding="utf-8")
    write_comments(study.root / "codings" / "R01.docx", draft_of("R01"), {3: "example_code"})
    return study


def check(study: Study) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", "--study", str(study.root)])
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under root, with its content hash and modification time."""
    return {
        str(path.relative_to(root)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder",
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
    }


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def test_a_good_study_has_no_problems(good_study: Study) -> None:
    assert check(good_study) == (0, "no problems found in 3 respondents\n", "")


def test_a_bad_study_lists_every_problem_one_line_each(good_study: Study) -> None:
    root = good_study.root
    recruitment = good_study.catalog.recruitment_file
    recruitment.write_text(recruitment.read_text(encoding="utf-8").replace("2024-03-20,in_person", "2024-03-20,fax"), encoding="utf-8")
    append(recruitment, "R04,network,2024-03-05,yes,2024-03-25,online,large,wmo,Els,els@voorbeeld.invalid,Gemeente E\n")
    append(recruitment, "R01,network,2024-03-05,yes,,,large,wmo,Els,els@voorbeeld.invalid,Gemeente E\n")
    append(good_study.catalog.consent_file, "R04,2024-03-25,yes,yes,yes,no,\nR99,2024-03-20,yes,yes,yes,no,\n")
    append(good_study.catalog.reviews_file, "R03,aproved,2024-04-02,\n")
    (root / "review" / "returned" / "R77.docx").write_bytes(b"PK returned")
    (root / "audio" / "R03.wav").write_bytes(b"")
    (root / "audio" / "X1.mp3").write_bytes(b"ID3 stray")
    append(root / "codings" / "R01.csv", "R01-0009,example_code,AB\nR02-0001,example_code,AB\nR01-0004,no_such_code,AB\nR01-0005,example_code,\n")
    write_comments(root / "codings" / "R01.docx", draft_of("R01"), {3: "example_code", 4: "no_such_code, "})
    (root / "codings" / "R88.csv").write_text("segment_id,code,coder\n", encoding="utf-8")
    before = snapshot(root)
    assert check(good_study) == (
        1,
        "recruitment.csv row 3, column interview_mode: 'fax' is not one of online | in_person\n"
        "recruitment.csv row 7, column respondent_id: R01 appears twice; keep one row per respondent\n"
        "consent.csv row 5, column respondent_id: R99 is not a respondent in the recruitment log; "
        "add them there or remove the row\n"
        "reviews.csv row 3, column decision: 'aproved' is not one of approved | approved_with_changes | declined\n"
        "review/returned/R77.docx: not named after a respondent in the recruitment log; name it <respondent id>.docx\n"
        "audio/R03.wav: empty file; save the recording again\n"
        "audio/R04: no recording; R04 was interviewed on 2024-03-25 and consented; "
        "save it as audio/R04.wav (or .flac/.mp3/.m4a/.ogg/.opus)\n"
        "audio/X1.mp3: not named after a respondent in the recruitment log; name it <respondent id>.mp3\n"
        "codings/R01.csv row 3, column segment_id: segment R01-0009 is not in R01's approved transcript; check the id\n"
        "codings/R01.csv row 4, column segment_id: segment R02-0001 belongs to respondent R02; code it in codings/R02.csv\n"
        "codings/R01.csv row 5, column code: unknown code 'no_such_code'; use a code id or name from config/codebook.yaml\n"
        "codings/R01.csv row 6, column coder: empty; write who coded the segment (initials)\n"
        "codings/R01.docx comment 2: unknown code 'no_such_code'; use a code id or name from config/codebook.yaml\n"
        "codings/R88.csv: not named after a respondent in the recruitment log; name it <respondent id>.csv or "
        "<respondent id>.docx\n"
        "14 problems found in 4 respondents; fix them and run interview-study check again\n",
        "",
    )
    assert snapshot(root) == before  # nothing written, not even a log or a hash cache


def test_every_config_file_is_reported(good_study: Study) -> None:
    config = good_study.root / "config"
    (config / "study.yaml").write_text("study: {title: x, colour: blue}\n", encoding="utf-8")
    (config / "codebook.yaml").write_text("categories: [\n", encoding="utf-8")
    (config / "interview_guide.yaml").write_text("topics: {}\nquestions: []\nextra: 1\n", encoding="utf-8")
    assert check(good_study) == (
        1,
        "config/study.yaml: study.colour: unknown key; remove it or check its spelling\n"
        "config/codebook.yaml line 2: expected the node content, but found '<stream end>'; fix the YAML syntax\n"
        "config/interview_guide.yaml: extra: unknown key; remove it or check its spelling\n"
        "3 problems found; fix them and run interview-study check again\n",
        "",
    )


def test_check_neither_starts_prefect_nor_loads_whisper(good_study: Study) -> None:
    code = (
        "import sys\n"
        "from flows.cli import main\n"
        f"sys.argv = ['interview-study', 'check', '--study', {str(good_study.root)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('prefect', 'whisper', 'faster_whisper', 'pandas')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.splitlines() == ["no problems found in 3 respondents", "[]"]
