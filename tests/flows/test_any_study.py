"""Acceptance (issue #12): a study that is not the thesis goes from recruitment to the results.

An English study made by `interview-study init --language en`, with its own attributes (sector
[public, private, ngo] and team_size as free text), its own channels (email, snowball) and a
sampling target on sector; three respondents with a real 8 s English clip each (real Whisper),
approved transcripts and CSV codings; every stage runs without Prefect (`run_plain`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.helpers import own_copy, DATA, run_plain
from tests.tasks.recruitment.test_any_study import uncommented

pytestmark = pytest.mark.slow

RECRUITMENT = """\
respondent_id,channel,contacted_on,responded,interview_date,interview_mode,sector,team_size,name,email,organisation
P01,email,2024-05-02,yes,2024-05-20,online,public,12,Alice Example,alice@example.invalid,City Council A
P02,snowball,2024-05-06,yes,2024-05-22,in_person,ngo,7,Bob Example,bob@example.invalid,Charity B
P03,email,2024-05-02,yes,2024-05-23,online,public,,Carol Example,carol@example.invalid,City Council C
P04,email,2024-05-03,no,,,,,Dan Example,dan@example.invalid,Firm D
"""
CONSENT = """\
respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on
P01,2024-05-20,yes,yes,yes,no,
P02,2024-05-22,yes,yes,yes,no,
P03,2024-05-23,yes,yes,yes,no,
"""
CODEBOOK = """\
categories:
  - id: work
    name: Daily work
    codes:
      - {id: meetings, name: Meetings, definition: The respondent talks about meetings.}
      - {id: reporting, name: Reporting, definition: The respondent talks about reports.}
"""
CODINGS = {"P01": ["meetings"], "P02": ["meetings", "reporting"], "P03": ["reporting"]}


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("any") / "study"
    result = CliRunner().invoke(app, ["init", str(root), "--language", "en"])
    assert result.exit_code == 0, result.output
    config = root / "config" / "study.yaml"
    text = uncommented(config.read_text(encoding="utf-8"), "# attributes:")
    text = text.replace("\nrecruitment:\n", "\nrecruitment:\n  channels: [email, snowball]\n", 1)
    text = text.replace("  beam_size: 5\n", "  beam_size: 1\n", 1)  # greedy: seconds per clip
    text += "sampling:\n  targets:\n    sector: {public: 3, private: 2, ngo: 1}\n"
    config.write_text(text, encoding="utf-8")
    (root / "config" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "recruitment.csv").write_text(RECRUITMENT, encoding="utf-8")
    (root / "consent.csv").write_text(CONSENT, encoding="utf-8")
    reviews = "".join(f"{rid},approved,2024-06-01,\n" for rid in CODINGS)
    (root / "reviews.csv").write_text("respondent_id,decision,decided_on,note\n" + reviews, encoding="utf-8")
    for rid, codes in CODINGS.items():
        own_copy(DATA / "audio" / "en.flac", root / "audio" / f"{rid}.flac", rid)
        rows = "".join(f"{rid}-0001,{code},AB\n" for code in codes)
        (root / "codings" / f"{rid}.csv").write_text("segment_id,code,coder\n" + rows, encoding="utf-8")
    run_plain(root)
    return root


def test_the_sampling_report_sets_the_sector_target_against_the_interviews(study: Path) -> None:
    assert (study / "out" / "01_recruitment" / "sampling_report.csv").read_text(encoding="utf-8") == (
        "attribute,value,planned,achieved,difference\n"
        "sector,public,3,2,-1\n"
        "sector,private,2,0,-2\n"
        "sector,ngo,1,1,0\n"
        "team_size,7,,1,\n"
        "team_size,12,,1,\n"
        "interview_mode,online,,2,\n"
        "interview_mode,in_person,,1,\n"
    )
    assert (study / "out" / "01_recruitment" / "channels.csv").read_text(encoding="utf-8") == (
        "channel,contacted,responded,interviewed,response_rate\n"
        "email,3,2,2,0.667\n"
        "snowball,1,1,1,1.0\n"
    )


def test_the_results_break_down_by_the_declared_attributes(study: Path) -> None:
    results = study / "out" / "results"
    assert (results / "code_frequencies.csv").read_text(encoding="utf-8") == (
        "category,category_name,code,code_name,respondents,n,share,segments\n"
        "work,Daily work,meetings,Meetings,2,3,0.667,2\n"
        "work,Daily work,reporting,Reporting,2,3,0.667,2\n"
    )
    # team_size is optional: P03 left it empty and is in no team_size row
    assert (results / "by_attribute.csv").read_text(encoding="utf-8") == (
        "attribute,value,n,category,code,respondents,share\n"
        "sector,public,2,work,meetings,1,0.5\n"
        "sector,public,2,work,reporting,1,0.5\n"
        "sector,ngo,1,work,meetings,1,1.0\n"
        "sector,ngo,1,work,reporting,1,1.0\n"
        "team_size,7,1,work,meetings,1,1.0\n"
        "team_size,7,1,work,reporting,1,1.0\n"
        "team_size,12,1,work,meetings,1,1.0\n"
        "team_size,12,1,work,reporting,0,0.0\n"
        "interview_mode,online,2,work,meetings,1,0.5\n"
        "interview_mode,online,2,work,reporting,1,0.5\n"
        "interview_mode,in_person,1,work,meetings,1,1.0\n"
        "interview_mode,in_person,1,work,reporting,1,1.0\n"
    )
    assert (results / "report.docx").is_file()


def test_no_personal_column_reaches_the_results(study: Path) -> None:
    for folder in ("01_recruitment", "results"):
        for path in (study / "out" / folder).glob("*.csv"):
            text = path.read_text(encoding="utf-8")
            assert "Example" not in text and "example.invalid" not in text and "Council" not in text, path
