"""Quote choice for the results: per code the best segments, one voice before a second, and a
segment already quoted under an earlier code only when the code has nothing else left."""

from __future__ import annotations

import pandas as pd

from tasks.analysis.quotes import distinct


def candidates(rows: list[tuple[str, int, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["code", "seg", "respondent_id", "score"])
    frame["code"] = pd.Categorical(frame["code"], categories=["a", "b", "c"])
    return frame


def test_a_segment_coded_with_neighbouring_codes_is_quoted_once_while_others_are_left() -> None:
    frame = candidates([
        ("a", 1, "R01", 90), ("a", 2, "R02", 50),
        ("b", 1, "R01", 90), ("b", 3, "R01", 40), ("b", 4, "R03", 30),
        ("c", 1, "R01", 90), ("c", 2, "R02", 50),
    ])
    chosen = distinct(frame, 2)
    assert list(zip(chosen["code"], chosen["seg"], chosen["rank"])) == [
        ("a", 1, 1), ("a", 2, 2),
        ("b", 3, 1), ("b", 4, 2),  # fresh segments first, by score; segment 1 (already under a) not again
        ("c", 1, 1), ("c", 2, 2),  # nothing fresh left: the segments coded so are quoted again
    ]


def test_no_quotes_asked_or_none_possible() -> None:
    assert distinct(candidates([("a", 1, "R01", 90)]), 0).empty
    assert distinct(candidates([]), 3).empty
