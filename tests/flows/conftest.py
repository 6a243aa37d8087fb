"""Fixtures for the flow tests of scheduling, artifacts and work pools (see tests/conftest.py too)."""

from __future__ import annotations

import pytest

# The personal columns of `small_study` (tests/conftest.py): none of these may reach Prefect.
PERSONAL = ("Jan", "Jansen", "Piet", "Kees", "Klaassen", "Anna", "voorbeeld.invalid", "Gemeente")


@pytest.fixture
def personal() -> tuple[str, ...]:
    return PERSONAL
