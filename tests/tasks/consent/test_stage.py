"""Consent stage: what each respondent agreed to, and who is excluded and why."""

from __future__ import annotations

import pytest

from tasks.consent import REPORT
from tasks.core.catalog.consent import consent_of, may_process, read_consents, withdrawn_ids
from tasks.protocol import execute_report, execute_respondent, respondent_statuses
from tasks.core.study import Study
from tests.helpers import CONSENT_HEADER


def with_consent(study: Study, *rows: str) -> Study:
    (study.root / "consent.csv").write_text("\n".join([CONSENT_HEADER, *rows]) + "\n", encoding="utf-8")
    return Study.at(study.root)


def run_consent(study: Study, rid: str) -> tuple[str, str]:
    execute_respondent(study, "recruitment", rid)
    manifest = execute_respondent(study, "consent", rid)
    return manifest.status, manifest.detail


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("R01,2024-03-15,yes,yes,yes,no,", ("done", "consented: recording, transcription, quotes")),
        ("R01,2024-03-15,ja,ja,nee,ja,", ("done", "consented: recording, transcription, anonymize")),
        ("R01,2024-03-15,yes,no,yes,no,", ("excluded", "no consent for transcription")),
        ("R01,2024-03-15,no,no,no,no,", ("excluded", "no consent for recording and transcription")),
        ("R01,2024-03-15,yes,yes,yes,no,2024-04-01", ("excluded", "withdrawn on 2024-04-01")),
        (
            "R01,2024-03-15,yes,yes,,no,",
            ("waiting", "researcher: consent.csv is incomplete for R01 (quotes empty); fill it in"),
        ),
        (
            "R01,,yes,yes,yes,,",
            ("waiting", "researcher: consent.csv is incomplete for R01 (consent_on, anonymize empty); fill it in"),
        ),
        (
            "R01,2024-03-15,yes,perhaps,yes,no,",
            ("failed", "consent.csv row 2, column transcription: 'perhaps' is not yes or no; write yes or no"),
        ),
        (
            "R01,2024-03-15,yes,yes,yes,no,2024-03-01",
            ("failed", ("consent.csv row 2, column withdrawn_on: 2024-03-01 is before consent_on 2024-03-15; "
                        "a respondent withdraws after consenting: correct whichever date is wrong")),
        ),
        (
            "R01,15 maart,yes,yes,yes,no,",
            ("failed", "consent.csv row 2, column consent_on: '15 maart' is not a date; write it as 2024-01-31"),
        ),
    ],
)
def test_consent_states(small_study: Study, row: str, expected: tuple[str, str]) -> None:
    assert run_consent(with_consent(small_study, row), "R01") == expected


def test_missing_row_waits_for_the_researcher(small_study: Study) -> None:
    assert run_consent(small_study, "R03") == (
        "waiting",
        "researcher: no consent recorded; add a row for R03 to consent.csv once signed",
    )


def test_missing_file_is_missing_consent_for_everyone(small_study: Study) -> None:
    (small_study.root / "consent.csv").unlink()
    study = Study.at(small_study.root)
    assert run_consent(study, "R01")[0] == "waiting"
    assert not may_process(study, "R01")


def test_duplicate_rows_fail_that_respondent_only(small_study: Study) -> None:
    study = with_consent(small_study, "R01,2024-03-15,yes,yes,yes,no,", "R01,2024-03-16,yes,yes,yes,no,",
                         "R03,2024-03-15,yes,yes,yes,no,")
    assert run_consent(study, "R01") == (
        "failed",
        "consent.csv row 3, column respondent_id: R01 appears twice; keep one row",
    )
    assert run_consent(study, "R03")[0] == "done"


def test_later_stages_are_excluded_with_the_reason(small_study: Study) -> None:
    run_consent(small_study, "R02")
    statuses = respondent_statuses(small_study, "R02")
    assert [(s.stage, s.status, s.detail) for s in statuses[1:3]] == [
        ("consent", "excluded", "no consent for transcription"),
        ("transcription", "excluded", "no consent for transcription"),
    ]


def test_permissions_and_withdrawn_set(small_study: Study) -> None:
    study = with_consent(small_study, "R01,2024-03-15,yes,yes,no,yes,", "R02,2024-03-15,yes,yes,yes,no,2024-05-01")
    consent = consent_of(study, "R01")
    assert consent is not None
    assert (consent.quotes, consent.anonymize, consent.state) == (False, True, "consented")
    assert may_process(study, "R01") and not may_process(study, "R02")
    assert withdrawn_ids(study) == {"R02"}
    assert read_consents(study).row_errors == []


def test_overview_leaves_withdrawn_out(small_study: Study) -> None:
    study = with_consent(small_study, "R01,2024-03-15,yes,yes,no,yes,", "R02,2024-03-15,yes,yes,yes,no,2024-05-01")
    execute_report(study, REPORT)
    text = (study.catalog.stage_dir("consent") / "consent.csv").read_text(encoding="utf-8")
    assert text == (
        "respondent_id,state,consent_on,recording,transcription,quotes,anonymize\n"
        "R01,consented,2024-03-15,yes,yes,no,yes\n"
        "R03,missing,,,,,\n"
    )
