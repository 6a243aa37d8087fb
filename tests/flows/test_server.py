"""The study's background Prefect server and its warm runner: started once, found by later
commands (which the runner takes over), stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows.settings import running
from tasks.core.lock import study_lock
from tasks.core.study import Study

CLI = [sys.executable, "-c", "from flows.launch import main; main()"]  # the installed entry point
RUNNER_LINE = "run and aggregate are handed to its warm runner (Prefect and the stages already loaded)"
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
        assert started.stdout.splitlines() == [
            f"Prefect server started at {server.url} (stops after 5 idle minutes)",
            RUNNER_LINE,
        ]
        again = cli(study, "server", "start")
        assert again.stdout.splitlines()[0] == f"Prefect server already running at {server.url} (stops after 5 idle minutes)"
        assert cli(study, "server", "status").stdout.splitlines() == [f"Prefect server running at {server.url}", RUNNER_LINE]
        run = cli(study, "run", "--until", "consent")
        assert run.returncode == 0, run.stderr
        assert "Still processing items" not in run.stderr
        assert run.stdout.splitlines()[:2] == [
            "recruitment       ran   3, skipped   0   3 done",
            "consent           ran   3, skipped   0   3 done",
        ]
        assert handed_over(study) == ["run ran in the study's warm runner (exit 0)"]
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


def handed_over(study: Path) -> list[str]:
    """The commands the study's warm runner ran, as its log says (process and seconds left out)."""
    log = (study / "out" / "logs" / "pipeline.log").read_text(encoding="utf-8")
    lines = [line.split("interview_study: ", 1)[1] for line in log.splitlines() if "warm runner" in line]
    return [line.split(" (process")[0] + " (exit" + line.rsplit("exit", 1)[1] for line in lines]


@pytest.mark.slow
def test_the_warm_runner_speaks_through_the_callers_terminal_and_passes_on_ctrl_c(tmp_path: Path) -> None:
    """What a handed-over command prints, its exit code and an interrupt reach the caller as if the
    command ran in the caller's own process."""
    study = tmp_path / "study"
    shutil.copytree(TINY, study)
    try:
        assert cli(study, "server", "start").stdout.splitlines()[1] == RUNNER_LINE
        wrong = cli(study, "run", "--until", "everything")
        assert (wrong.returncode, wrong.stdout) == (1, "")
        assert wrong.stderr.splitlines() == [
            "error: --until: unknown stage 'everything'; use one of recruitment, consent, transcription, review, "
            "open_coding, axial_coding, selective_coding, aggregation"
        ]
        env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
        with study_lock(Study.at(study), 0):  # the handed-over run waits for the study's lock ...
            waiting = subprocess.Popen(
                [*CLI, "run", "--until", "consent", "--wait", "120", "--study", str(study)],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            time.sleep(3)
            waiting.send_signal(signal.SIGINT)  # ... and Ctrl+C in the caller's terminal stops it
            _, stderr = waiting.communicate(timeout=60)
        assert (waiting.returncode, stderr) == (130, "")  # as a command interrupted in its own process
    finally:
        cli(study, "server", "stop")
    assert handed_over(study) == [
        "run ran in the study's warm runner (exit 1)",
        "run ran in the study's warm runner (exit 130)",
    ]
