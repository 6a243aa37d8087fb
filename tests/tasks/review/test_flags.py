"""The review document marks the segments the transcription flagged, so the respondent reads them first."""

from __future__ import annotations

import datetime as dt

from tasks.core.study import Study
from tasks.core.transcripts import Segment, Transcript
from tasks.core.wordml import build_segment_document
from tasks.review.export import review_document


def test_flagged_segments_are_marked_and_the_respondent_is_told(small_study: Study) -> None:
    segments = tuple(
        Segment(f"R01-{n:04d}", 10.0 * n, 10.0 * n + 8, "respondent", text, None)  # type: ignore[arg-type]
        for n, text in enumerate(["Goedemorgen.", "ja ja ja ja ja ja", "Dat klopt."], start=1)
    )
    draft = Transcript("R01", segments, {"flags": {"R01-0002": ["repetition"]}})
    spec = review_document(small_study, "R01", draft, dt.date(2024, 3, 20), dt.date(2024, 4, 3))
    assert spec.highlighted == frozenset({1})
    assert spec.intro[-1] == (
        "Rows in yellow may have been misheard (a repeated phrase, words over silence, or words the transcription "
        "was unsure of): please read those first."
    )
    document = build_segment_document(spec)
    rows = document.tables[0].rows
    fills = [row.cells[-1]._tc.xml.count('w:fill="FFF2CC"') for row in rows[1:]]
    assert fills == [0, 1, 0]


def test_no_flags_no_marks(small_study: Study) -> None:
    segment = Segment("R01-0001", 0.0, 8.0, "respondent", "Goedemorgen.", None)  # type: ignore[arg-type]
    spec = review_document(small_study, "R01", Transcript("R01", (segment,), {}), dt.date(2024, 3, 20), dt.date(2024, 4, 3))
    assert spec.highlighted == frozenset() and "Rows in yellow" not in " ".join(spec.intro)
