"""Selective coding: the core category (proposed or configured), the order around it, the storyline.

Category links in the hand-made study (shared segments / respondents): org–work 2/3, org–skills
0/2, work–skills 2/2; codebook relations: work–org 2, work–skills 1. So work is the most
connected category (4 shared segments), then org (2 segments, 3 respondents) before skills.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tasks.core.files import write_text
from tasks.core.stage import Cohort
from tasks.core.study import Study
from tasks.selective_coding.stage import STAGE
from tests.tasks.coding_fixtures import CODEBOOK_YAML, coded_study


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return coded_study(tmp_path_factory)


def test_the_most_connected_category_is_proposed_with_evidence(root: Path) -> None:
    folder = root / "out" / "07_selective"
    assert json.loads((folder / "core.json").read_text(encoding="utf-8")) == {
        "core_category": "work",
        "source": "proposed",
        "evidence": "proposed as the most connected category: 4 segments shared with 2 other categories, "
        "3 codebook relations",
        "order": ["work", "org", "skills"],
    }
    assert (folder / "categories.csv").read_text(encoding="utf-8") == (
        "rank,category,name,core,segments_with_core,respondents_with_core,relations_with_core,"
        "segments_linked,respondents_linked,relations\n"
        "1,work,Change in work,yes,0,0,0,4,5,3\n"
        "2,org,Change in the organisation,,2,3,2,2,5,2\n"
        "3,skills,Competences,,2,2,1,2,4,1\n"
    )


def test_the_storyline_has_the_strongest_quotes_per_link_and_only_consented_ones(root: Path) -> None:
    story = (root / "out" / "07_selective" / "storyline.md").read_text(encoding="utf-8")
    assert story == (
        "# Storyline skeleton: Data-driven steering\n\n"
        "Core category: **Change in work** (`work`): proposed as the most connected category: "
        "4 segments shared with 2 other categories, 3 codebook relations.\n\n"
        "n = 3 respondents.\n\n"
        "## Change in work (core)\n\n"
        '> Respondent 1: "Data gives insight into problems in the neighbourhood, that was the hope for all of us."\n'
        '> Respondent 2: "The data gives insight, but we must interpret it with care and context."\n'
        '> Respondent 1: "Now I read a dashboard every week and I justify choices with the figures we have."\n\n'
        "_Write here what the core category is about._\n\n"
        "## 1. Change in work and Change in the organisation\n\n"
        "Connection: 2 shared segments, 3 respondents with both; codebook relations: 2.\n\n"
        '> Respondent 1: "Data gives insight into problems in the neighbourhood, that was the hope for all of us."\n\n'
        "_Write here how this category relates to the core category._\n\n"
        "## 2. Change in work and Competences\n\n"
        "Connection: 2 shared segments, 2 respondents with both; codebook relations: 1.\n\n"
        '> Respondent 1: "Now I read a dashboard every week and I justify choices with the figures we have."\n'
        '> Respondent 2: "The data gives insight, but we must interpret it with care and context."\n\n'
        "_Write here how this category relates to the core category._\n"
    )
    assert "R03" not in story and "silos of the social domain" not in story  # R03: no consent for quotes


def test_a_configured_core_category_wins_and_the_data_is_shown_beside_it(root: Path) -> None:
    write_text(root / "config" / "codebook.yaml", CODEBOOK_YAML + "core_category: skills\n")
    try:
        outcome = STAGE.run(Study.at(root), Cohort(["R01", "R02", "R03"]))
        core = json.loads((root / "out" / "07_selective" / "core.json").read_text(encoding="utf-8"))
    finally:
        write_text(root / "config" / "codebook.yaml", CODEBOOK_YAML)
        STAGE.run(Study.at(root), Cohort(["R01", "R02", "R03"]))
    assert (outcome.status, outcome.detail) == ("done", "core category skills (codebook)")
    assert outcome.meta == {"core_category": "skills", "core_source": "codebook"}
    assert core == {
        "core_category": "skills",
        "source": "codebook",
        "evidence": "set as core_category in config/codebook.yaml; by the data the most connected category is "
        "work (4 segments shared with 2 other categories, 3 codebook relations)",
        "order": ["skills", "work", "org"],
    }


def test_changing_consent_for_quotes_changes_the_fingerprint(root: Path) -> None:
    study = Study.at(root)
    before = STAGE.inputs(study, Cohort(["R01", "R02", "R03"]))
    consent = (root / "consent.csv").read_text(encoding="utf-8")
    write_text(root / "consent.csv", consent.replace("R02,2024-01-12,yes,yes,yes,no,", "R02,2024-01-12,yes,yes,no,no,"))
    try:
        after = STAGE.inputs(Study.at(root), Cohort(["R01", "R02", "R03"]))
    finally:
        write_text(root / "consent.csv", consent)
    assert before["quotes"]["quotes"] == ["R01", "R02"]
    assert after["quotes"]["quotes"] == ["R01"]
