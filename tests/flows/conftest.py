"""Fixtures for the flow tests: a Prefect test API (shared per session) and a tiny study folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tasks.core.scaffold import create_study

RECRUITS = """\
R01,linkedin,2024-01-05,yes,2024-01-20,online,small,manager,Anna de Vries,anna@example.org,Gemeente Aa
R02,network,2024-01-06,yes,2024-01-21,in_person,large,manager,Bert Jansen,bert@example.org,Gemeente Bb
R03,network,2024-01-07,yes,,online,medium,manager,Carla Smit,carla@example.org,Gemeente Cc
"""
CONSENTS = """\
R01,2024-01-15,yes,yes,yes,no,
R02,2024-01-16,no,no,no,no,
"""
PERSONAL = ("Anna", "Bert", "Carla", "Vries", "Jansen", "Smit", "example.org", "Gemeente")


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """Prefect's test harness, unless a session-wide one (tests/conftest.py) is already active."""
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def write_tiny_study(root: Path) -> Path:
    """Three respondents: R01 consented, R02 refused, R03 not interviewed yet (consent waits)."""
    create_study(root)
    with (root / "recruitment.csv").open("a", encoding="utf-8") as file:
        file.write(RECRUITS)
    with (root / "consent.csv").open("a", encoding="utf-8") as file:
        file.write(CONSENTS)
    return root


@pytest.fixture
def tiny_study(tmp_path: Path) -> Path:
    return write_tiny_study(tmp_path / "study")
