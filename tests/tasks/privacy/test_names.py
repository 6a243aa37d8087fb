"""Pseudonymisation beyond the study's lists: deduce finds other names; the key file reverses them.

Most tests use a stand-in for deduce (a few known words) so that they can count what is loaded and
scanned; one slow test runs the real library.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pandas as pd
import pytest

import tasks.privacy.key as key_module
import tasks.privacy.detect as detect_module
from tasks.core.study import Study
from tasks.privacy.pseudonymise import pseudonymise, pseudonymise_texts
from tasks.privacy.key import save_key
from tasks.privacy.names import KEY_FILE, list_counters
from tasks.analysis.inputs import Permissions
from tasks.privacy.review import save_review
from tasks.analysis.quotes import shown
from tasks.withdrawal import remove_derived
from tests.tasks.coded_study import write_approved, write_coded_study

LINES = [
    ("interviewer", "Dag Piet, hoe gaat het?"),
    ("respondent", "Ik werk veel samen met Henk uit Enschede."),
    ("respondent", "Henk zegt dat Piet Pieters gelijk heeft."),
    ("respondent", "Marie van het datateam ook."),
]
HEADER = "respondent_id,placeholder,original,found_by"
# R02's list placeholders: own values first (Piet Pieters, piet@..., Gemeente Bb), then R01's, R03's, C01's
R02_OWN = [
    "R02,[E-MAIL-1],piet@voorbeeld.invalid,list",
    "R02,[ORGANISATIE-1],Gemeente Bb,list",
    "R02,[PERSOON-1],Piet Pieters,list",
]


def dutch_study(root: Path, detect: bool, language: str = "nl") -> Study:
    study = write_coded_study(root)
    config = study.root / "config" / "study.yaml"
    text = config.read_text(encoding="utf-8").replace("language: en", f"language: {language}")
    text = text.replace("anonymize_all: false", f"anonymize_all: false\n  detect_names: {str(detect).lower()}")
    config.write_text(text, encoding="utf-8")
    write_approved(study.root, "R02", LINES)
    return Study.at(study.root)


class FakeDeduce:
    """Finds a few known words, as deduce would tag them; remembers every text it was given."""

    KNOWN: ClassVar[dict[str, str]] = {"Henk": "persoon", "Enschede": "locatie", "Marie": "persoon"}

    def __init__(self) -> None:
        self.scanned: list[str] = []

    def deidentify(self, text: str) -> SimpleNamespace:
        self.scanned.append(text)
        found = [
            SimpleNamespace(tag=tag, text=word, start_char=m.start(), end_char=m.end())
            for word, tag in self.KNOWN.items()
            for m in re.finditer(rf"\b{word}\b", text)
        ]
        return SimpleNamespace(annotations=found)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """deduce replaced by FakeDeduce; `loads` counts how often the model was loaded."""
    model = FakeDeduce()
    seen: dict[str, object] = {"loads": 0, "model": model}

    def load() -> FakeDeduce:
        seen["loads"] = int(seen["loads"]) + 1  # type: ignore[call-overload]
        return model

    monkeypatch.setattr(detect_module, "_models", {})
    monkeypatch.setattr(detect_module, "_load_deduce", load)
    return seen


def key_lines(study: Study) -> list[str]:
    return (study.root / KEY_FILE).read_text(encoding="utf-8").splitlines()


def test_list_counters() -> None:
    assert list_counters(["[PERSOON-1]", "[PERSOON-3]", "[ORGANISATIE-2]", "x"]) == {"PERSOON": 3, "ORGANISATIE": 2}


def test_lists_only_and_the_key_file(tmp_path: Path) -> None:
    study = dutch_study(tmp_path / "study", detect=False)
    assert pseudonymise(study, "R02", "Dag Piet, gemeente Bb belt.") == "Dag [PERSOON-1], [ORGANISATIE-1] belt."
    assert not (study.root / KEY_FILE).exists()  # written once, when the run is done
    save_key(study)
    assert key_lines(study) == [HEADER, *R02_OWN]
    assert not (study.catalog.out / KEY_FILE).exists()


def test_the_key_holds_own_values_and_what_was_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    study = dutch_study(tmp_path / "study", detect=False)
    writes: list[Path] = []
    real = key_module.write_text
    monkeypatch.setattr(key_module, "write_text", lambda path, text: writes.append(path) or real(path, text))

    texts = ["Jan Jansen belde.", "Niets bijzonders.", "Met Kees van Gemeente Aa."]
    assert pseudonymise_texts(study, "R02", texts) == [
        "[PERSOON-2] belde.", "Niets bijzonders.", "Met [PERSOON-3] van [ORGANISATIE-2].",
    ]
    assert pseudonymise_texts(study, "R01", ["Piet zei het al."]) == ["[PERSOON-2] zei het al."]
    save_key(study)
    save_key(study)  # nothing new: no second write

    assert len(writes) == 1
    assert key_lines(study) == [
        HEADER,
        "R01,[E-MAIL-1],jan@voorbeeld.invalid,list",
        "R01,[ORGANISATIE-1],Gemeente Aa,list",
        "R01,[PERSOON-1],Jan Jansen,list",
        "R01,[PERSOON-2],Piet Pieters,list",
        "R02,[E-MAIL-1],piet@voorbeeld.invalid,list",
        "R02,[ORGANISATIE-1],Gemeente Bb,list",
        "R02,[ORGANISATIE-2],Gemeente Aa,list",
        "R02,[PERSOON-1],Piet Pieters,list",
        "R02,[PERSOON-2],Jan Jansen,list",
        "R02,[PERSOON-3],Kees Klaassen,list",
    ]
    again = Study.at(study.root)  # the next run, same quotes: same file, not rewritten
    pseudonymise_texts(again, "R02", texts)
    save_key(again)
    assert len(writes) == 1


def test_earlier_rows_stay_unless_contradicted_and_withdrawal_removes_them(tmp_path: Path) -> None:
    study = dutch_study(tmp_path / "study", detect=False)
    (study.root / KEY_FILE).write_text(
        f"{HEADER}\nR01,[PERSOON-1],Jan Jansen,list\nR02,[PERSOON-2],Piet Pieters,list\n"
        "R02,[PERSOON-7],Henk,deduce\n",
        encoding="utf-8",
    )
    pseudonymise_texts(study, "R02", ["Geen namen."])
    save_key(study)
    # this run says Piet Pieters is R02's [PERSOON-1]: the row that said [PERSOON-2] goes; the rows it
    # does not contradict stay (an earlier export may hold [PERSOON-7])
    assert key_lines(study) == [
        HEADER, "R01,[PERSOON-1],Jan Jansen,list", "R02,[PERSOON-7],Henk,deduce", *R02_OWN,
    ]
    remove_derived(study, "R02")
    assert key_lines(study) == [HEADER, "R01,[PERSOON-1],Jan Jansen,list"]


def test_english_studies_use_spacy_not_deduce_and_switched_off_detects_nothing(tmp_path: Path, fake: dict) -> None:
    english = dutch_study(tmp_path / "en", detect=True, language="en")
    off = dutch_study(tmp_path / "off", detect=False)
    assert pseudonymise(english, "R02", LINES[1][1]) == "Ik werk veel samen met [PERSOON-5] uit [GEMEENTE-1]."
    assert pseudonymise(off, "R02", LINES[1][1]) == LINES[1][1]
    assert fake["loads"] == 0


def quotes(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "segment_id", "text"])


def test_only_the_quotes_of_anonymised_respondents_are_scanned(tmp_path: Path, fake: dict) -> None:
    study = dutch_study(tmp_path / "study", detect=True)
    rights = Permissions(quotes=frozenset({"R01", "R02"}), anonymize=frozenset({"R02"}))

    plain = shown(study, quotes([("R01", "R01-0002", "Henk uit Enschede.")]), {"R01": 1, "R02": 2}, rights)
    assert fake["loads"] == 0 and list(plain["text"]) == ["Henk uit Enschede."]

    # code order puts segment 3 first; names are numbered in segment order all the same
    frame = quotes([("R02", "R02-0003", LINES[2][1]), ("R02", "R02-0002", LINES[1][1]), ("R02", "R02-0003", LINES[2][1])])
    published = shown(study, frame, {"R01": 1, "R02": 2}, rights)

    assert list(published["text"]) == [
        "[PERSOON-5] zegt dat [PERSOON-1] gelijk heeft.",
        "Ik werk veel samen met [PERSOON-5] uit [GEMEENTE-1].",
        "[PERSOON-5] zegt dat [PERSOON-1] gelijk heeft.",
    ]
    assert fake["loads"] == 1
    assert fake["model"].scanned == [LINES[1][1], "Henk zegt dat [PERSOON-1] gelijk heeft."]  # not the transcript
    assert key_lines(study) == [
        HEADER, "R02,[GEMEENTE-1],Enschede,deduce", "R02,[PERSOON-5],Henk,deduce", *R02_OWN,
    ]


def test_a_name_keeps_its_placeholder_in_later_runs_and_exports(tmp_path: Path, fake: dict) -> None:
    study = dutch_study(tmp_path / "study", detect=True)
    assert pseudonymise_texts(study, "R02", [LINES[2][1]]) == ["[PERSOON-5] zegt dat [PERSOON-1] gelijk heeft."]
    save_key(study)

    later = Study.at(study.root)  # a later run (say, an export of the whole transcript)
    texts = [text for _, text in LINES]
    assert pseudonymise_texts(later, "R02", texts) == [
        "Dag [PERSOON-1], hoe gaat het?",
        "Ik werk veel samen met [PERSOON-5] uit [GEMEENTE-1].",
        "[PERSOON-5] zegt dat [PERSOON-1] gelijk heeft.",
        "[PERSOON-6] van het datateam ook.",
    ]
    save_key(later)
    assert key_lines(later) == [
        HEADER,
        "R02,[GEMEENTE-1],Enschede,deduce", "R02,[PERSOON-5],Henk,deduce", "R02,[PERSOON-6],Marie,deduce",
        *R02_OWN,
    ]
    assert fake["loads"] == 1  # once per process


@pytest.mark.slow
def test_deduce_finds_what_the_lists_miss(tmp_path: Path) -> None:
    study = dutch_study(tmp_path / "study", detect=True)
    # four people in the list (own first), so deduce's first person is [PERSOON-5]
    assert pseudonymise_texts(study, "R02", [LINES[1][1], LINES[2][1]]) == [
        "Ik werk veel samen met [PERSOON-5] uit [GEMEENTE-1].",
        "[PERSOON-5] zegt dat [PERSOON-1] gelijk heeft.",
    ]
    save_key(study)
    assert key_lines(study) == [
        HEADER, "R02,[GEMEENTE-1],Enschede,deduce", "R02,[PERSOON-5],Henk,deduce", *R02_OWN,
    ]


def test_the_review_list_names_every_replacement_by_segment(tmp_path: Path, fake: dict) -> None:
    study = dutch_study(tmp_path / "study", detect=True)
    rights = Permissions(quotes=frozenset({"R02"}), anonymize=frozenset({"R02"}))
    shown(study, quotes([("R02", "R02-0002", LINES[1][1]), ("R02", "R02-0003", LINES[2][1])]), {"R02": 2}, rights)
    assert save_review(study) == study.catalog.pseudonymisation_review  # written by the aggregation stage
    assert study.catalog.pseudonymisation_review.read_text(encoding="utf-8").splitlines() == [
        "respondent_id,segment_id,candidate,replacement,found_by",
        "R02,R02-0002,Enschede,[GEMEENTE-1],deduce",
        "R02,R02-0002,Henk,[PERSOON-5],deduce",
        "R02,R02-0003,Henk,[PERSOON-5],deduce",
        "R02,R02-0003,Piet Pieters,[PERSOON-1],list",
    ]


def test_a_text_scanned_once_is_not_scanned_again_in_a_later_run(tmp_path: Path, fake: dict) -> None:
    study = dutch_study(tmp_path / "study", detect=True)
    first = pseudonymise_texts(study, "R02", [LINES[1][1]])
    save_key(study)
    cache = study.catalog.pseudonymisation_cache.read_text(encoding="utf-8")
    assert "Henk" not in cache and "Enschede" not in cache  # offsets and tags only
    names_loaded = fake["loads"]

    later = Study.at(study.root)  # a later `aggregate`: a new process, the same quotes
    fake["model"].scanned.clear()
    assert pseudonymise_texts(later, "R02", [LINES[1][1]]) == first
    assert fake["model"].scanned == [] and fake["loads"] == names_loaded


def test_the_researcher_adds_names_and_keeps_words_in_the_key_file(tmp_path: Path, fake: dict) -> None:
    study = dutch_study(tmp_path / "study", detect=True)
    (study.root / KEY_FILE).write_text(
        f"{HEADER}\nR02,[GEMEENTE-7],Verzinhoven,researcher\n*,keep,Marie,researcher\n", encoding="utf-8"
    )
    assert pseudonymise_texts(study, "R02", ["De Verzinhovense aanpak van Marie."]) == ["De [GEMEENTE-7] aanpak van Marie."]
