"""`interview-study withdraw` and what `status` shows afterwards (JSON contract of DESIGN.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import flows.commands  # noqa: F401 - registers the commands
from flows.cli import app
from tasks.core.study import Study
from tests.tasks.review_fixtures import (
    FakeTranscription,
    approved_study,
    file_hashes,
    install_fake_transcription,
    traces,
)

runner = CliRunner()


@pytest.fixture
def fake_transcription(monkeypatch: pytest.MonkeyPatch) -> FakeTranscription:
    return install_fake_transcription(monkeypatch)


@pytest.fixture
def study(tmp_path: Path, fake_transcription: FakeTranscription, monkeypatch: pytest.MonkeyPatch) -> Study:
    return approved_study(tmp_path / "study", monkeypatch)


def deleting_recordings(study: Study) -> None:
    path = study.root / "config" / "study.yaml"
    path.write_text(path.read_text().replace("delete_recording_on_withdrawal: false", "delete_recording_on_withdrawal: true"))


def invoke(study: Study, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--study", str(study.root)], input=input)
    return result.exit_code, result.output


def test_withdraw_removes_the_respondent_and_status_shows_it(study: Study) -> None:
    others = {rid: file_hashes(study, rid) for rid in ("R02", "R03")}
    deleting_recordings(study)
    code, output = invoke(study, "withdraw", "R01", "--date", "2024-04-05", "--reason", "no time", "--yes")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0].startswith("R01: withdrawn on 2024-04-05 (consent.csv row 2); removed ")
    assert lines[1:] == [
        "the recording audio/R01.wav was deleted",
        "next: run 'interview-study aggregate' so that the results count n without them",
    ]
    assert "no time" not in output
    assert not (study.root / "audio" / "R01.wav").exists()
    assert traces(study, "R01") == ["out/.state/consent/R01.json", "out/.state/recruitment/R01.json"]
    assert {rid: file_hashes(study, rid) for rid in ("R02", "R03")} == others

    code, output = invoke(study, "status", "--stage", "review", "--format", "json")
    assert code == 0, output
    assert [(row["respondent_id"], row["status"], row["detail"]) for row in json.loads(output)] == [
        ("R01", "excluded", "withdrawn on 2024-04-05"),
        ("R02", "done", "approved 2024-04-02"),
        ("R03", "waiting", ("respondent: review sent 2024-03-20 (today); save the returned file as "
         "review/returned/R03.docx and record the decision in reviews.csv")),
    ]
    code, output = invoke(study, "status", "--approved", "--format", "json")
    assert code == 0, output
    assert json.loads(output) == [
        {"respondent_id": "R02", "stage": "review", "status": "done", "detail": "approved 2024-04-02"}
    ]


def test_the_recording_is_kept_unless_confirmed(study: Study) -> None:
    deleting_recordings(study)
    code, output = invoke(study, "withdraw", "R01", "--date", "2024-04-05", input="n\n")
    assert code == 0, output
    assert output.startswith("Delete the recording audio/R01.wav too? This cannot be undone [y/N]: n\n")
    assert "the recording audio/R01.wav was kept" in output
    assert (study.root / "audio" / "R01.wav").is_file()


def test_no_answer_changes_nothing(study: Study) -> None:
    deleting_recordings(study)
    before = (study.root / "consent.csv").read_bytes()
    code, _output = invoke(study, "withdraw", "R01", input="")
    assert code == 1
    assert (study.root / "consent.csv").read_bytes() == before
    assert (study.root / "out/04_review/approved/R01.json").is_file()


def test_without_the_setting_the_recording_stays_and_nobody_is_asked(study: Study) -> None:
    code, output = invoke(study, "withdraw", "R01", "--date", "2024-04-05")
    assert code == 0, output
    assert "Delete" not in output and "the recording audio/R01.wav was kept" in output
    code, output = invoke(study, "withdraw", "R01", "--date", "2024-04-06")
    assert output.splitlines()[0] == "R01: already withdrawn on 2024-04-05 (consent.csv row 2); removed 0 derived files"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["R99"], "error: withdraw: R99 is not a respondent in recruitment.csv; check the id"),
        (["R01", "--date", "5-4-2024"], "error: --date: '5-4-2024' is not a date; write it as 2024-04-05"),
        (["R01", "--date", "2999-01-01"], "error: --date: 2999-01-01 is in the future; give the day the respondent withdrew"),
        (["../etc"], ("error: withdraw: '../etc' is not a respondent id; use letters, digits, '-' or '_' "
         "(start with a letter or digit, at most 32 characters)")),
    ],
)
def test_bad_withdrawals_are_one_line_errors(study: Study, args: list[str], message: str) -> None:
    before = (study.root / "consent.csv").read_bytes()
    code, output = invoke(study, "withdraw", *args)
    assert (code, output.strip()) == (1, message)
    assert (study.root / "consent.csv").read_bytes() == before
