"""Fixtures for the flow tests of scheduling, artifacts and work pools (see tests/conftest.py too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.core.study import Study
from tests.helpers import write_study
from tests.tasks.review_fixtures import CONSENT, RECRUITMENT, install_fake_transcription

# The personal columns of `small_study` (tests/conftest.py): none of these may reach Prefect.
PERSONAL = ("Jan", "Jansen", "Piet", "Kees", "Klaassen", "Anna", "voorbeeld.invalid", "Gemeente")


@pytest.fixture
def personal() -> tuple[str, ...]:
    return PERSONAL


@pytest.fixture
def coded_study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Study:
    """Three consented respondents, each approved and coded, so that a run goes all the way to the
    report; transcription is a stand-in (tests/tasks/review_fixtures.py) that never opens audio."""
    install_fake_transcription(monkeypatch)
    root = tmp_path / "study"
    write_study(root, RECRUITMENT, CONSENT)
    reviews = "".join(f"{rid},approved,2024-04-01,\n" for rid in ("R01", "R02", "R03"))
    (root / "reviews.csv").write_text("respondent_id,decision,decided_on,note\n" + reviews, encoding="utf-8")
    for rid in ("R01", "R02", "R03"):
        (root / "codings" / f"{rid}.csv").write_text(f"segment_id,code,coder\n{rid}-0003,example_code,AB\n", encoding="utf-8")
    return Study.at(root)
