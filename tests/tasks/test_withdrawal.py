"""Withdrawal: consent.csv is updated in place (its own format kept), the respondent's derived data
leaves out/, everyone else's stays byte for byte."""

from __future__ import annotations

import codecs
import shutil
import datetime as dt
from pathlib import Path

import pytest

from tasks.core.errors import InputError
from tasks.protocol import PROTOCOL, respondent_statuses
from tasks.core.study import Study
from tasks.withdrawal import record_withdrawal, withdraw
from tests.helpers import write_study
from tests.tasks.review_fixtures import (
    RECRUITMENT,
    FakeTranscription,
    approved_study,
    file_hashes,
    install_fake_transcription,
    traces,
)

DAY = dt.date(2024, 4, 5)


@pytest.fixture
def fake_transcription(monkeypatch: pytest.MonkeyPatch) -> FakeTranscription:
    return install_fake_transcription(monkeypatch)


def consent_study(tmp_path: Path, content: bytes) -> Study:
    study = write_study(tmp_path / "study", RECRUITMENT)
    (study.root / "consent.csv").write_bytes(content)
    return Study.at(study.root)


def test_the_row_is_updated_and_the_rest_of_the_file_kept_byte_for_byte(tmp_path: Path) -> None:
    lines = [
        "respondent_id;consent_on;recording;transcription;quotes;anonymize;withdrawn_on;opmerking\r\n",
        'R01;15-03-2024;ja;ja;ja;nee;;"belt liever; geen mail"\r\n',
        "R02;16-03-2024;ja;ja;ja;nee;;\r\n",
        "R03;17-03-2024;ja;ja;nee;nee;;\r\n",
    ]
    study = consent_study(tmp_path, codecs.BOM_UTF8 + "".join(lines).encode("utf-8"))
    recorded = record_withdrawal(study, "R02", DAY)
    assert (recorded.row, recorded.withdrawn_on, recorded.already) == (3, DAY, False)
    expected = lines[:2] + ["R02;16-03-2024;ja;ja;ja;nee;2024-04-05;\r\n"] + lines[3:]
    assert (study.root / "consent.csv").read_bytes() == codecs.BOM_UTF8 + "".join(expected).encode("utf-8")


def test_a_reason_gets_its_own_column_and_a_missing_row_is_added(tmp_path: Path) -> None:
    study = consent_study(
        tmp_path,
        b"respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on\n"
        b"R01,2024-03-15,yes,yes,yes,no,\n\n",
    )
    recorded = record_withdrawal(study, "R03", DAY, reason="  moved abroad,\n no time ")
    assert (recorded.row, recorded.already) == (3, False)
    assert (study.root / "consent.csv").read_text() == (
        "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on,withdrawal_reason\n"
        "R01,2024-03-15,yes,yes,yes,no,\n"
        'R03,,,,,,2024-04-05,"moved abroad, no time"\n'
    )


def test_an_earlier_withdrawal_keeps_its_date(tmp_path: Path) -> None:
    study = consent_study(
        tmp_path,
        b"respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on\n"
        b"R01,2024-03-15,yes,yes,yes,no,01-04-2024\n",
    )
    before = (study.root / "consent.csv").read_bytes()
    recorded = record_withdrawal(study, "R01", DAY)
    assert (recorded.row, recorded.withdrawn_on, recorded.already) == (2, dt.date(2024, 4, 1), True)
    assert (study.root / "consent.csv").read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"respondent_id,consent_on,recording\nR01,2024-03-15,yes\n",
            "consent.csv: missing column withdrawn_on; add it to the header row and try again",
        ),
        (
            b"respondent_id,withdrawn_on\nR01,\nR01,\n",
            "consent.csv row 3, column respondent_id: R01 appears twice; keep one row",
        ),
        (
            "respondent_id,withdrawn_on\nR01,caf\u00e9\n".encode("cp1252"),
            "consent.csv: not UTF-8 text; save it from Excel as 'CSV UTF-8' and try again",
        ),
    ],
)
def test_consent_files_that_cannot_be_updated(tmp_path: Path, content: bytes, message: str) -> None:
    study = consent_study(tmp_path, content)
    with pytest.raises(InputError) as caught:
        record_withdrawal(study, "R01", DAY)
    assert caught.value.message == message
    assert (study.root / "consent.csv").read_bytes() == content


@pytest.fixture
def reviewed(tmp_path: Path, fake_transcription: FakeTranscription, monkeypatch: pytest.MonkeyPatch) -> Study:
    return approved_study(tmp_path / "study", monkeypatch)


def test_withdrawal_removes_every_trace_and_nothing_else(reviewed: Study) -> None:
    others = {rid: file_hashes(reviewed, rid) for rid in ("R02", "R03")}
    assert "out/05_open_coding/to_code/R02.docx" in others["R02"] and "out/.state/open_coding/R02.json" in others["R02"]
    assert len(traces(reviewed, "R01")) > 10
    result = withdraw(reviewed, "R01", DAY, reason="personal reasons")
    assert traces(reviewed, "R01") == ["out/.state/consent/R01.json", "out/.state/recruitment/R01.json"]
    assert {rid: file_hashes(reviewed, rid) for rid in ("R02", "R03")} == others
    assert {str(p.relative_to(reviewed.root)) for p in result.removed} >= {
        "out/03_transcription/R01.json",
        "out/04_review/approved/R01.json",
        "out/04_review/outbox/R01.docx",
        "out/04_review/sent/R01.json",
        "out/04_review/R01.changes.csv",
        "out/.state/review/R01.json",
        "out/results/quotes.csv",
        "out/results/report.docx",
        "out/results/frequencies.png",
        "out/.state/aggregation/_study.json",
        "out/06_axial/codes.csv",
        "out/.state/axial_coding/_study.json",
        "out/05_open_coding/to_code/R01.docx",
        "out/.state/open_coding/R01.json",
    }
    assert (reviewed.root / "out/results/code_frequencies.csv").is_file() is False  # the manifest included R01
    assert (reviewed.root / "out/logs/pipeline.log").read_text() == (
        "2024-04-01 INFO run started\n2024-04-01 ERROR unexpected error in review of R02\n"
    )
    statuses = respondent_statuses(Study.at(reviewed.root), "R01")
    assert [(s.stage, s.status, s.detail) for s in statuses][1:4] == [
        ("consent", "excluded", "withdrawn on 2024-04-05"),
        ("transcription", "excluded", "withdrawn on 2024-04-05"),
        ("review", "excluded", "withdrawn on 2024-04-05"),
    ]
    assert "personal reasons" not in "".join(
        p.read_text(errors="ignore") for p in (reviewed.root / "out").rglob("*") if p.is_file()
    )
    assert (reviewed.root / "audio" / "R01.wav").is_file() and not result.recording_deleted


def test_a_withdrawal_written_by_hand_removes_the_same_files_at_the_next_run(reviewed: Study, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(reviewed.root, twin)
    by_command = withdraw(reviewed, "R01", DAY)
    consent = twin / "consent.csv"
    consent.write_text(consent.read_text().replace("R01,2024-03-15,yes,yes,yes,no,", f"R01,2024-03-15,yes,yes,yes,no,{DAY}"))
    for stage in PROTOCOL.respondent_names:
        PROTOCOL.execute_respondent(Study.at(twin), stage, "R01")
    for report in PROTOCOL.reports:
        PROTOCOL.execute_report(Study.at(twin), report)
    assert traces(Study.at(twin), "R01") == traces(reviewed, "R01") == [
        "out/.state/consent/R01.json", "out/.state/recruitment/R01.json"
    ]
    left = {str(p.relative_to(twin)) for p in (twin / "out").rglob("*") if p.is_file()}
    assert left == {str(p.relative_to(reviewed.root)) for p in (reviewed.root / "out").rglob("*") if p.is_file()}
    assert by_command.removed


def test_a_withdrawal_killed_part_way_is_completed_by_the_next_run(reviewed: Study) -> None:
    record_withdrawal(reviewed, "R01", DAY)  # killed here: consent.csv written, nothing removed yet
    assert len(traces(reviewed, "R01")) > 10
    consent = respondent_statuses(Study.at(reviewed.root), "R01")[1]
    assert (consent.status, consent.detail) == ("pending", "inputs changed since the last run")
    PROTOCOL.execute_respondent(Study.at(reviewed.root), "consent", "R01")
    assert traces(reviewed, "R01") == ["out/.state/consent/R01.json", "out/.state/recruitment/R01.json"]


def test_the_recording_goes_when_asked(reviewed: Study) -> None:
    result = withdraw(reviewed, "R01", DAY, delete_recording=True)
    assert result.recording_deleted and not (reviewed.root / "audio" / "R01.wav").exists()


def test_declined_spares_recruitment_and_consent_outputs(reviewed: Study) -> None:
    (reviewed.root / "out/02_consent").mkdir(parents=True, exist_ok=True)
    (reviewed.root / "out/02_consent/consent.csv").write_text("respondent_id,state\nR01,consented\n")
    removed = PROTOCOL.forget(reviewed, "R01", "transcription")
    assert (reviewed.root / "out/02_consent/consent.csv").is_file()
    assert (reviewed.root / "out/.state/consent/R01.json").is_file()
    assert reviewed.root / "out/.state/transcription/R01.json" in removed


@pytest.mark.parametrize(
    ("rid", "day", "message"),
    [
        ("R99", DAY, "recruitment.csv: R99 is not a respondent in the recruitment log; check the id"),
        ("R01", dt.date(2024, 3, 1), "consent.csv: R01 consented on 2024-03-15; a withdrawal on 2024-03-01 cannot be earlier; check the date"),
    ],
)
def test_withdrawals_that_are_refused(reviewed: Study, rid: str, day: dt.date, message: str) -> None:
    before = (reviewed.root / "consent.csv").read_bytes()
    with pytest.raises(InputError) as caught:
        withdraw(reviewed, rid, day)
    assert caught.value.message == message
    assert (reviewed.root / "consent.csv").read_bytes() == before
