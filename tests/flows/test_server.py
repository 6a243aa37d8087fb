"""The study's background Prefect server: started once, found by later commands, stopped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from flows.settings import running

CLI = [sys.executable, "-c", "from flows.cli import main; main()"]
TINY = Path(__file__).resolve().parents[1] / "data" / "tiny_study"


def cli(study: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    return subprocess.run([*CLI, *args, "--study", str(study)], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_start_find_and_stop_the_study_server(tmp_path: Path) -> None:
    study = tmp_path / "study"
    shutil.copytree(TINY, study)
    try:
        started = cli(study, "server", "start", "--idle-minutes", "5")
        assert started.returncode == 0, started.stderr
        server = running(study)
        assert server is not None
        assert started.stdout.strip() == f"Prefect server started at {server.url} (stops after 5 idle minutes)"
        again = cli(study, "server", "start")
        assert again.stdout.strip() == f"Prefect server already running at {server.url} (stops after 5 idle minutes)"
        assert cli(study, "server", "status").stdout.strip() == f"Prefect server running at {server.url}"
        run = cli(study, "run", "--until", "consent")
        assert run.returncode == 0, run.stderr
        assert "Still processing items" not in run.stderr
        request = urllib.request.Request(
            f"{server.url}/flow_runs/filter", data=b"{}", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            names = [flow_run["name"] for flow_run in json.loads(response.read())]
        assert names == ["study-run"]  # the run went through the study's server, not a temporary one
    finally:
        stopped = cli(study, "server", "stop")
    assert stopped.stdout.strip() == "Prefect server stopped"
    assert running(study) is None
    assert cli(study, "server", "status").stdout.strip() == "no Prefect server running"
    assert not (study / ".prefect" / "server.json").exists()
