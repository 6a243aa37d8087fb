"""Config loading: typed models, and errors that name the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.core.errors import ConfigError
from tasks.core.scaffold import create_study
from tasks.core.study import Study


@pytest.fixture
def study(tmp_path: Path) -> Study:
    create_study(tmp_path / "s")
    return Study.at(tmp_path / "s")


def replace(study: Study, name: str, old: str, new: str) -> None:
    path = study.root / "config" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_of(study: Study, attribute: str) -> str:
    with pytest.raises(ConfigError) as caught:
        getattr(Study.at(study.root), attribute)
    return caught.value.message


def test_templates_validate(study: Study) -> None:
    assert study.config.study.title == "My interview study"
    assert study.config.transcription.engine == "faster-whisper"
    assert [code.id for _, code in study.codebook.codes()] == ["example_code"]
    assert [q.id for q in study.guide.questions] == ["q1", "q2"]


def test_unknown_target_value_names_the_key_path(study: Study) -> None:
    replace(study, "study.yaml", "{small: 4, medium: 4, large: 4}", "{small: 4, huge: 4}")
    assert error_of(study, "config") == (
        "config/study.yaml: sampling.targets.municipality_size.huge: unknown value; use one of small, medium, large"
    )


def test_unknown_key_is_refused(study: Study) -> None:
    replace(study, "study.yaml", "  beam_size: 5", "  beam_sise: 5")
    assert error_of(study, "config") == (
        "config/study.yaml: transcription.beam_sise: unknown key; remove it or check its spelling"
    )


def test_wrong_type_shows_the_value(study: Study) -> None:
    replace(study, "study.yaml", "  beam_size: 5", "  beam_size: many")
    assert error_of(study, "config") == (
        "config/study.yaml: transcription.beam_size: Input should be a valid integer, "
        "unable to parse string as an integer (got 'many')"
    )


def test_broken_yaml_names_the_line(study: Study) -> None:
    replace(study, "study.yaml", "  language: en", "  language: [en")
    message = error_of(study, "config")
    assert message.startswith("config/study.yaml line ")
    assert message.endswith("; fix the YAML syntax")


def test_missing_required_key(study: Study) -> None:
    replace(study, "study.yaml", '  title: "My interview study"\n', "")
    assert error_of(study, "config") == "config/study.yaml: study.title: required key is missing"


def test_missing_file(study: Study) -> None:
    (study.root / "config" / "codebook.yaml").unlink()
    assert error_of(study, "codebook") == (
        "config/codebook.yaml: file not found; run 'interview-study init' or create it"
    )


def test_top_level_must_be_a_mapping(study: Study) -> None:
    (study.root / "config" / "interview_guide.yaml").write_text("- just a list\n", encoding="utf-8")
    assert error_of(study, "guide") == "config/interview_guide.yaml: expected a mapping of keys at the top level"


def test_duplicate_code_id(study: Study) -> None:
    replace(study, "codebook.yaml", "- id: example_code", "- id: example_category")
    assert error_of(study, "codebook") == (
        "config/codebook.yaml: categories.0.codes.0.id: duplicate id 'example_category' (also at categories.0.id)"
    )


def test_relation_to_unknown_code(study: Study) -> None:
    replace(study, "codebook.yaml", "relations: []", "relations:\n  - {from: example_code, to: nothing}")
    assert error_of(study, "codebook") == "config/codebook.yaml: relations.0.to: unknown code or category 'nothing'"


def test_guide_follows_unknown_question(study: Study) -> None:
    replace(study, "interview_guide.yaml", "follows: q1", "follows: q9")
    assert error_of(study, "guide") == "config/interview_guide.yaml: questions.1.follows: unknown question 'q9'"


def test_output_dir_must_stay_inside_the_study(study: Study) -> None:
    replace(study, "study.yaml", "output_dir: out", "output_dir: ../elsewhere")
    assert error_of(study, "config") == (
        "config/study.yaml: study.output_dir: must be a folder inside the study folder, such as 'out' (got '../elsewhere')"
    )


def test_nothing_is_read_at_import_or_construction(tmp_path: Path) -> None:
    create_study(tmp_path / "s")
    (tmp_path / "s" / "config" / "study.yaml").write_text(": broken", encoding="utf-8")
    study = Study.at(tmp_path / "s")  # constructing does not read the config
    with pytest.raises(ConfigError):
        study.config


LABELLED = """
attributes:
  - name: sector
    labels: {en: sector, nl: sector}
    values:
      - {id: public, labels: {en: public sector, nl: publieke sector}}
      - {id: ngo, labels: {en: non-profit}}
      - private
  - name: team_size
"""


def test_label_in_the_language_else_english_else_the_value(study: Study) -> None:
    path = study.root / "config" / "study.yaml"
    path.write_text(path.read_text(encoding="utf-8") + LABELLED, encoding="utf-8")
    config = Study.at(study.root).config
    assert [
        config.label("sector", "public", "nl"),
        config.label("sector", "ngo", "nl"),
        config.label("sector", "private", "nl"),
        config.label("team_size", "12", "nl"),
        config.label("sector", "unlisted", "en"),
        config.label("channel", "snowball", "nl"),
        config.label("channel", "email", "de"),
        config.label("interview_mode", "in_person", "nl"),
        config.label("keep_column", "x", "en"),
    ] == ["publieke sector", "non-profit", "private", "12", "unlisted", "via een andere respondent", "e-mail", "op locatie", "x"]
    assert [config.heading("channel", "nl"), config.heading("sector", "de"), config.heading("team_size", "nl")] == [
        "wervingskanaal", "sector", "team_size",
    ]
