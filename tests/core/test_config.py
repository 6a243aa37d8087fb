"""Config loading: typed models, and errors that name the file and the key path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tasks.core.errors import ConfigError, InputError
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
    replace(study, "study.yaml", "# sampling:\n#   targets:\n", "sampling:\n  targets:\n    interview_mode: {online: 4, video: 4}\n")
    assert error_of(study, "config") == (
        "config/study.yaml: sampling.targets.interview_mode.video: unknown value; use one of online, in_person, phone"
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


def uncommented(text: str, first: str) -> str:
    """The template with the commented example that starts at the line `first` made active."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i in range(start, len(lines)) if not lines[i].lstrip().startswith("#"))
    lines[start:end] = [re.sub(r"^(\s*)# ?", r"\1", line) for line in lines[start:end]]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("language", "attributes", "channels"),
    [
        ("en", ("sector", "team_size"), ("email", "phone", "network", "social_media", "snowball", "other")),
        ("nl", ("sector", "teamgrootte"), ("email", "phone", "network", "social_media", "snowball", "other")),
    ],
)
def test_the_commented_examples_validate_as_written(
    tmp_path: Path, language: str, attributes: tuple[str, ...], channels: tuple[str, ...]
) -> None:
    create_study(tmp_path / "s", language)
    path = tmp_path / "s" / "config" / "study.yaml"
    text = path.read_text(encoding="utf-8")
    for first in ("# attributes:", "  # channels:", "# sampling:", "  # attributes: ["):
        text = uncommented(text, first)
    path.write_text(text, encoding="utf-8")
    config = Study.at(tmp_path / "s").config
    assert config.attribute_names() == attributes
    assert config.allowed_values(attributes[1]) is None  # free text
    assert config.allowed_values("channel") == channels
    assert config.allowed_values("interview_mode") == ("online", "in_person", "phone")
    assert config.breakdowns() == [*attributes, "interview_mode"]
    assert list(config.sampling.targets) == ["sector", "interview_mode"]
    assert config.label("sector", config.allowed_values("sector")[0], "nl") == "publieke sector"  # type: ignore[index]


def test_the_templates_declare_nothing_until_uncommented(study: Study) -> None:
    config = study.config
    assert (config.attribute_names(), config.breakdowns(), config.sampling.targets) == ((), ["interview_mode"], {})
    assert (study.root / "recruitment.csv").read_text(encoding="utf-8") == (
        "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,name,email,organisation\n"
    )


def test_an_unknown_template_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        create_study(tmp_path / "s", "de")
    assert caught.value.message == "--language de: no templates in that language; choose en or nl"
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "attributes: [{name: sector, values: [public]}]\nsampling: {targets: {secter: {public: 1}}}",
            "sampling.targets.secter: unknown attribute; use one of sector, interview_mode, channel",
        ),
        (
            "attributes: [{name: sector, values: [public]}]\nsampling: {targets: {sector: {privat: 1}}}",
            "sampling.targets.sector.privat: unknown value; use one of public",
        ),
        (
            "recruitment: {channels: [email]}\nsampling: {targets: {channel: {fax: 1}}}",
            "sampling.targets.channel.fax: unknown value; use one of email",
        ),
        (
            "attributes: [{name: size, values: [small, Large]}]",
            "attributes.0.values.1.id: 'Large' must be written 'large' (recruitment.csv is compared in lower case, "
            "with _ for spaces)",
        ),
        (
            "attributes: [{name: Team size}]",
            "attributes.0.name: 'Team size' must be written 'team_size' (recruitment.csv is compared in lower case, "
            "with _ for spaces)",
        ),
        ("attributes: [{name: size, values: [small, {id: small}]}]", "attributes.0.values.1.id: 'small' is listed twice; keep one"),
        ("attributes: [{name: channel}]", "attributes.0.name: 'channel' is a column every study has; choose another name"),
        (
            "attributes: [{name: email}]",
            "attributes.0.name: 'email' is also in recruitment.personal_columns, which never leave recruitment.csv; "
            "remove it from one of them",
        ),
        (
            "attributes: [{name: size, values: []}]",
            "attributes.0.values: is empty; list the allowed values, or leave values out for free text",
        ),
        ("attributes: [{name: size}, {name: size}]", "attributes.1.name: 'size' is declared twice; keep one"),
        (
            "attributes: [{name: size, values: [{id: s, label: {nl: x}}]}]",
            "attributes.0.values.0.label: unknown key; remove it or check its spelling",
        ),
        (
            "attributes: [{name: size}]\naggregation: {attributes: [sise]}",
            "aggregation.attributes.0: unknown attribute 'sise'; use one of size, interview_mode, channel or a column "
            "listed in recruitment.keep_columns",
        ),
        ("recruitment: {channels: [email, email]}", "recruitment.channels.1.id: 'email' is listed twice; keep one"),
        ("recruitment: {interview_modes: []}", "recruitment.interview_modes: is empty; list at least one value"),
        (
            "recruitment: {roles: [wmo]}",
            "recruitment.roles: moved; declare role under attributes: - {name: role, values: [...]}",
        ),
    ],
)
def test_declaration_errors_name_the_key_path(tmp_path: Path, yaml_text: str, message: str) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "study.yaml").write_text("study: {title: T}\n" + yaml_text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Study.at(tmp_path).config
    assert caught.value.message == f"config/study.yaml: {message}"


def test_free_text_targets_and_yaml_scalars_as_values(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "study.yaml").write_text(
        "study: {title: T}\nattributes:\n  - {name: manager, values: [yes, no]}\n  - {name: grade, values: [1, 2]}\n"
        "  - {name: team_size}\nsampling: {targets: {team_size: {'12': 2}, manager: {'yes': 1}}}\n",
        encoding="utf-8",
    )
    config = Study.at(tmp_path).config
    assert (config.allowed_values("manager"), config.allowed_values("grade")) == (("yes", "no"), ("1", "2"))
    assert config.sampling.targets == {"team_size": {"12": 2}, "manager": {"yes": 1}}


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("methods: {gender: female}", "methods.gender: unknown key; remove it or check its spelling"),
        (
            "methods: {interviewers: []}",
            "methods.interviewers: is empty; list who conducted the interviews, or leave interviewers out to list "
            "items 1-5 as missing",
        ),
        ("methods: {interviewers: [{gender: female}]}", "methods.interviewers.0.initials: required key is missing"),
        (
            "methods: {interviewers: [{initials: AB}, {initials: AB}]}",
            "methods.interviewers.1.initials: 'AB' is listed twice; keep one",
        ),
        (
            "methods: {interviewers: [{initials: AB, sex: female}]}",
            "methods.interviewers.0.sex: unknown key; remove it or check its spelling",
        ),
        (
            "methods: {repeat_interviews: no}",
            "methods.repeat_interviews: write the answer as text in quotes: YAML reads yes, no and numbers as other "
            "values (got False)",
        ),
        (
            "methods: {interviewers: [{initials: AB, experience: 12}]}",
            "methods.interviewers.0.experience: write the answer as text in quotes: YAML reads yes, no and numbers "
            "as other values (got 12)",
        ),
        (
            "methods: {field_notes: '  '}",
            "methods.field_notes: is empty; write the answer, or leave the key out to list the item as missing",
        ),
        ("methods: {setting: [online, office]}", "methods.setting: write the answer as one text, not a list or mapping"),
        ("methods: [interviewers]", "methods: Input should be a valid dictionary or instance of MethodsSection"),
    ],
)
def test_methods_errors_name_the_key_path(tmp_path: Path, yaml_text: str, message: str) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "study.yaml").write_text("study: {title: T}\n" + yaml_text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Study.at(tmp_path).config
    assert caught.value.message == f"config/study.yaml: {message}"


def test_methods_answers_are_trimmed_and_an_empty_section_is_none_given(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "study.yaml"
    path.write_text("study: {title: T}\nmethods:\n  # field_notes: \"None.\"\n", encoding="utf-8")
    assert Study.at(tmp_path).config.methods.field_notes is None
    path.write_text("study: {title: T}\nmethods:\n  field_notes: >\n    No field notes\n    were made.\n", encoding="utf-8")
    assert Study.at(tmp_path).config.methods.field_notes == "No field notes were made."


@pytest.mark.parametrize(("language", "gender"), [("en", "Female"), ("nl", "Vrouw")])
def test_the_templates_carry_every_methods_key_commented(tmp_path: Path, language: str, gender: str) -> None:
    create_study(tmp_path / "s", language)
    path = tmp_path / "s" / "config" / "study.yaml"
    text = path.read_text(encoding="utf-8")
    assert Study.at(tmp_path / "s").config.methods.model_dump(exclude_defaults=True) == {}
    path.write_text(uncommented(text, "# methods:"), encoding="utf-8")
    methods = Study.at(tmp_path / "s").config.methods
    assert [v for v in methods.model_dump().values() if not v] == []  # every key given
    assert (methods.interviewers[0].initials, methods.interviewers[0].gender) == ("A.B.", gender)
