"""Open coding reads every codings file of a respondent (names in any case), counts a coding found
twice once, says which files it read, refuses what it cannot read, and matches coder names
without regard to case or spacing, and through the config's aliases."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tasks.core.catalog.coded import read_coded
from tasks.core.errors import InputError
from tasks.core.files import write_text
from tasks.core.study import Study
from tasks.open_coding.stage import STAGE
from tests.tasks.coding_fixtures import STUDY_YAML, transcript, write_comments, write_study

HEADER = "respondent_id,segment_id,code,coder,source,note\n"


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return write_study(tmp_path / "study")


def run(study: Study, rid: str) -> tuple[str, str]:
    outcome = STAGE.run(Study.at(study.root), rid)
    return outcome.status, outcome.detail


def failure(study: Study, rid: str) -> str:
    with pytest.raises(InputError) as caught:
        STAGE.run(Study.at(study.root), rid)
    return caught.value.message


def coded(study: Study, rid: str) -> str:
    return study.catalog.coded(rid).read_text(encoding="utf-8")


def write_xlsx(path: Path, rows: list[tuple[str, ...]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


def test_every_codings_file_is_read_and_a_coding_found_twice_counts_once(study: Study) -> None:
    (study.root / "codings" / "R03.csv").rename(study.root / "codings" / "R03.CSV")
    write_xlsx(study.root / "codings" / "R03.xlsx", [("segment_id", "code", "coder"), ("R03-0003", "technical", "AB")])
    write_text(study.root / "codings" / "R03.qdpx.csv", "segment_id,code,coder\nR03-0002,silos,ab\nR03-0003,insight,CD\n")
    assert run(study, "R03") == (
        "done",
        "5 codings on 2 segments from codings/R03.CSV, codings/R03.xlsx, codings/R03.qdpx.csv (1 duplicate counted once)",
    )
    assert coded(study, "R03") == HEADER + (
        "R03,R03-0002,insight,AB,csv,\n"
        "R03,R03-0002,silos,AB,csv,\n"
        "R03,R03-0003,insight,CD,qdpx,\n"
        "R03,R03-0003,justify,AB,csv,\n"
        "R03,R03-0003,technical,AB,csv,\n"
    )


def test_a_word_file_and_a_table_of_one_respondent_are_both_read(study: Study) -> None:
    (study.root / "codings" / "R02.docx").rename(study.root / "codings" / "r02.DOCX")
    write_text(study.root / "codings" / "R02.csv", "segment_id,code,coder\nR02-0002,language,cd\nR02-0003,justify,EF\n")
    assert run(study, "R02") == (
        "done",
        "4 codings on 2 segments from codings/R02.csv, codings/r02.DOCX (1 duplicate counted once)",
    )
    assert coded(study, "R02") == HEADER + (
        "R02,R02-0002,language,cd,csv,\n"
        "R02,R02-0003,insight,cd,docx,\n"
        "R02,R02-0003,justify,EF,csv,\n"
        "R02,R02-0003,technical,cd,docx,\n"
    )


def test_coder_names_differing_in_case_or_spacing_are_one_coder(study: Study) -> None:
    write_text(
        study.catalog.codings("R01", ".csv"),
        "segment_id,code,coder\nR01-0002,silos,Student\nR01-0002,silos,student \nR01-0003,insight, STUDENT\n"
        "R01-0005,justify,Jan  de Vries\nR01-0005,justify,jan de vries\n",
    )
    assert run(study, "R01") == ("done", "3 codings on 3 segments from codings/R01.csv (2 duplicates counted once)")
    assert coded(study, "R01") == HEADER + (
        "R01,R01-0002,silos,Student,csv,\n"
        "R01,R01-0003,insight,Student,csv,\n"
        "R01,R01-0005,justify,Jan de Vries,csv,\n"
    )


def test_aliases_from_the_config_name_one_coder_across_files(study: Study) -> None:
    write_text(study.root / "config" / "study.yaml", STUDY_YAML + "coding:\n  coder_aliases:\n    jdv: [J. de Vries]\n")
    write_comments(study.catalog.codings("R02", ".docx"), transcript("R02"), {2: "language"}, author="J. de Vries")
    write_text(study.catalog.codings("R02", ".csv"), "segment_id,code,coder\nR02-0002,language,JDV\nR02-0003,insight,j. de  vries\n")
    assert run(study, "R02") == ("done", "2 codings on 2 segments from codings/R02.csv, codings/R02.docx (1 duplicate counted once)")
    assert coded(study, "R02") == HEADER + "R02,R02-0002,language,jdv,csv,\nR02,R02-0003,insight,jdv,csv,\n"


def test_across_respondents_one_coder_keeps_the_first_spelling(study: Study) -> None:
    write_text(study.catalog.codings("R03", ".csv"), "segment_id,code,coder\nR03-0002,silos,ab \n")
    for rid in ("R01", "R03"):
        assert run(study, rid)[0] == "done"
    assert "R03,R03-0002,silos,ab,csv,\n" in coded(study, "R03")  # the stage sees one respondent only
    frame = read_coded(Study.at(study.root), ["R01", "R03"])
    assert sorted(set(frame["coder"])) == ["AB", "CD"]


def test_a_file_named_after_the_respondent_that_is_no_codings_file_is_refused(study: Study) -> None:
    write_text(study.root / "codings" / "R01.csv.bak", "segment_id,code,coder\n")
    assert failure(study, "R01") == (
        "codings/R01.csv.bak: not a codings file; save the codings as codings/R01.csv, codings/R01.xlsx or "
        "codings/R01.docx, or move this file out of codings/"
    )


def test_one_file_name_in_two_cases_is_refused(study: Study) -> None:
    write_text(study.root / "codings" / "r01.CSV", "segment_id,code,coder\nR01-0002,silos,AB\n")
    assert failure(study, "R01") == "codings/R01.csv, codings/r01.CSV: the same file name in two cases; keep one"


def test_changed_aliases_rerun_the_stage(study: Study) -> None:
    before = STAGE.inputs(Study.at(study.root), "R01")
    write_text(study.root / "config" / "study.yaml", STUDY_YAML + "coding:\n  coder_aliases:\n    AB: [Anna]\n")
    assert STAGE.inputs(Study.at(study.root), "R01") != before
