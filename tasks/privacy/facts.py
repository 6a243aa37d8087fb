"""What pseudonymisation did in this run, in facts the report can state (no names)."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.core.study import Study
from tasks.privacy import detect
from tasks.privacy.names import enabled
from tasks.privacy.review import counts

LISTS = "the values in recruitment.csv's personal columns (name, e-mail, organisation)"
FORMS = "every form of each known name: its parts, after a title, possessive, inflected, a town's adjective and inhabitants"
RESEARCHER = "the names the researcher added to pseudonymisation_key.csv"


@dataclass(frozen=True)
class PseudonymisationFacts:
    """language: the study's language code; method: the steps, in words, in the order applied;
    texts: quotes pseudonymised this run; by_kind: replacements per placeholder tag (PERSOON,
    GEMEENTE, ORGANISATIE, NAAM, E-MAIL, ...); by_detector: per finder (list, deduce, spacy,
    capitals, researcher); review_file: the review list, relative to the study folder."""

    language: str
    method: tuple[str, ...]
    texts: int
    by_kind: dict[str, int]
    by_detector: dict[str, int]
    review_file: str
    detector: str = ""  # the model that found names, with its version ("deduce 3.0.3")
    fallback: bool = False  # the English spaCy model used for a language that is not English
    capitals: bool = False  # capitalised words that do not start a sentence were candidates too


def facts(study: Study) -> PseudonymisationFacts:
    """The facts of this process's pseudonymisation of published quotes (call after `shown`)."""
    language = study.language
    found = detect.method(language) if enabled(study) else []
    texts, by_kind, by_detector = counts(study)
    return PseudonymisationFacts(
        language,
        (LISTS, *found, FORMS, RESEARCHER),
        texts,
        by_kind,
        by_detector,
        study.catalog.relative(study.catalog.pseudonymisation_review),
        *(detect.detector(language) if enabled(study) else ("", False, False)),
    )
