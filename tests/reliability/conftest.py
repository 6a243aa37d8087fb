"""The reference study of the reliability suite, run once per session and copied by each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_plain, tiny_complete_study


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny study that every stage has run over, uninterrupted (never modified: tests copy it)."""
    root = tmp_path_factory.mktemp("reliability") / "reference"
    tiny_complete_study(root)
    run_plain(root)
    return root
