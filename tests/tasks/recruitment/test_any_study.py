"""A study that is not the thesis: made by `init` in English, with its own attributes (sector
listed, team_size free text) and the default channels; recruitment and consent run through the engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tasks import consent, recruitment
from tasks.core.catalog.recruitment import read_log
from tasks.core.errors import InputError
from tasks.core.scaffold import create_study
from tasks.core.study import Study
from tasks.protocol import PROTOCOL

HEADER = "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,sector,team_size,name,email,organisation"
ROWS = [
    "P01,email,2024-05-02,yes,2024-05-20,online,public,12,Alice Example,alice@example.invalid,City Council A",
    "P02,snowball,2024-05-06,yes,2024-05-22,in_person,ngo,,Bob Example,bob@example.invalid,Charity B",
    "P03,email,2024-05-02,yes,,,private,40,Carol Example,carol@example.invalid,Firm C",
    "P04,email,2024-05-03,no,,,,,Dan Example,dan@example.invalid,Firm D",
    "P05,Snowball,2024-05-08,yes,2024-05-28,phone,Public,7,Erin Example,erin@example.invalid,Agency E",
]
CONSENT = [
    "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on",
    "P01,2024-05-20,yes,yes,yes,no,",
    "P02,2024-05-22,yes,yes,no,no,",
    "P05,2024-05-28,yes,yes,yes,yes,",
]


def uncommented(text: str, first: str) -> str:
    """The template with the commented example block that starts at the line `first` made active."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i in range(start, len(lines)) if not lines[i].lstrip().startswith("#"))
    lines[start:end] = [re.sub(r"^(\s*)# ?", r"\1", line) for line in lines[start:end]]
    return "\n".join(lines)


def english_study(root: Path, rows: list[str]) -> Study:
    """`init --language en`, its attribute and sampling examples switched on, the given rows."""
    create_study(root, "en")
    config = root / "config" / "study.yaml"
    text = config.read_text(encoding="utf-8")
    for first in ("# attributes:", "# sampling:"):
        text = uncommented(text, first)
    config.write_text(text, encoding="utf-8")
    (root / "recruitment.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (root / "consent.csv").write_text("\n".join(CONSENT) + "\n", encoding="utf-8")
    return Study.at(root)


def test_an_english_study_runs_recruitment_and_consent(tmp_path: Path) -> None:
    study = english_study(tmp_path / "s", ROWS)
    stages = (recruitment.STAGE.name, consent.STAGE.name)
    results = {
        rid: [PROTOCOL.execute_respondent(study, name, rid) for name in stages] for rid in ("P01", "P02", "P03", "P05")
    }
    assert {rid: [(m.status, m.detail) for m in manifests][0] for rid, manifests in results.items()} == {
        "P01": ("done", "interviewed 2024-05-20 (online)"),
        "P02": ("done", "interviewed 2024-05-22 (in_person)"),
        "P03": ("done", "responded; interview not held yet"),
        "P05": ("done", "interviewed 2024-05-28 (phone)"),
    }
    assert [results[rid][1].status for rid in ("P01", "P02", "P05")] == ["done", "done", "done"]
    assert read_log(study).recruits["P05"].attributes == {"sector": "public", "team_size": "7"}
    for report in PROTOCOL.reports:
        assert PROTOCOL.execute_report(study, report).status == "done"
    out = study.catalog.stage_dir("recruitment")
    assert (out / "sampling_report.csv").read_text(encoding="utf-8") == (
        "attribute,value,planned,achieved,difference\n"
        "sector,public,4,2,-2\n"
        "sector,private,4,0,-4\n"
        "sector,ngo,4,1,-3\n"
        "team_size,7,,1,\n"
        "team_size,12,,1,\n"
        "interview_mode,online,8,1,-7\n"
        "interview_mode,in_person,4,1,-3\n"
        "interview_mode,phone,,1,\n"
    )
    assert (out / "channels.csv").read_text(encoding="utf-8") == (
        "channel,contacted,responded,interviewed,response_rate\n"
        "email,3,2,1,0.667\n"
        "snowball,2,2,2,1.0\n"
    )
    assert (out / "recruitment_log.csv").read_text(encoding="utf-8").splitlines()[:2] == [
        "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,sector,team_size,interviewed",
        "P01,email,2024-05-02,yes,2024-05-20,online,public,12,True",
    ]
    for path in out.iterdir():
        assert "Example" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "P09,email,2024-05-02,yes,,,charity,3,X,x,y",
            "recruitment.csv row 3, column sector: 'charity' is not one of public | private | ngo",
        ),
        (
            "P09,email,2024-05-02,yes,,,,3,X,x,y",
            "recruitment.csv row 3, column sector: empty; write one of public | private | ngo",
        ),
        (
            "P09,linkedin,2024-05-02,yes,,,ngo,3,X,x,y",
            "recruitment.csv row 3, column channel: 'linkedin' is not one of email | phone | network | social_media | "
            "snowball | other",
        ),
        (
            "P09,email,2024-05-02,yes,2024-05-09,,ngo,3,X,x,y",
            "recruitment.csv row 3, column interview_mode: empty for a held interview; write online, in_person or phone",
        ),
    ],
)
def test_rows_are_checked_against_the_declaration(tmp_path: Path, row: str, message: str) -> None:
    log = read_log(english_study(tmp_path / "s", [ROWS[0], row]))
    assert (list(log.recruits), list(log.errors.values())) == (["P01"], [message])


def test_a_missing_attribute_column_is_named(tmp_path: Path) -> None:
    study = english_study(tmp_path / "s", [])
    (study.root / "recruitment.csv").write_text(HEADER.replace(",team_size", "") + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_log(Study.at(study.root))
    assert caught.value.message == (
        "recruitment.csv: missing column team_size; the header row must hold respondent_id, channel, contacted_on, "
        "responded, interview_date, interview_mode, sector, team_size"
    )
