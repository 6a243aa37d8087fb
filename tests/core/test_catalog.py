"""The catalog finds the researcher's files in any case, as macOS and Windows do; the shared logs
refuse ids that differ only in case and dates after today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import tasks.core.tables
from tasks.core.catalog.consent import read_consents, row_problems
from tasks.core.catalog.paths import Catalog
from tasks.core.catalog.reviews import decision_of, read_reviews
from tasks.core.catalog.reviews import row_problems as review_problems
from tasks.core.errors import InputError
from tasks.core.study import Study
from tests.helpers import CONSENT_HEADER


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_a_recording_is_found_whatever_the_case_of_its_name(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path)
    assert catalog.audio("R02") is None
    touch(tmp_path / "audio" / "R02.OGG")
    touch(tmp_path / "audio" / "R03.ogg")
    assert catalog.audio("R02") == tmp_path / "audio" / "R02.OGG"
    assert catalog.audio("R03") == tmp_path / "audio" / "R03.ogg"


def test_two_recordings_in_two_cases_are_refused(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path)
    touch(tmp_path / "audio" / "R02.ogg")
    touch(tmp_path / "audio" / "r02.WAV")
    with pytest.raises(InputError) as caught:
        catalog.audio("R02")
    assert caught.value.message == "audio/r02.WAV, audio/R02.ogg: more than one recording for R02; keep one"
    (tmp_path / "audio" / "r02.WAV").unlink()
    touch(tmp_path / "audio" / "R02.OGG")
    with pytest.raises(InputError) as caught:
        catalog.audio("R02")
    assert caught.value.message == "audio/R02.OGG, audio/R02.ogg: more than one recording for R02; keep one"


def test_returned_documents_and_codings_are_found_in_any_case(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path)
    assert catalog.returned_review("R02") == tmp_path / "review" / "returned" / "R02.docx"  # where to save it
    assert catalog.codings("R02", ".csv") == tmp_path / "codings" / "R02.csv"
    touch(tmp_path / "review" / "returned" / "R02.DOCX")
    touch(tmp_path / "codings" / "r02.CSV")
    assert catalog.returned_review("R02") == tmp_path / "review" / "returned" / "R02.DOCX"
    assert catalog.codings("R02", ".csv") == tmp_path / "codings" / "r02.CSV"
    touch(tmp_path / "codings" / "R02.csv")
    with pytest.raises(InputError) as caught:
        catalog.codings("R02", ".csv")
    assert caught.value.message == "codings/R02.csv, codings/r02.CSV: the same file name in two cases; keep one"


def with_rows(study: Study, name: str, header: str, *rows: str) -> Study:
    (study.root / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return Study.at(study.root)


def test_consent_rows_whose_ids_differ_only_in_case_are_refused(small_study: Study) -> None:
    study = with_rows(small_study, "consent.csv", CONSENT_HEADER, "R01,2024-03-15,yes,yes,yes,no,", "r01,2024-03-15,yes,yes,yes,no,")
    assert row_problems(study, {"R01", "R02", "R03"}) == [
        "consent.csv row 3, column respondent_id: r01 differs from R01 (row 2) only in case; ids must differ in more than case"
    ]
    assert read_consents(study).consents["R01"].state == "consented"  # the first row stands


def test_review_rows_whose_ids_differ_only_in_case_are_refused(small_study: Study) -> None:
    study = with_rows(small_study, "reviews.csv", "respondent_id,decision,decided_on,note",
                      "R01,approved,2024-04-01,", "r01,declined,2024-04-02,")
    assert read_reviews(study).row_errors == [
        "reviews.csv row 3, column respondent_id: r01 differs from R01 (row 2) only in case; ids must differ in more than case"
    ]
    assert review_problems(study, {"R01"}) == read_reviews(study).row_errors


def test_a_returned_document_in_another_case_is_no_stray_file(small_study: Study) -> None:
    touch(small_study.root / "review" / "returned" / "r01.DOCX")
    touch(small_study.root / "review" / "returned" / "R09.docx")
    assert review_problems(small_study, {"R01"}) == [
        "review/returned/R09.docx: not named after a respondent in the recruitment log; name it <respondent id>.docx"
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("R01,2031-05-01,yes,yes,yes,no,", "consent.csv row 2, column consent_on: 2031-05-01 is in the future; check the date"),
        ("R01,2024-03-15,yes,yes,yes,no,02-06-2024",
         "consent.csv row 2, column withdrawn_on: 2024-06-02 is in the future; check the date"),
        ("R01,2024-03-15,yes,yes,yes,no,2024-03-14",
         "consent.csv row 2, column withdrawn_on: 2024-03-14 is before consent_on 2024-03-15; "
         "a respondent withdraws after consenting: correct whichever date is wrong"),
    ],
)
def test_consent_dates_in_the_future_or_out_of_order(
    small_study: Study, monkeypatch: pytest.MonkeyPatch, row: str, message: str
) -> None:
    monkeypatch.setattr(tasks.core.tables, "today", lambda: dt.date(2024, 6, 1))
    study = with_rows(small_study, "consent.csv", CONSENT_HEADER, row)
    assert read_consents(study).errors == {"R01": message}


def test_a_decision_dated_after_today_is_refused(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.core.tables, "today", lambda: dt.date(2024, 6, 1))
    study = with_rows(small_study, "reviews.csv", "respondent_id,decision,decided_on,note", "R01,approved,2024-06-01,",
                      "R02,approved,2024-06-02,")
    decision = decision_of(study, "R01")
    assert decision is not None and decision.decided_on == dt.date(2024, 6, 1)
    with pytest.raises(InputError) as caught:
        decision_of(study, "R02")
    assert caught.value.message == "reviews.csv row 3, column decided_on: 2024-06-02 is in the future; check the date"


def test_a_folder_listing_is_reused_only_while_the_folder_is_unchanged(tmp_path: Path) -> None:
    import os
    import time

    from tasks.core.catalog.listing import Listings

    folder = tmp_path / "codings"
    touch(folder / "R02.csv")
    listings = Listings()
    assert listings.by_stem(folder, "r02") == ["R02.csv"]
    assert folder not in listings.held  # changed within the last second: never trusted later
    settled = time.time_ns() - 5_000_000_000
    os.utime(folder, ns=(settled, settled))
    assert listings.by_stem(folder, "R02") == ["R02.csv"]
    assert listings.held[folder][0] == settled
    touch(folder / "r02.DOCX")  # a new file moves the folder's mtime: read again
    assert listings.by_stem(folder, "R02") == ["R02.csv", "r02.DOCX"]
    assert listings.by_stem(tmp_path / "missing", "R02") == []
