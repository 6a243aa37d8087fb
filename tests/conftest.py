"""Shared fixtures: a tiny study folder on disk, and one Prefect test harness per session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Prefect reads part of its settings at import: set the study's privacy settings first.
from flows.settings import FORCED

os.environ.update(FORCED)
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="interview-study-prefect-"))
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["PREFECT_LOGGING_SERVER_LEVEL"] = "CRITICAL"

from tasks.core.study import Study  # noqa: E402
from tests.helpers import write_study  # noqa: E402

@pytest.fixture
def small_study(tmp_path: Path) -> Study:
    """Three respondents in three states: consented, refused transcription, no consent row yet."""
    return write_study(
        tmp_path / "study",
        [
            "R01,linkedin,2024-03-01,yes,2024-03-15,online,large,allround,Jan Jansen,jan@voorbeeld.invalid,Gemeente A",
            "R02,municipality_email,2024-03-02,yes,2024-03-20,in_person,small,wmo,Piet Pieters,piet@voorbeeld.invalid,Gemeente B",
            "R03,network,2024-03-02,yes,,,medium,jeugd,Kees Klaassen,kees@voorbeeld.invalid,Gemeente C",
            "C01,network,2024-03-04,no,,,large,,Anna Ananas,anna@voorbeeld.invalid,Gemeente D",
        ],
        [
            "R01,2024-03-15,yes,yes,yes,no,",
            "R02,2024-03-20,yes,no,yes,no,",
        ],
    )


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for every flow test of the session (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
