"""The three YAML files of a study, loaded into typed models; errors name the file and key path."""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from tasks.core.coders import alias_problem
from tasks.core.errors import ConfigError
from tasks.core.layout import INPUT_NAMES
from tasks.core.relations import relation_problem


# The study's inputs, by their names in the study folder: what the researcher keeps there (config,
# recordings, returned review documents in review/returned, codings, the tables, the pseudonymisation
# key) and the orchestrator's own folder. Nothing the pipeline writes may be, hold or lie inside one
# of them: neither study.output_dir nor a file an export command is told to write. Compared
# case-insensitively, as macOS and Windows file systems do.
def input_of(relative: PurePath) -> str | None:
    """The input (one of INPUT_NAMES) that a path relative to the study folder is or lies inside."""
    if not relative.parts:
        return None
    first = relative.parts[0].casefold()
    return next((name for name in INPUT_NAMES if name.casefold() == first), None)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StudySection(Model):
    title: str
    language: str = "nl"
    output_dir: str = "out"

    @field_validator("output_dir")
    @classmethod
    def _dedicated(cls, value: str) -> str:
        """A folder of its own inside the study that holds no input; `./out/` becomes `out`."""
        advice = "name a dedicated folder such as out"
        if not value.strip():
            raise _KeyedError((), f"is empty; {advice}")
        path = PurePath(value)
        if path.is_absolute() or ".." in path.parts:
            raise ValueError("must be a folder inside the study folder, such as 'out'")
        if not path.parts:  # '.', './'
            raise _KeyedError((), f"{value!r} is the study folder itself; {advice}")
        name = input_of(path)
        if name is not None:
            where = "is" if len(path.parts) == 1 else f"lies inside {name},"
            raise _KeyedError((), f"{value!r} {where} an input of the study; {advice}")
        return path.as_posix()


def _normalised(text: str) -> str:
    """A value as recruitment.csv cells and headers are compared: lower case, _ for spaces and -."""
    return re.sub(r"\s+", "_", text.strip().lower().replace("-", "_"))


class Term(Model):
    """One value of a vocabulary: its id, as recruitment.csv holds it, and display labels per language."""

    id: str
    labels: dict[str, Annotated[str, Field(min_length=1)]] = {}

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, data: Any) -> Any:
        """`small` is short for `{id: small}`; YAML numbers are ids too."""
        if isinstance(data, (str, int)):
            return {"id": _scalar(data)}
        if isinstance(data, dict) and isinstance(data.get("id"), int):
            return {**data, "id": _scalar(data["id"])}
        return data

    @field_validator("id")
    @classmethod
    def _as_read(cls, value: str) -> str:
        return _identifier(value, "write the value as recruitment.csv holds it")

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id


def natural_key(value: str) -> tuple[int, float, str]:
    """Sorts numbers by value before text (7 before 12 before 'large')."""
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def _scalar(value: str | int) -> str:
    """YAML reads yes/no as booleans and 12 as a number; recruitment.csv holds them as text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _identifier(value: str, advice: str) -> str:
    normal = _normalised(value)
    if not normal:
        raise _KeyedError((), f"is empty; {advice}")
    if normal != value:
        raise _KeyedError(
            (), f"{value!r} must be written {normal!r} (recruitment.csv is compared in lower case, with _ for spaces)"
        )
    return value


def _terms(*rows: tuple[str, str, str]) -> list[Term]:
    return [Term(id=id_, labels={"en": en, "nl": nl}) for id_, en, nl in rows]


DEFAULT_CHANNELS = _terms(
    ("email", "e-mail", "e-mail"),
    ("phone", "phone", "telefoon"),
    ("network", "own network", "eigen netwerk"),
    ("social_media", "social media", "sociale media"),
    ("snowball", "referred by another respondent", "via een andere respondent"),
    ("other", "other", "anders"),
)
DEFAULT_MODES = _terms(
    ("online", "online", "online"),
    ("in_person", "in person", "op locatie"),
    ("phone", "by phone", "telefonisch"),
)
# The two vocabularies every study has, as recruitment.csv names them, with their headings.
CORE_VOCABULARIES = {
    "channel": {"en": "recruitment channel", "nl": "wervingskanaal"},
    "interview_mode": {"en": "interview mode", "nl": "interviewvorm"},
}
CORE_COLUMNS = ("respondent_id", "channel", "contacted_on", "responded", "interview_date", "interview_mode")


def _vocabulary(terms: list[Term]) -> list[Term]:
    if not terms:
        raise ValueError("is empty; list at least one value")
    seen: set[str] = set()
    for index, term in enumerate(terms):
        if term.id in seen:
            raise _KeyedError((str(index), "id"), f"{term.id!r} is listed twice; keep one")
        seen.add(term.id)
    return terms


class Attribute(Model):
    """A respondent attribute: one column of recruitment.csv, its allowed values or free text."""

    name: str
    labels: dict[str, Annotated[str, Field(min_length=1)]] = {}
    values: list[Term] | None = None  # None: free text
    required: bool = True  # every respondent who responded must have a value

    @field_validator("name")
    @classmethod
    def _column(cls, value: str) -> str:
        value = _identifier(value, "name the recruitment.csv column")
        if value in CORE_COLUMNS:
            raise _KeyedError((), f"{value!r} is a column every study has; choose another name")
        return value

    @field_validator("values")
    @classmethod
    def _listed(cls, values: list[Term] | None) -> list[Term] | None:
        if values is not None and not values:
            raise ValueError("is empty; list the allowed values, or leave values out for free text")
        return None if values is None else _vocabulary(values)


class RecruitmentSection(Model):
    channels: list[Term] = DEFAULT_CHANNELS
    interview_modes: list[Term] = DEFAULT_MODES
    personal_columns: list[str] = ["name", "email", "organisation"]
    keep_columns: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: Any) -> Any:
        if isinstance(data, dict) and "roles" in data:
            raise _KeyedError(("roles",), "moved; declare role under attributes: - {name: role, values: [...]}")
        return data

    @field_validator("channels", "interview_modes")
    @classmethod
    def _vocabulary(cls, terms: list[Term]) -> list[Term]:
        return _vocabulary(terms)


class SamplingSection(Model):
    targets: dict[str, dict[str, Annotated[int, Field(ge=0)]]] = {}


class TranscriptionSection(Model):
    engine: Literal["faster-whisper", "openai-whisper"] = "faster-whisper"
    model: str = "base"
    language: str | None = None
    beam_size: Annotated[int, Field(ge=1, le=10)] = 5
    # auto: faster-whisper int8 on CPU / float16 on GPU; openai-whisper float32 / fp16 (see README benchmark)
    compute_type: Literal["auto", "int8", "float16", "float32"] = "auto"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    initial_prompt: str | None = None
    temperatures: list[Annotated[float, Field(ge=0.0, le=1.0)]] = [0.0, 0.2, 0.4]
    vad: bool = True
    min_silence_ms: Annotated[int, Field(ge=100)] = 500
    # pauses of at least this many seconds between two words of a segment become `(..)` (None: off)
    mark_pauses_s: Annotated[float, Field(gt=0.0)] | None = None
    # a stereo recording with one speaker per channel: who speaks on the left and on the right
    # channel; None: detected (one channel near-silent while the other speaks), named by voice or guide
    channels: tuple[Literal["interviewer", "respondent"], Literal["interviewer", "respondent"]] | None = None

    @field_validator("channels")
    @classmethod
    def _two_speakers(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        if value is not None and value[0] == value[1]:
            raise ValueError("name one channel interviewer and the other respondent, e.g. [interviewer, respondent]")
        return value


class ReviewSection(Model):
    cover_text: str = ""
    respond_within_days: Annotated[int, Field(ge=1)] = 14
    delete_recording_on_withdrawal: bool = False


class CodingSection(Model):
    accept_suggestions: bool = False
    # coder -> the other ways it is written: {jdv: ["J. de Vries", "Jan"]}; case and spacing never matter
    coder_aliases: dict[str, list[str]] = {}

    @field_validator("coder_aliases")
    @classmethod
    def _one_coder_per_alias(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        problem = alias_problem(value)
        if problem is not None:
            raise _KeyedError(*problem)
        return value


class AggregationSection(Model):
    attributes: list[str] | None = None  # None: every declared attribute, then interview_mode
    quotes_per_code: Annotated[int, Field(ge=0)] = 3


class PrivacySection(Model):
    anonymize_all: bool = False
    detect_names: bool = True  # Dutch studies: deduce finds names the recruitment lists miss


def _answer(value: Any) -> Any:
    """A methods answer is a sentence: YAML's yes, no and numbers are refused, as are empty texts."""
    if isinstance(value, (bool, int, float)):
        advice = "write the answer as text in quotes: YAML reads yes, no and numbers as other values"
        raise _KeyedError((), f"{advice} (got {value!r})")
    if isinstance(value, str) and not value.strip():
        raise _KeyedError((), "is empty; write the answer, or leave the key out to list the item as missing")
    if isinstance(value, (list, dict)):
        raise _KeyedError((), "write the answer as one text, not a list or mapping")
    return value.strip() if isinstance(value, str) else value


Answer = Annotated[str, BeforeValidator(_answer)]


class Interviewer(Model):
    """Who conducted interviews (COREQ items 1-5); an answer left out is listed as missing in methods.docx."""

    initials: Answer
    credentials: Answer | None = None
    occupation: Answer | None = None
    gender: Answer | None = None
    experience: Answer | None = None  # experience and training


class MethodsSection(Model):
    """What only the researcher can tell the COREQ appendix (methods.docx), by item; the records tell
    the rest. A key left out is listed at the end of the appendix as still to be completed."""

    interviewers: list[Interviewer] = []  # 1-5
    relationship: Answer | None = None  # 6. relationship established before the study
    participant_knowledge: Answer | None = None  # 7. what participants knew about the interviewer
    interviewer_characteristics: Answer | None = None  # 8. bias, assumptions, interests
    orientation: Answer | None = None  # 9. methodological orientation and theory
    sampling: Answer | None = None  # 10
    approach: Answer | None = None  # 11. how participants were approached
    non_participation: Answer | None = None  # 13. reasons for not taking part or dropping out
    setting: Answer | None = None  # 14. where the interviews took place
    others_present: Answer | None = None  # 15. presence of non-participants
    interview_guide: Answer | None = None  # 17. provided in advance? pilot tested?
    repeat_interviews: Answer | None = None  # 18
    field_notes: Answer | None = None  # 20
    data_saturation: Answer | None = None  # 22
    coding_tree: Answer | None = None  # 25, optional: the records give the tree
    derivation_of_themes: Answer | None = None  # 26
    software: Answer | None = None  # 27, optional: the records name the transcription software
    participant_checking: Answer | None = None  # 28. feedback on the findings
    consistency: Answer | None = None  # 30. data and findings consistent
    major_themes: Answer | None = None  # 31
    minor_themes: Answer | None = None  # 32. diverse cases, minor themes

    @field_validator("interviewers")
    @classmethod
    def _each_once(cls, interviewers: list[Interviewer]) -> list[Interviewer]:
        if not interviewers:
            raise ValueError("is empty; list who conducted the interviews, or leave interviewers out to list items 1-5 as missing")
        seen: set[str] = set()
        for index, interviewer in enumerate(interviewers):
            if interviewer.initials in seen:
                raise _KeyedError((str(index), "initials"), f"{interviewer.initials!r} is listed twice; keep one")
            seen.add(interviewer.initials)
        return interviewers


class StudyConfig(Model):
    study: StudySection
    attributes: list[Attribute] = []
    recruitment: RecruitmentSection = RecruitmentSection()
    sampling: SamplingSection = SamplingSection()
    transcription: TranscriptionSection = TranscriptionSection()
    review: ReviewSection = ReviewSection()
    coding: CodingSection = CodingSection()
    aggregation: AggregationSection = AggregationSection()
    privacy: PrivacySection = PrivacySection()
    methods: MethodsSection = MethodsSection()

    @field_validator("methods", mode="before")
    @classmethod
    def _nothing_yet(cls, value: Any) -> Any:
        return {} if value is None else value  # `methods:` with every key still commented out

    @model_validator(mode="after")
    def _attributes_apart(self) -> StudyConfig:
        seen: set[str] = set()
        personal = set(self.recruitment.personal_columns)
        for index, attribute in enumerate(self.attributes):
            path = ("attributes", str(index), "name")
            if attribute.name in seen:
                raise _KeyedError(path, f"{attribute.name!r} is declared twice; keep one")
            if attribute.name in personal:
                raise _KeyedError(
                    path,
                    f"{attribute.name!r} is also in recruitment.personal_columns, which never leave "
                    "recruitment.csv; remove it from one of them",
                )
            seen.add(attribute.name)
        return self

    @model_validator(mode="after")
    def _targets_known(self) -> StudyConfig:
        known = self.vocabulary_names()
        for attribute, values in self.sampling.targets.items():
            if attribute not in known:
                raise _KeyedError(
                    ("sampling", "targets", attribute),
                    f"unknown attribute; use one of {', '.join(known)}",
                )
            allowed = self.allowed_values(attribute)
            for value in values:
                if allowed is not None and value not in allowed:
                    raise _KeyedError(
                        ("sampling", "targets", attribute, value),
                        f"unknown value; use one of {', '.join(allowed)}",
                    )
        for index, attribute in enumerate(self.aggregation.attributes or []):
            if attribute not in known and attribute not in self.recruitment.keep_columns:
                raise _KeyedError(
                    ("aggregation", "attributes", str(index)),
                    f"unknown attribute {attribute!r}; use one of {', '.join(known)} "
                    "or a column listed in recruitment.keep_columns",
                )
        return self

    def attribute_names(self) -> tuple[str, ...]:
        """The declared respondent attributes, in declaration order (one recruitment.csv column each)."""
        return tuple(attribute.name for attribute in self.attributes)

    def vocabulary_names(self) -> tuple[str, ...]:
        """Everything a sampling target or a breakdown may name: the attributes, interview_mode, channel."""
        return (*self.attribute_names(), "interview_mode", "channel")

    def breakdowns(self) -> list[str]:
        """The attributes the results are broken down by: as configured, else every attribute and the mode."""
        if self.aggregation.attributes is not None:
            return list(self.aggregation.attributes)
        return [*self.attribute_names(), "interview_mode"]

    def declarations(self) -> dict[str, Any]:
        """The attributes and vocabularies as plain data, for the fingerprints of what shows them."""
        return {
            "attributes": [attribute.model_dump(mode="json") for attribute in self.attributes],
            "channels": [term.model_dump(mode="json") for term in self.recruitment.channels],
            "interview_modes": [term.model_dump(mode="json") for term in self.recruitment.interview_modes],
        }

    def terms(self, vocabulary: str) -> list[Term] | None:
        """The values of a vocabulary (an attribute, "channel" or "interview_mode"); None: free text."""
        if vocabulary == "channel":
            return self.recruitment.channels
        if vocabulary == "interview_mode":
            return self.recruitment.interview_modes
        declared = next((a for a in self.attributes if a.name == vocabulary), None)
        return None if declared is None else declared.values

    def allowed_values(self, vocabulary: str) -> tuple[str, ...] | None:
        """The ids a vocabulary allows, in declaration order; None for free text or an unknown name."""
        terms = self.terms(vocabulary)
        return None if terms is None else tuple(term.id for term in terms)

    def ordered(self, vocabulary: str, values: list[str]) -> list[str]:
        """`values` in the order the study declares them; values it does not list (free text) after, 7 before 12."""
        declared = list(self.allowed_values(vocabulary) or ())
        return [v for v in declared if v in values] + sorted({v for v in values if v not in declared}, key=natural_key)

    def label(self, vocabulary: str, value: str, language: str) -> str:
        """How `value` of `vocabulary` (an attribute, "channel" or "interview_mode") reads in `language`:
        its label in that language, else the English one, else the value itself."""
        term = next((t for t in self.terms(vocabulary) or [] if t.id == value), None)
        return value if term is None else term.label(language)

    def heading(self, vocabulary: str, language: str) -> str:
        """The name of a vocabulary in `language` (else English, else its column name), e.g. for a table header."""
        labels = CORE_VOCABULARIES.get(vocabulary) or next(
            (a.labels for a in self.attributes if a.name == vocabulary), {}
        )
        return labels.get(language) or labels.get("en") or vocabulary


class Code(Model):
    id: str
    name: str
    definition: str
    keywords: list[str] = []
    examples: list[str] = []


class Category(Model):
    id: str
    name: str
    definition: str = ""
    codes: list[Code]


class Relation(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    type: str = "relates_to"
    note: str = ""


class Codebook(Model):
    categories: list[Category]
    relations: list[Relation] = []
    core_category: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Codebook:
        seen: dict[str, str] = {}
        for ci, category in enumerate(self.categories):
            _claim(seen, category.id, ("categories", str(ci), "id"))
            for ki, code in enumerate(category.codes):
                _claim(seen, code.id, ("categories", str(ci), "codes", str(ki), "id"))
                for wi, word in enumerate(code.keywords):
                    if not word.strip():
                        path = ("categories", str(ci), "codes", str(ki), "keywords", str(wi))
                        raise _KeyedError(path, "empty keyword; remove it")
        for ri, relation in enumerate(self.relations):
            for end, value in (("from", relation.source), ("to", relation.target)):
                if value not in seen:
                    raise _KeyedError(("relations", str(ri), end), f"unknown code or category {value!r}")
        problem = relation_problem([(r.source, r.target, r.type) for r in self.relations])
        if problem is not None:
            raise _KeyedError(("relations", str(problem[0])), problem[1])
        if self.core_category is not None and self.core_category not in {c.id for c in self.categories}:
            raise _KeyedError(("core_category",), f"unknown category {self.core_category!r}")
        return self

    def codes(self) -> list[tuple[Category, Code]]:
        return [(category, code) for category in self.categories for code in category.codes]

    def code_ids(self) -> dict[str, Code]:
        return {code.id: code for _, code in self.codes()}

    def category_of(self) -> dict[str, str]:
        return {code.id: category.id for category, code in self.codes()}


class Question(Model):
    id: str
    topic: str
    phase: Literal["before", "now"]
    text: str
    follows: str | None = None


class InterviewGuide(Model):
    topics: dict[str, str] = {}
    questions: list[Question]

    @model_validator(mode="after")
    def _consistent(self) -> InterviewGuide:
        seen: dict[str, str] = {}
        for qi, question in enumerate(self.questions):
            _claim(seen, question.id, ("questions", str(qi), "id"))
            if self.topics and question.topic not in self.topics:
                raise _KeyedError(("questions", str(qi), "topic"), f"unknown topic {question.topic!r}")
        for qi, question in enumerate(self.questions):
            if question.follows is not None and question.follows not in seen:
                raise _KeyedError(("questions", str(qi), "follows"), f"unknown question {question.follows!r}")
        return self


class _KeyedError(ValueError):
    """A validation error that knows its key path (pydantic only knows the model's)."""

    def __init__(self, path: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _claim(seen: dict[str, str], value: str, path: tuple[str, ...]) -> None:
    if value in seen:
        raise _KeyedError(path, f"duplicate id {value!r} (also at {seen[value]})")
    seen[value] = ".".join(path)


M = TypeVar("M", bound=BaseModel)


def load_model(path: Path, model: type[M], label: str) -> M:
    """Read one YAML file into `model`; every problem becomes a ConfigError naming `label` and key."""
    if not path.is_file():
        raise ConfigError(f"{label}: file not found; run 'interview-study init' or create it")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{label}: not UTF-8 text; save it as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ConfigError(f"{label}{line}: {problem}; fix the YAML syntax") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: expected a mapping of keys at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(label, error)) from None


def _describe(label: str, error: ValidationError) -> str:
    first = error.errors()[0]
    context = first.get("ctx", {}) or {}
    inner = context.get("error")
    if isinstance(inner, _KeyedError):
        loc = [str(part) for part in first["loc"]] + list(inner.path)
        return f"{label}: {'.'.join(loc)}: {inner.message}"
    loc_parts = [str(part) for part in first["loc"]]
    key = ".".join(loc_parts) or "(top level)"
    kind = first["type"]
    if kind == "extra_forbidden":
        message = "unknown key; remove it or check its spelling"
    elif kind == "missing":
        message = "required key is missing"
    else:
        message = _short(first["msg"], first.get("input"))
    return f"{label}: {key}: {message}"


def _short(message: str, given: Any) -> str:
    message = message.removeprefix("Value error, ")
    if isinstance(given, (str, int, float, bool)) and len(str(given)) <= 40:
        return f"{message} (got {given!r})"
    return message
