"""Open coding: the coding copy, CSV and Word-comment codings, keyword suggestions, bad input."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tasks.core.errors import InputError
from tasks.core.files import write_text
from tasks.core.study import Study
from tasks.core.transcripts import Segment, Transcript
from tasks.core.wordml import read_segment_table
from tasks.open_coding.stage import STAGE, CodeLookup
from tasks.open_coding.word import read_comments
from tasks.open_coding.keywords import suggest
from tests.tasks.coding_fixtures import (  # noqa: F401
    CODEBOOK_YAML,
    fakes,
    run_pipeline,
    transcript,
    write_comments,
    write_study,
)

HEADER = "respondent_id,segment_id,code,coder,source,note\n"


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return write_study(tmp_path / "study")


def rerun(study: Study, rid: str) -> tuple[str, str]:
    outcome = STAGE.run(Study.at(study.root), rid)
    return outcome.status, outcome.detail


def failure(study: Study, rid: str) -> str:
    with pytest.raises(InputError) as caught:
        STAGE.run(Study.at(study.root), rid)
    return caught.value.message


def test_waiting_until_a_codings_file_exists_with_a_coding_copy_to_work_in(study: Study) -> None:
    outcome = STAGE.run(study, "R05")
    assert (outcome.status, outcome.detail) == (
        "waiting",
        ("researcher: code the transcript in codings/R05.csv or codings/R05.docx "
        "(a coding copy is in out/05_open_coding/to_code/R05.docx)"),
    )
    copy = read_segment_table(study.catalog.to_code("R05"), "R05.docx")  # the review document's layout
    assert copy.header == ("Segment", "Time", "Speaker", "Text")
    assert [row.cells for row in copy.rows] == [("R05-0001", "0:00:10", "respondent", transcript("R05").segments[0].text)]
    assert outcome.outputs == (study.catalog.to_code("R05"), study.catalog.suggestions("R05"))


def test_csv_codings_are_normalised_by_id_or_name_any_case(study: Study) -> None:
    outcome = STAGE.run(study, "R01")
    assert (outcome.status, outcome.detail) == ("done", "6 codings on 3 segments from codings/R01.csv")
    assert outcome.counts == {"codings": 6, "segments": 3, "codes": 4}
    assert study.catalog.coded("R01").read_text(encoding="utf-8") == HEADER + (
        "R01,R01-0002,silos,AB,csv,\n"
        "R01,R01-0003,insight,AB,csv,\n"
        "R01,R01-0003,silos,AB,csv,name instead of id\n"
        "R01,R01-0005,justify,AB,csv,\n"
        "R01,R01-0005,technical,AB,csv,\n"
        "R01,R01-0005,technical,CD,csv,second coder\n"
    )


def test_word_comments_code_their_rows_several_codes_each(study: Study) -> None:
    outcome = STAGE.run(study, "R02")
    assert (outcome.status, outcome.detail) == ("done", "3 codings on 2 segments from codings/R02.docx")
    assert study.catalog.coded("R02").read_text(encoding="utf-8") == HEADER + (
        "R02,R02-0002,language,CD,docx,\n" "R02,R02-0003,insight,CD,docx,\n" "R02,R02-0003,technical,CD,docx,\n"
    )


def test_a_comment_spanning_rows_codes_each_row_and_csv_and_docx_combine(study: Study) -> None:
    path = study.catalog.codings("R02", ".docx")
    document = docx.Document(str(path))
    rows = document.tables[0].rows
    runs = [rows[2].cells[3].paragraphs[0].runs[0], rows[3].cells[3].paragraphs[0].runs[0]]
    document.add_comment(runs, text="Justifying choices,\nsilos", author="")
    document.save(str(path))
    write_text(study.catalog.codings("R02", ".csv"), "segment_id,code,coder\nR02-0003,insight,CD\nR02-0001,silos,EF\n")
    assert rerun(study, "R02") == ("done", "8 codings on 3 segments from codings/R02.csv, codings/R02.docx (1 duplicate counted once)")
    assert study.catalog.coded("R02").read_text(encoding="utf-8") == HEADER + (
        "R02,R02-0001,silos,EF,csv,\n"
        "R02,R02-0002,justify,researcher,docx,\n"
        "R02,R02-0002,language,CD,docx,\n"
        "R02,R02-0002,silos,researcher,docx,\n"
        "R02,R02-0003,insight,CD,csv,\n"
        "R02,R02-0003,justify,researcher,docx,\n"
        "R02,R02-0003,silos,researcher,docx,\n"
        "R02,R02-0003,technical,CD,docx,\n"
    )


def test_keyword_suggestions_are_written_and_count_only_when_accepted(study: Study) -> None:
    STAGE.run(study, "R05")
    STAGE.run(study, "R01")
    assert study.catalog.suggestions("R01").read_text(encoding="utf-8") == (
        "segment_id,code,matched,accepted\n"
        "R01-0002,silos,across silos,\n"
        "R01-0003,insight,insight,\n"
        "R01-0005,justify,justify,\n"
        "R01-0005,technical,dashboard,\n"
    )
    write_text(
        study.catalog.codings("R05", ".suggestions.csv"),
        "segment_id,code,matched,accepted\nR05-0001,insight,,yes\nR05-0001,silos,,no\nR05-0001,justify,,\n",
    )
    assert rerun(study, "R05") == ("done", "1 codings on 1 segments from codings/R05.suggestions.csv")
    assert study.catalog.coded("R05").read_text(encoding="utf-8") == HEADER + "R05,R05-0001,insight,keywords,suggestion,\n"


def test_the_study_setting_accepts_every_suggestion(study: Study) -> None:
    write_text(study.root / "config" / "study.yaml", "study: {title: T, language: en}\ncoding: {accept_suggestions: true}\n")
    assert rerun(study, "R03") == ("done", "6 codings on 2 segments from codings/R03.csv, all keyword suggestions")
    text = study.catalog.coded("R03").read_text(encoding="utf-8")
    assert "R03,R03-0003,technical,keywords,suggestion,\n" in text
    assert "yes\n" in study.catalog.suggestions("R03").read_text(encoding="utf-8")


def test_an_empty_codings_table_keeps_the_respondent_waiting(study: Study) -> None:
    write_text(study.catalog.codings("R05", ".csv"), "segment_id,code,coder\n")
    assert rerun(study, "R05") == (
        "waiting",
        "researcher: codings/R05.csv holds no codings yet; add codes (coding copy: out/05_open_coding/to_code/R05.docx)",
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("R01-0002,nonsense,AB", "codings/R01.csv row 2, column code: unknown code 'nonsense'; use a code id or name from config/codebook.yaml"),
        ("R01-0002,org,AB", "codings/R01.csv row 2, column code: 'org' is a category, not a code; use one of its codes"),
        ("R01-0002,,AB", "codings/R01.csv row 2, column code: code is empty; write a code id or name from config/codebook.yaml"),
        ("R01-0099,silos,AB", "codings/R01.csv row 2, column segment_id: segment R01-0099 is not in R01's approved transcript; check the id"),
        ("R02-0002,silos,AB", "codings/R01.csv row 2, column segment_id: segment R02-0002 belongs to respondent R02; code it in codings/R02.csv"),
        ("segment 2,silos,AB", "codings/R01.csv row 2, column segment_id: 'segment 2' is not a segment id; write it as R01-0001"),
        (",silos,AB", "codings/R01.csv row 2, column segment_id: segment id is empty; write it as R01-0001"),
        ("R01-0002,silos,", "codings/R01.csv row 2, column coder: empty; write who coded the segment (initials)"),
    ],
)
def test_bad_csv_rows_name_file_row_and_column(study: Study, row: str, message: str) -> None:
    write_text(study.catalog.codings("R01", ".csv"), f"segment_id,code,coder\n{row}\n")
    assert failure(study, "R01") == message


def test_a_missing_column_is_refused(study: Study) -> None:
    write_text(study.catalog.codings("R01", ".csv"), "segment_id,code\nR01-0002,silos\n")
    assert failure(study, "R01") == "codings/R01.csv: missing column coder; the header row must hold segment_id, code, coder"


@pytest.mark.parametrize(
    ("comments", "message"),
    [
        ({2: "insight", 3: "insight, nonsense"}, "codings/R02.docx comment 2: unknown code 'nonsense'; use a code id or name from config/codebook.yaml"),
        ({3: " ; "}, "codings/R02.docx comment 1: names no code; write code ids or names separated by commas"),
        ({0: "insight"}, ("codings/R02.docx comment 1: not anchored on a segment row of the transcript table; "
         "select the segment's text and add the comment there")),
    ],
)
def test_bad_comments_name_the_comment(study: Study, comments: dict[int, str], message: str) -> None:
    write_comments(study.catalog.codings("R02", ".docx"), transcript("R02"), comments)
    assert failure(study, "R02") == message


def test_a_comment_on_a_segment_of_another_respondent_is_refused(study: Study) -> None:
    write_comments(study.catalog.codings("R02", ".docx"), transcript("R01"), {2: "insight"})
    assert failure(study, "R02") == (
        "codings/R02.docx comment 1: segment R01-0002 belongs to respondent R01; code it in codings/R01.csv"
    )


def test_unreadable_word_files_are_refused(study: Study) -> None:
    path = study.catalog.codings("R02", ".docx")
    path.write_bytes(b"%PDF-1.4 not a word file")
    assert failure(study, "R02") == (
        "codings/R02.docx: is a PDF, not a Word document; ask for the .docx file (or save it from Word as .docx)"
    )
    document = docx.Document()
    document.add_paragraph("no table")
    document.save(str(path))
    assert failure(study, "R02") == (
        "codings/R02.docx: no transcript table found (a table whose first column holds segment ids); "
        "ask for the review document to be returned with its table"
    )


def test_comment_anchors_map_to_rows(tmp_path: Path) -> None:
    path = tmp_path / "R01.docx"
    write_comments(path, transcript("R01"), {2: "a", 5: "b\nc"}, author="AB")
    found = read_comments(path, "R01.docx")
    assert [(c.number, c.segment_ids, c.text, c.author) for c in found] == [
        (1, ("R01-0002",), "a", "AB"),
        (2, ("R01-0005",), "b\nc", "AB"),
    ]


def test_code_names_shared_by_two_codes_must_be_written_as_ids(tmp_path: Path) -> None:
    # the thesis has "integral working" in two categories: a name is then ambiguous, the id is not
    codebook = CODEBOOK_YAML.replace("name: Data gives insight", "name: Working across SILOS")
    study = write_study(tmp_path / "study", codebook)
    assert CodeLookup(study.codebook).resolve(" justifying  CHOICES. ") == "justify"
    assert failure(study, "R01") == (
        "codings/R01.csv row 4, column code: code name 'Working across silos' is used by silos, insight; "
        "write the code id"
    )


def test_keywords_match_stems_and_phrases_at_word_starts_only(study: Study) -> None:
    rows = suggest(transcript("R03"), study.codebook, accepted=False)
    assert [(r["segment_id"], r["code"], r["matched"]) for r in rows] == [
        ("R03-0002", "silos", "integral"),
        ("R03-0003", "justify", "justify"),
        ("R03-0003", "technical", "dashboard"),
    ]
    text = "They disintegrate; INTEGRAAL werken and across\n  silos, again across silos."
    made = Transcript("R09", (Segment("R09-0001", 0, 1, "interviewer", "insight?"), Segment("R09-0002", 1, 2, "unknown", text)))
    assert suggest(made, study.codebook, accepted=True) == [
        {"segment_id": "R09-0002", "code": "silos", "matched": "integraal; across silos", "accepted": "yes"}
    ]


def test_one_respondents_bad_codings_stop_no_one_else(tmp_path: Path, fakes: dict) -> None:  # noqa: F811
    study = write_study(tmp_path / "study")
    write_text(study.catalog.codings("R01", ".csv"), "segment_id,code,coder\nR01-0002,nonsense,AB\n")
    manifests = run_pipeline(study.root)
    assert manifests["open_coding/R01"].status == "failed"
    assert [manifests[f"open_coding/{rid}"].status for rid in ("R02", "R03", "R04", "R05")] == [
        "done", "done", "excluded", "waiting",
    ]
    assert manifests["aggregation"].counts["n"] == 2
