"""No cell we write can run as a formula when a researcher opens the file in Excel."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tasks.core.sheets import cell_text, defuse, safe_row, unescaped, write_csv

RISKY = ["=HYPERLINK(\"http://x\",\"klik\")", "+31 6 123", "-1+1", "@SUM(1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_gets_an_apostrophe_and_comes_back_unchanged(text: str) -> None:
    assert cell_text(text) == "'" + text
    assert unescaped(cell_text(text)) == text


def test_other_values_are_left_alone() -> None:
    assert [cell_text(v) for v in ["Gewoon tekst", "R01-0003", -3, 0.5, None, "'quoted"]] == [
        "Gewoon tekst", "R01-0003", -3, 0.5, None, "'quoted"
    ]
    assert unescaped("'quoted") == "'quoted"
    assert safe_row(["@SUM(1)", 2]) == ["'@SUM(1)", 2]


def test_a_written_csv_holds_no_formula(tmp_path: Path) -> None:
    frame = pd.DataFrame({"coder": ["@SUM(1)", "Anna"], "text": ["=HYPERLINK(\"x\")", "ok"], "n": [-1, 2]})
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines() == [
        "coder,text,n", "'@SUM(1),\"'=HYPERLINK(\"\"x\"\")\",-1", "Anna,ok,2"
    ]


def test_workbook_cells_that_look_like_formulas_are_stored_as_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["=1+1", "@SUM(1)", 3])
    defuse(sheet)
    book.save(str(tmp_path / "w.xlsx"))
    cells = next(openpyxl.load_workbook(tmp_path / "w.xlsx").active.iter_rows())
    assert [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("@SUM(1)", "s"), (3, "n")]
