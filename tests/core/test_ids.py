"""Respondent ids are checked before they reach a path."""

from __future__ import annotations

import pytest

from tasks.core.errors import InputError
from tasks.core.ids import CaseTwins, check_respondent_id, segment_id, segment_respondent
from tasks.core.study import Study


@pytest.mark.parametrize("value", ["R01", "r1", "0", "A_b-C", "x" * 32])
def test_valid_ids(value: str) -> None:
    assert check_respondent_id(value) == value


@pytest.mark.parametrize("value", ["../x", "R01/..", "", " ", "x" * 33, "-R01", "_a", "a b", "R01.wav", "é1", None])
def test_invalid_ids(value: object) -> None:
    with pytest.raises(InputError):
        check_respondent_id(value)


def test_paths_refuse_bad_ids(small_study: Study) -> None:
    with pytest.raises(InputError) as caught:
        small_study.catalog.codings("../../etc/passwd", ".csv")
    assert caught.value.message.startswith("respondent id: '../../etc/passwd' is not a respondent id; use letters")


def test_segment_ids() -> None:
    assert segment_id("R01", 7) == "R01-0007"
    assert segment_respondent("R01-0007") == "R01"
    assert segment_respondent("R-01-0007") == "R-01"
    assert segment_respondent("R01-7") is None


def test_ids_that_differ_only_in_case_are_twins() -> None:
    twins = CaseTwins("recruitment.csv")
    assert twins.problem("R02", 3) is None
    assert twins.problem("R03", 4) is None
    assert twins.problem("R02", 6) is None  # the same id twice is a duplicate, which the table reports
    assert twins.problem("r02", 5) == (
        "recruitment.csv row 5, column respondent_id: r02 differs from R02 (row 3) only in case; "
        "ids must differ in more than case"
    )
