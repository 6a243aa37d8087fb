"""The report says exactly what was done to names in the published quotes, in the study's language."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tasks.aggregation.report import pseudonymised
from tasks.core.texts import Texts
from tasks.privacy.facts import PseudonymisationFacts
from tests.tasks.coding_fixtures import coded_study

FACTS = PseudonymisationFacts(
    "nl", (), 4, {"GEMEENTE": 2, "PERSOON": 5}, {"deduce": 6, "list": 1},
    "out/results/pseudonymisation_review.csv", "deduce 3.0.3", False, True,
)


def test_the_statement_in_dutch() -> None:
    assert pseudonymised(FACTS, Texts("nl")) == (
        "Pseudonimisering (nl): 4 citaat/citaten zijn vóór publicatie gepseudonimiseerd, in deze volgorde: de "
        "waarden uit de persoonlijke kolommen van recruitment.csv; namen, plaatsen en organisaties gevonden door "
        "deduce 3.0.3 en woorden met een hoofdletter die geen zin beginnen; elke vorm van elke bekende naam (delen, "
        "na een titel, bezittelijk, verbogen, bijvoeglijk naamwoord en inwoners van een plaats); de namen die de "
        "onderzoeker aan het sleutelbestand toevoegde. Vervangen: GEMEENTE 2, PERSOON 5. Elke vervanging staat ter "
        "controle in out/results/pseudonymisation_review.csv."
    )


def test_a_fallback_model_is_named_as_such_in_english() -> None:
    facts = PseudonymisationFacts("fr", (), 1, {}, {}, "out/results/pseudonymisation_review.csv", "spaCy 3.8.7", True, True)
    text = pseudonymised(facts, Texts("en"))
    assert text.startswith("Pseudonymisation (fr): 1 quote(s) were pseudonymised before publication")
    assert "found by spaCy 3.8.7, an English model used as a fallback for this language and capitalised words" in text
    assert "Replaced: nothing." in text


def test_the_report_of_a_study_with_anonymised_quotes_states_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    root: Path = coded_study(tmp_path_factory)
    paragraphs = [p.text for p in docx.Document(str(root / "out" / "results" / "report.docx")).paragraphs]
    statement = [p for p in paragraphs if p.startswith("Pseudonymisation (en): ")]
    assert len(statement) == 1
    assert "found by spaCy" in statement[0] and "out/results/pseudonymisation_review.csv" in statement[0]
