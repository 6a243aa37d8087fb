"""Coder names: one coder however its name is cased or spaced, aliases from the config, and a
config that maps one alias to two coders refused with the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.core.coders import Coders, alias_problem
from tasks.core.config import StudyConfig, load_model
from tasks.core.errors import ConfigError


def test_case_and_spacing_never_matter_and_the_first_spelling_stays() -> None:
    coders = Coders()
    assert [coders.name(n) for n in ("Student", "student ", " STUDENT", "Jan  de Vries", "jan de vries")] == [
        "Student", "Student", "Student", "Jan de Vries", "Jan de Vries",
    ]


def test_aliases_name_the_declared_coder() -> None:
    coders = Coders({"jdv": ["J. de Vries", "Jan"]})
    assert [coders.name(n) for n in ("JAN", "j.  de vries", "JDV", "AB")] == ["jdv", "jdv", "jdv", "AB"]


@pytest.mark.parametrize(
    ("aliases", "expected"),
    [
        ({"jdv": ["J. de Vries", "jdv"], "ab": ["AB", "Anna B"]}, None),
        ({"jdv": ["J. de Vries"], "jan": ["j. de  vries"]},
         (("jan", "0"), "'j. de  vries' is already an alias of 'jdv'; give each alias one coder")),
        ({"jdv": ["AB"], "ab": ["Anna"]}, (("jdv", "0"), "'AB' is declared as a coder itself; list it under one name only")),
        ({"jdv": [], "JDV ": []},
         (("JDV ",), "the same coder as 'jdv' (names are matched without regard to case); merge the two")),
        ({"jdv": [" "]}, (("jdv", "0"), "empty alias; remove it")),
    ],
)
def test_alias_problems(aliases: dict[str, list[str]], expected: object) -> None:
    assert alias_problem(aliases) == expected


def test_the_config_error_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "study.yaml"
    path.write_text(
        "study: {title: T}\ncoding:\n  coder_aliases:\n    jdv: [J. de Vries]\n    jan: [j. de vries]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_model(path, StudyConfig, "config/study.yaml")
    assert caught.value.message == (
        "config/study.yaml: coding.coder_aliases.jan.0: 'j. de vries' is already an alias of 'jdv'; give each alias one coder"
    )
    path.write_text("study: {title: T}\ncoding:\n  coder_aliases:\n    jdv: [J. de Vries, Jan]\n", encoding="utf-8")
    assert load_model(path, StudyConfig, "config/study.yaml").coding.coder_aliases == {"jdv": ["J. de Vries", "Jan"]}
