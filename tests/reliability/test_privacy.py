"""Privacy as the commands give it (issue 14, classes 1 and 5), with the other respondents' hashes
and no marker in out/, the logs or Prefect's database: a withdrawal recorded by hand, then `run`,
removes what `interview-study withdraw` removes; a respondent who asked for anonymity is quoted
without the variants of their names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reliability.contained import DONE, assert_contained, digests, personal_data


def withdrawn_by_hand(root: Path, rid: str, day: str) -> None:
    path = root / "consent.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line + day if line.startswith(f"{rid},") and line.endswith(",") else line for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_withdrawal_by_hand_removes_what_the_command_removes(reference: Path, copied: Path, tmp_path: Path) -> None:
    withdrawn_by_hand(copied, "R02", "2022-03-05")
    assert_contained(copied, "run", code=DONE, others=("R01", "R03"), markers=[*personal_data(copied), "R02-0"])
    by_hand = digests(copied / "out", ["R02"])

    commanded = tmp_path / "commanded"
    shutil.copytree(reference, commanded)
    assert_contained(commanded, "withdraw", "R02", "--date", "2022-03-05", code=DONE, others=("R01", "R03"),
                     markers=personal_data(commanded))
    assert (commanded / "consent.csv").read_text(encoding="utf-8") == (copied / "consent.csv").read_text(encoding="utf-8")
    assert sorted(by_hand) == sorted(digests(commanded / "out", ["R02"]))


def test_a_respondent_who_asked_for_anonymity_is_quoted_without_names(copied: Path) -> None:
    """Issue 14, class 1, as the command: a title before a name part, the town's adjective and a
    possessive of the respondent's own name and municipality reach no published result."""
    from tasks.core.study import Study
    from tasks.protocol import execute_respondent
    from tests.reliability.contained import NAME, hits
    from tests.tasks.review_fixtures import WordEdit

    said = "Mevrouw Persoon van Gemeente Verzinveen vond de Verzinveense aanpak goed, zei Bravos collega."
    consent = copied / "consent.csv"
    consent.write_text(consent.read_text(encoding="utf-8").replace("R02,2022-02-03,yes,yes,yes,no,",
                                                                   "R02,2022-02-03,yes,yes,yes,yes,"), encoding="utf-8")
    reviews = copied / "reviews.csv"
    text = reviews.read_text(encoding="utf-8")
    (copied / "out" / "04_review" / "approved" / "R02.json").unlink()
    reviews.write_text(text.replace("R02,approved,2022-03-01,", "R02,,,"), encoding="utf-8")
    execute_respondent(Study.at(copied), "consent", "R02")
    execute_respondent(Study.at(copied), "review", "R02")  # the review document goes out to R02
    study = Study.at(copied)
    WordEdit(study.catalog.outbox("R02"), author=NAME).retype("R02-0001", said).save(study.catalog.returned_review("R02"))
    reviews.write_text(text.replace("R02,approved,", "R02,approved_with_changes,"), encoding="utf-8")
    assert_contained(
        copied, "run", code=DONE, others=("R01", "R03"), markers=[*personal_data(copied, ["R01", "R03"]), NAME],
        private=[*personal_data(copied, ["R02"]), said[:40]],  # R02's name is on their own review document only
    )
    quotes = (copied / "out" / "results" / "quotes.csv").read_text(encoding="utf-8")
    assert "R02-0001" in quotes, quotes
    review_list = "pseudonymisation_review.csv"  # the researcher's list of what was replaced: names, by design
    published = [p for p in (copied / "out" / "results").iterdir() if p.is_file() and p.name != review_list]
    assert published
    assert [hit for path in published for hit in hits(path, ["Mevrouw Persoon", "Verzinveen", "Bravo"])] == []
