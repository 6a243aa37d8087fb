"""The documents' texts per language: Dutch and English alike in keys and placeholders, English
for any other language, numbers, dates and "N of n" in the study's language."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from tasks.core.texts import TEXTS, Texts, readable


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_dutch_has_every_english_text_with_the_same_placeholders() -> None:
    english, dutch = TEXTS["en"], TEXTS["nl"]
    assert sorted(dutch) == sorted(english)
    differing = [key for key in english if placeholders(english[key]) != placeholders(dutch[key])]
    assert differing == []


@pytest.mark.parametrize(
    ("language", "title", "of_n", "locale"),
    [
        ("nl", "Resultaten: X", "8 van n=13", "nl-NL"),
        ("en", "Results: X", "8 of n=13", "en-GB"),
        ("en-US", "Results: X", "8 of n=13", "en-US"),
        ("de", "Results: X", "8 of n=13", "de-DE"),  # no German texts: English, but marked as German text
    ],
)
def test_texts_of_a_language(language: str, title: str, of_n: str, locale: str) -> None:
    tx = Texts(language)
    assert (tx("report.title", title="X"), tx.of_n(8, 13), tx.locale) == (title, of_n, locale)


def test_numbers_and_dates_in_the_study_language() -> None:
    dutch, english = Texts("nl"), Texts("en")
    assert (dutch.percent(0.905), dutch.number(0.6912), dutch.date("2024-04-03")) == ("90,5%", "0,69", "3 april 2024")
    assert (english.percent(0.905), english.number(0.6912), english.date(dt.date(2024, 4, 3))) == (
        "90.5%", "0.69", "3 April 2024",
    )
    assert Texts("fi").date("2024-04-03") == "2024-04-03"


def test_a_text_that_is_not_there_is_the_default_and_lists_say_none() -> None:
    assert Texts("nl").get("column.share", "share") == "Aandeel"
    assert Texts("nl").get("column.R01", "R01") == "R01"
    assert (Texts("nl").listing([]), Texts("en").listing(["R01", "R02"])) == ("geen", "R01, R02")


def test_values_without_a_label_read_without_underscores() -> None:
    assert (readable("op locatie", "in_person"), readable("in_person", "in_person")) == ("op locatie", "in person")
