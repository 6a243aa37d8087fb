"""Dates in the researcher's logs: the formats Excel writes, and never a day after today."""

from __future__ import annotations

import datetime as dt

import pytest

import tasks.core.tables
from tasks.core.errors import InputError
from tasks.core.tables import parse_date


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.core.tables, "today", lambda: dt.date(2024, 6, 1))


@pytest.mark.parametrize("text", ["2024-06-01", "01-06-2024", "01/06/2024", " 01.06.2024 "])
def test_today_in_every_format_is_accepted(text: str) -> None:
    assert parse_date(text, "consent.csv", 4, "consent_on") == dt.date(2024, 6, 1)


@pytest.mark.parametrize("text", ["2031-05-01", "01-05-2031", "2024-06-02"])
def test_a_date_after_today_is_refused_naming_row_and_column(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(text, "consent.csv", 4, "consent_on")
    day = dt.date.fromisoformat(text) if text[4] == "-" else dt.datetime.strptime(text, "%d-%m-%Y").date()
    assert caught.value.message == f"consent.csv row 4, column consent_on: {day.isoformat()} is in the future; check the date"


def test_not_a_date_is_still_explained() -> None:
    with pytest.raises(InputError) as caught:
        parse_date("31-02-2024", "reviews.csv", 2, "decided_on")
    assert caught.value.message == "reviews.csv row 2, column decided_on: '31-02-2024' is not a date; write it as 2024-01-31"
