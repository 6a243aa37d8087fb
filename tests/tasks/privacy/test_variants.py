"""Every form of a known name, and the capitalised-word candidates, on inline text."""

from __future__ import annotations

import pytest

from tasks.privacy.detect import capitalised
from tasks.privacy.variants import Lexicon


@pytest.fixture
def lexicon() -> Lexicon:
    known = Lexicon()
    for name, placeholder in [
        ("Anna Persoon", "[PERSOON-1]"), ("Delta", "[PERSOON-2]"), ("Mark Jenkins", "[PERSOON-3]"),
        ("Gemeente Verzinhoven", "[ORGANISATIE-1]"), ("Amsterdam", "[GEMEENTE-1]"), ("Den Haag", "[GEMEENTE-2]"),
        ("Zwolle", "[GEMEENTE-3]"), ("Groningen", "[GEMEENTE-4]"), ("Harrogate", "[GEMEENTE-5]"),
    ]:
        known.add(name, placeholder)
    return known


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mevrouw Persoon belde.", "Mevrouw [PERSOON-1] belde."),
        ("Deltas plan en Delta's team.", "[PERSOON-2] plan en [PERSOON-2] team."),
        ("De Verzinhovenaren en het Verzinhovense college.", "De [ORGANISATIE-1] en het [ORGANISATIE-1] college."),
        ("Anna van Persoon, Anna Persoon en Anna.", "[PERSOON-1], [PERSOON-1] en [PERSOON-1]."),
        ("Mark Jenkins's plan; Jenkins' team.", "[PERSOON-3] plan; [PERSOON-3] team."),
        ("Amsterdammers, Haagse, Zwolse, Groninger, Harrogatians.", "[GEMEENTE-1], [GEMEENTE-2], [GEMEENTE-3], [GEMEENTE-4], [GEMEENTE-5]."),
        ("Een persoon uit de gemeente; mark my words; Haag is geen naam hier.", "Een persoon uit de gemeente; mark my words; [GEMEENTE-2] is geen naam hier."),
    ],
)
def test_every_form_of_a_known_name_is_replaced(lexicon: Lexicon, text: str, expected: str) -> None:
    assert lexicon.replace(text)[0] == expected


def test_the_replacements_say_what_was_said(lexicon: Lexicon) -> None:
    assert lexicon.replace("Mevrouw Persoon en de Zwolse aanpak.")[1] == [("Persoon", "[PERSOON-1]"), ("Zwolse", "[GEMEENTE-3]")]


def test_words_the_researcher_keeps_are_left_alone(lexicon: Lexicon) -> None:
    lexicon.keep.add("delta")
    assert lexicon.replace("Delta's plan.")[0] == "Delta's plan."


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("My colleague Mark Jenkins works in Leeds.", [("Mark Jenkins", "NAAM"), ("Leeds", "GEMEENTE")]),
        ("Mevrouw Persoon zei het. Dr. Patel ook.", [("Persoon", "PERSOON"), ("Patel", "PERSOON")]),
        ("Then I told Jan van der Berg on Monday.", [("Jan van der Berg", "NAAM")]),
        ("Ik sprak Anna Persoon van Gemeente Aa.", [("Anna Persoon", "NAAM"), ("Gemeente Aa", "ORGANISATIE")]),
        ("We use Excel. The NHS and [PERSOON-1] said so.", [("Excel", "NAAM")]),
        ('He said: "Yesterday it rained."', []),
    ],
)
def test_capitalised_words_that_do_not_start_a_sentence(text: str, found: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.tag) for s in capitalised(text)] == found
