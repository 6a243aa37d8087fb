"""The codebook: categories → codes with keywords, relations, core category; bad input refused
with one line naming the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.core.config import Codebook, load_model
from tasks.core.errors import ConfigError
from tasks.core.relations import relation_problem
from tests.tasks.coding_fixtures import CODEBOOK_YAML

LABEL = "config/codebook.yaml"
HEAD = """categories:
  - id: org
    name: Organisation
    codes:
      - {id: silos, name: Working across silos, definition: d, keywords: [integra]}
      - {id: team, name: Data team, definition: d}
  - id: work
    name: Work
    codes:
      - {id: insight, name: Insight, definition: d}
"""


def load(tmp_path: Path, text: str) -> Codebook:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return load_model(path, Codebook, LABEL)


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return caught.value.message


def test_the_fixture_codebook_loads_with_its_parts(tmp_path: Path) -> None:
    codebook = load(tmp_path, CODEBOOK_YAML)
    assert [c.id for c in codebook.categories] == ["org", "work", "skills"]
    assert list(codebook.code_ids()) == ["silos", "language", "insight", "justify", "technical"]
    assert codebook.category_of()["justify"] == "work"
    assert codebook.code_ids()["silos"].keywords == ["integra", "across silos"]
    assert [(r.source, r.target, r.type) for r in codebook.relations] == [
        ("insight", "silos", "supports"),
        ("work", "org", "causes"),
        ("technical", "justify", "relates_to"),
    ]
    assert codebook.relations[1].note == "new work changes the organisation"
    assert codebook.core_category is None


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            "  - id: more\n    name: More\n    codes:\n      - {id: silos, name: Again, definition: d}\n",
            "config/codebook.yaml: categories.2.codes.0.id: duplicate id 'silos' (also at categories.0.codes.0.id)",
        ),
        (
            "  - id: silos\n    name: A category named like a code\n    codes: []\n",
            "config/codebook.yaml: categories.2.id: duplicate id 'silos' (also at categories.0.codes.0.id)",
        ),
        (
            "relations:\n  - {from: silos, to: nowhere}\n",
            "config/codebook.yaml: relations.0.to: unknown code or category 'nowhere'",
        ),
        (
            "relations:\n  - {from: ghost, to: silos, type: causes}\n",
            "config/codebook.yaml: relations.0.from: unknown code or category 'ghost'",
        ),
        (
            "relations:\n  - {from: silos, to: silos}\n",
            "config/codebook.yaml: relations.0: from and to are both 'silos'; a relation joins two different ids",
        ),
        (
            "relations:\n  - {from: silos, to: team}\n  - {from: silos, to: team}\n",
            "config/codebook.yaml: relations.1: duplicate relation (also at relations.0); keep one",
        ),
        (
            ("relations:\n  - {from: silos, to: team, type: causes}\n  - {from: team, to: insight, type: leads_to}\n"
            "  - {from: insight, to: silos, type: causes}\n"),
            ("config/codebook.yaml: relations.2: cycle in causal relations (insight -> silos -> team -> insight); "
            "remove or retype one of them"),
        ),
        (
            "relations:\n  - {from: silos, to: org, type: part_of}\n  - {from: org, to: silos, type: is_a}\n",
            ("config/codebook.yaml: relations.1: cycle in hierarchical relations (org -> silos -> org); "
            "remove or retype one of them"),
        ),
        (
            "core_category: silos\n",
            "config/codebook.yaml: core_category: unknown category 'silos'",
        ),
        (
            "relations:\n  - {from: silos, to: team, kind: causes}\n",
            "config/codebook.yaml: relations.0.kind: unknown key; remove it or check its spelling",
        ),
    ],
)
def test_bad_codebooks_are_refused_naming_the_key_path(tmp_path: Path, tail: str, message: str) -> None:
    assert refused(tmp_path, HEAD + tail) == message


def test_an_empty_keyword_is_refused(tmp_path: Path) -> None:
    text = HEAD.replace("keywords: [integra]", "keywords: [integra, '  ']")
    assert refused(tmp_path, text) == "config/codebook.yaml: categories.0.codes.0.keywords.1: empty keyword; remove it"


def test_a_code_without_definition_is_refused(tmp_path: Path) -> None:
    text = HEAD.replace("{id: team, name: Data team, definition: d}", "{id: team, name: Data team}")
    assert refused(tmp_path, text) == "config/codebook.yaml: categories.0.codes.1.definition: required key is missing"


def test_cycles_are_allowed_where_the_relation_type_permits_them(tmp_path: Path) -> None:
    text = HEAD + (
        "relations:\n"
        "  - {from: silos, to: team, type: relates_to}\n"
        "  - {from: team, to: silos, type: relates_to}\n"  # mutual association: fine
        "  - {from: silos, to: insight, type: causes}\n"
        "  - {from: insight, to: silos, type: part_of}\n"  # different families do not form a cycle
        "core_category: work\n"
    )
    codebook = load(tmp_path, text)
    assert len(codebook.relations) == 4
    assert codebook.core_category == "work"


def test_relation_problem_finds_the_relation_that_closes_the_loop() -> None:
    relations = [("a", "b", "causes"), ("b", "c", "explains"), ("x", "y", "causes"), ("c", "a", "precedes")]
    assert relation_problem(relations) == (3, "cycle in causal relations (c -> a -> b -> c); remove or retype one of them")
    assert relation_problem(relations[:3]) is None
