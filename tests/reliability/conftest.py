"""The reference study of the reliability suite, run once per session and copied by each test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


@pytest.fixture(scope="session")
def prefect_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty Prefect database with every migration applied: a study given a copy starts its
    first flow without creating one (tens of seconds on a busy machine)."""
    home = tmp_path_factory.mktemp("prefect-home")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    create = "import asyncio\nfrom prefect.server.database import provide_database_interface\n"
    create += "asyncio.run(provide_database_interface().create_db())\n"
    subprocess.run([sys.executable, "-c", create], env={**environment, "PREFECT_HOME": str(home)}, check=True, timeout=600)
    return home / "prefect.db"


@pytest.fixture
def copied(reference: Path, prefect_db: Path, tmp_path: Path) -> Path:
    """A copy of the reference study with a Prefect database of its own, for the command as a process."""
    root = tmp_path / "study"
    shutil.copytree(reference, root)
    (root / ".prefect").mkdir()
    shutil.copyfile(prefect_db, root / ".prefect" / "prefect.db")
    return root
