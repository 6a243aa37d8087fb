"""Two `run`s on one study: the lock serialises them and both succeed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tasks.core.study import Study

CLI = [sys.executable, "-c", "from flows.cli import main; main()"]


@pytest.mark.slow
def test_two_runs_are_serialised(small_study: Study) -> None:
    command = [*CLI, "run", "--study", str(small_study.root), "--until", "consent", "--wait", "300"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [process.communicate(timeout=600) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    ran = sorted(int(re.search(r"recruitment\s+ran\s+(\d+)", out).group(1)) for out, _ in outputs)  # type: ignore[union-attr]
    assert ran == [0, 3]  # one did the work; the other waited, then found nothing left to do
    manifests = sorted(p.name for p in (small_study.catalog.state_dir / "recruitment").iterdir())
    assert manifests == ["R01.json", "R02.json", "R03.json", "_study.json"]
    assert not [p for p in small_study.catalog.out.rglob(".*.tmp-*")]
