"""Pseudonymisation beyond the study's lists: deduce finds other names; the key file reverses them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.core.study import Study
from tasks.pseudonymise import pseudonymise
from tasks.pseudonymise_names import KEY_FILE, list_counters
from tests.tasks.coded_study import write_approved, write_coded_study

LINES = [
    ("interviewer", "Dag Piet, hoe gaat het?"),
    ("respondent", "Ik werk veel samen met Henk uit Enschede."),
    ("respondent", "Henk zegt dat Piet Pieters gelijk heeft."),
]


def dutch_study(root: Path, detect: bool) -> Study:
    study = write_coded_study(root)
    config = study.root / "config" / "study.yaml"
    text = config.read_text(encoding="utf-8").replace("language: en", "language: nl")
    text = text.replace("anonymize_all: false", f"anonymize_all: false\n  detect_names: {str(detect).lower()}")
    config.write_text(text, encoding="utf-8")
    write_approved(study.root, "R02", LINES)
    return Study.at(study.root)


def test_list_counters() -> None:
    assert list_counters(["[PERSOON-1]", "[PERSOON-3]", "[ORGANISATIE-2]", "x"]) == {"PERSOON": 3, "ORGANISATIE": 2}


def test_lists_only_and_the_key_file(tmp_path: Path) -> None:
    study = dutch_study(tmp_path / "study", detect=False)
    assert pseudonymise(study, "R02", "Dag Piet, gemeente Bb belt.") == "Dag [PERSOON-1], [ORGANISATIE-1] belt."
    key = (study.root / KEY_FILE).read_text(encoding="utf-8").splitlines()
    assert key[0] == "respondent_id,placeholder,original,found_by"
    assert "R02,[PERSOON-1],Piet Pieters,list" in key
    assert "R02,[ORGANISATIE-1],Gemeente Bb,list" in key
    assert not (study.out / KEY_FILE).exists()


@pytest.mark.slow
def test_deduce_finds_what_the_lists_miss(tmp_path: Path) -> None:
    study = dutch_study(tmp_path / "study", detect=True)
    # four people in the list (own first), so deduce's first person is [PERSOON-5]
    assert pseudonymise(study, "R02", LINES[2][1]) == "[PERSOON-5] zegt dat [PERSOON-1] gelijk heeft."
    assert pseudonymise(study, "R02", LINES[1][1]) == "Ik werk veel samen met [PERSOON-5] uit [GEMEENTE-1]."
    key = (study.root / KEY_FILE).read_text(encoding="utf-8").splitlines()
    assert "R02,[PERSOON-5],Henk,deduce" in key
    assert "R02,[GEMEENTE-1],Enschede,deduce" in key
