"""Recruitment stage: reading what Dutch Excel writes, validation messages, sampling report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tasks.core.errors import InputError
from tasks.protocol import execute_report, execute_respondent
from tasks.core.study import Study
from tasks.core.catalog.recruitment import read_log
from tasks.recruitment import REPORT
from tests.helpers import RECRUITMENT_HEADER, write_study

GOOD = "R01,linkedin,2024-03-01,yes,2024-03-15,online,large,allround,Jan Jansen,jan@voorbeeld.invalid,Gemeente A"


def study_with(tmp_path: Path, *rows: str) -> Study:
    return write_study(tmp_path / "s", list(rows))


def row_error(tmp_path: Path, row: str) -> str:
    study = study_with(tmp_path, GOOD, row)
    log = read_log(study)
    problems = list(log.errors.values()) + log.row_errors
    assert len(problems) == 1, problems
    assert "R01" in log.recruits  # the other respondent goes on
    return problems[0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "R02,linkedin,2024-03-01,yes,2024-03-15,onlin,large,wmo,X,x,y",
            "recruitment.csv row 3, column interview_mode: 'onlin' is not one of online | in_person",
        ),
        (
            "R02,linkedin,32-03-2024,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column contacted_on: '32-03-2024' is not a date; write it as 2024-01-31",
        ),
        (
            "R02,fax,2024-03-01,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column channel: 'fax' is not one of linkedin | network | municipality_email | other",
        ),
        (
            "R02,linkedin,2024-03-01,maybe,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column responded: 'maybe' is not yes or no; write yes or no",
        ),
        (
            "R02,linkedin,2024-03-01,yes,,,huge,wmo,X,x,y",
            "recruitment.csv row 3, column municipality_size: 'huge' is not one of small | medium | large",
        ),
        (
            "R02,linkedin,2024-03-10,yes,2024-03-01,online,large,wmo,X,x,y",
            "recruitment.csv row 3, column interview_date: before contacted_on; check both dates",
        ),
        (
            "R02,linkedin,2024-03-01,yes,2024-03-15,,large,wmo,X,x,y",
            "recruitment.csv row 3, column interview_mode: empty for a held interview; write online or in_person",
        ),
        (
            "R02,linkedin,2024-03-01,yes,,,large,,X,x,y",
            "recruitment.csv row 3, column role: empty; write the respondent's role",
        ),
        (
            "../x,linkedin,2024-03-01,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column respondent_id: '../x' is not a respondent id; use letters, digits, "
            "'-' or '_' (start with a letter or digit, at most 32 characters)",
        ),
        (
            "R01/..,linkedin,2024-03-01,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column respondent_id: 'R01/..' is not a respondent id; use letters, digits, "
            "'-' or '_' (start with a letter or digit, at most 32 characters)",
        ),
        (
            ",linkedin,2024-03-01,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column respondent_id: the respondent id is empty; use letters, digits, "
            "'-' or '_' (start with a letter or digit, at most 32 characters)",
        ),
        (
            f"{'R' * 40},linkedin,2024-03-01,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column respondent_id: the respondent id is 40 characters long (at most 32); use "
            "letters, digits, '-' or '_' (start with a letter or digit, at most 32 characters)",
        ),
        (
            "Jan de Vries,linkedin,2024-03-01,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column respondent_id: the value is not a respondent id; use letters, digits, "
            "'-' or '_' (start with a letter or digit, at most 32 characters)",
        ),
        (
            "R01,linkedin,2024-03-01,yes,,,large,wmo,X,x,y",
            "recruitment.csv row 3, column respondent_id: R01 appears twice; keep one row per respondent",
        ),
        (
            "R02,linkedin,2024-03-01,yes,,,large,wmo,X,x,y,extra,more",
            "recruitment.csv row 3: 13 values for 11 columns; check for an unquoted delimiter inside a value",
        ),
    ],
)
def test_row_errors_name_file_row_and_column(tmp_path: Path, row: str, message: str) -> None:
    assert row_error(tmp_path, row) == message


def test_a_name_in_the_id_column_is_not_echoed(tmp_path: Path) -> None:
    message = row_error(tmp_path, "Jan de Vries,linkedin,2024-03-01,yes,,,large,wmo,X,x,y")
    assert "Jan" not in message


def test_semicolons_bom_and_dutch_dates_are_accepted(tmp_path: Path) -> None:
    study = study_with(tmp_path, GOOD)
    text = "\ufeff" + RECRUITMENT_HEADER.replace(",", ";") + "\n"
    text += "R01;LinkedIn;01-03-2024;Ja;15/03/2024;Online;Large;allround;Jan Jansen;jan@voorbeeld.invalid;Gemeente A\n"
    (study.root / "recruitment.csv").write_text(text, encoding="utf-8")
    record = read_log(Study.at(study.root)).recruits["R01"]
    assert (record.channel, record.contacted_on.isoformat(), record.interview_date.isoformat()) == (
        "linkedin",
        "2024-03-01",
        "2024-03-15",
    )
    assert (record.responded, record.interview_mode, record.attributes) == (
        True,
        "online",
        {"municipality_size": "large", "role": "allround"},
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            (RECRUITMENT_HEADER + "\nR01,linkedin,2024-03-01,yes,,,large,wethouder,Jos\xe9,x,y\n").encode("cp1252"),
            "recruitment.csv row 2: not UTF-8 text, probably Windows-1252 (Excel 'CSV (gescheiden door "
            "lijstscheidingsteken)'); save it from Excel as 'CSV UTF-8 (door komma's gescheiden)'",
        ),
        (
            (RECRUITMENT_HEADER + "\n").encode("utf-16"),
            "recruitment.csv: the file is UTF-16 (Excel 'Unicode text'); save it as 'CSV UTF-8' instead",
        ),
        (b"", "recruitment.csv: the file is empty; it needs at least the header row"),
        (
            b"respondent_id,channel\nR01,linkedin\n",
            "recruitment.csv: missing columns contacted_on, responded, interview_date, interview_mode, "
            "municipality_size, role; the header row must hold respondent_id, channel, contacted_on, responded, "
            "interview_date, interview_mode, municipality_size, role",
        ),
        (
            (RECRUITMENT_HEADER + ',role\nR01,linkedin,2024-03-01,yes,,,large,wmo,X,x,y,z\n').encode(),
            "recruitment.csv: column role appears twice in the header; keep one",
        ),
    ],
)
def test_file_level_errors(tmp_path: Path, data: bytes, message: str) -> None:
    study = study_with(tmp_path, GOOD)
    (study.root / "recruitment.csv").write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_log(Study.at(study.root))
    assert caught.value.message == message


def test_missing_file(tmp_path: Path) -> None:
    study = study_with(tmp_path, GOOD)
    (study.root / "recruitment.csv").unlink()
    with pytest.raises(InputError) as caught:
        read_log(Study.at(study.root))
    assert caught.value.message.startswith("recruitment.csv: file not found; create it with the columns respondent_id")


def test_xlsx_is_read_when_there_is_no_csv(tmp_path: Path) -> None:
    study = study_with(tmp_path, GOOD)
    (study.root / "recruitment.csv").unlink()
    frame = pd.DataFrame(
        [["R07", "network", pd.Timestamp("2024-02-01"), "yes", pd.Timestamp("2024-02-10"), "online", "small", "wmo"]],
        columns=RECRUITMENT_HEADER.split(",")[:8],
    )
    frame.to_excel(study.root / "recruitment.xlsx", index=False)
    log = read_log(Study.at(study.root))
    assert list(log.recruits) == ["R07"]
    assert log.recruits["R07"].interview_date.isoformat() == "2024-02-10"


def test_corrupt_xlsx(tmp_path: Path) -> None:
    study = study_with(tmp_path, GOOD)
    (study.root / "recruitment.csv").unlink()
    (study.root / "recruitment.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError) as caught:
        read_log(Study.at(study.root))
    assert caught.value.message == "recruitment.xlsx: not a readable .xlsx workbook; save it again from Excel"


def test_stage_marks_one_respondent_failed_and_others_done(small_study: Study) -> None:
    path = small_study.catalog.recruitment_file
    path.write_text(path.read_text().replace("R02,municipality_email", "R02,pigeon"), encoding="utf-8")
    study = Study.at(small_study.root)
    results = {rid: execute_respondent(study, "recruitment", rid) for rid in ("R01", "R02", "R03")}
    assert {rid: m.status for rid, m in results.items()} == {"R01": "done", "R02": "failed", "R03": "done"}
    assert results["R02"].detail == (
        "recruitment.csv row 3, column channel: 'pigeon' is not one of linkedin | network | municipality_email | other"
    )
    assert results["R01"].detail == "interviewed 2024-03-15 (online)"
    assert results["R03"].detail == "responded; interview not held yet"


TARGETS = """
sampling:
  targets:
    municipality_size: {small: 4, medium: 4, large: 4}
    interview_mode: {online: 8, in_person: 4}
"""


def test_report_tables_and_no_personal_columns(small_study: Study) -> None:
    config = small_study.root / "config" / "study.yaml"
    config.write_text(config.read_text(encoding="utf-8") + TARGETS, encoding="utf-8")
    study = Study.at(small_study.root)
    manifest = execute_report(study, REPORT)
    assert manifest.status == "done"
    out = study.catalog.stage_dir("recruitment")
    log = pd.read_csv(out / "recruitment_log.csv", dtype=str, keep_default_na=False)
    # R02 refused transcription: left out of every output, like a withdrawal
    assert list(log["respondent_id"]) == ["R01", "R03", "C01"]
    assert list(log.columns) == [
        "respondent_id", "channel", "contacted_on", "responded", "interview_date", "interview_mode",
        "municipality_size", "role", "interviewed",
    ]
    assert log.values.tolist()[2] == ["C01", "network", "2024-03-04", "no", "", "", "large", "", "False"]
    sampling = pd.read_csv(out / "sampling_report.csv", dtype=str, keep_default_na=False)
    assert sampling.values.tolist() == [
        ["municipality_size", "small", "4", "0", "-4"],
        ["municipality_size", "medium", "4", "0", "-4"],
        ["municipality_size", "large", "4", "1", "-3"],
        ["role", "allround", "", "1", ""],
        ["interview_mode", "online", "8", "1", "-7"],
        ["interview_mode", "in_person", "4", "0", "-4"],
    ]
    channels = pd.read_csv(out / "channels.csv", dtype=str)
    assert channels.values.tolist() == [["linkedin", "1", "1", "1", "1.0"], ["network", "2", "1", "0", "0.5"]]
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "Jansen" not in text and "voorbeeld.invalid" not in text and "Gemeente" not in text


def test_report_is_reused_when_nothing_changed(small_study: Study) -> None:
    first = execute_report(small_study, REPORT)
    again = execute_report(Study.at(small_study.root), REPORT)
    assert (first.reused, again.reused) == (False, True)
    assert again.fingerprint == first.fingerprint
