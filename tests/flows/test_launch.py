"""The entry point's hand-over to the study's warm runner: what it hands over, and what it never loads."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from flows import launch, runner


@pytest.mark.parametrize(
    ("options", "folder"),
    [
        ([], "."),
        (["--study", "/data/my study"], "/data/my study"),
        (["--until", "consent", "--study=../s"], "../s"),
        (["-r", "R01", "--", "--study", "x"], "."),
    ],
)
def test_the_study_folder_is_read_as_the_command_line_reads_it(options: list[str], folder: str) -> None:
    assert launch.study_folder(options) == folder


def test_only_flow_commands_without_settings_of_the_users_own_are_handed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [key for key in os.environ if key.startswith("PREFECT_")]:
        monkeypatch.delenv(key)
    study = str(tmp_path)
    assert launch.handed_over(["status", "--study", study]) is None  # not a flow command
    assert launch.handed_over(["run", "--study", study]) is None  # no runner for this study
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert launch.handed_over(["run", "--study", study]) is None  # the user's server wins: run here


def test_the_entry_point_loads_neither_typer_nor_prefect_before_it_knows_it_must() -> None:
    code = "import sys, flows.launch; print(sorted(m for m in ('typer', 'rich', 'prefect', 'pandas', 'pydantic') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_runner_sees_a_module_changed_or_removed_after_it_started(tmp_path: Path) -> None:
    source = tmp_path / "edited.py"
    source.write_text("x = 1\n", encoding="utf-8")
    os.utime(source, (time.time() - 60, time.time() - 60))
    module = types.ModuleType("edited")
    module.__file__ = str(source)
    started = time.time()
    assert runner.stale(started, [module, types.ModuleType("built_in_without_a_file")]) is False
    os.utime(source, (started + 5, started + 5))
    assert runner.stale(started, [module]) is True
    source.unlink()
    assert runner.stale(started, [module]) is True
