"""Scale-out: per-respondent flow runs on a work pool, picked up by two real process workers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.pool import respondent_results, stamps
from flows.respondent import stages_until
from flows.stages import open_study
from tasks.core.errors import InputError
from tasks.core.manifest import manifest_path
from tasks.protocol import execute_respondent
from tasks.status import study_status
from tasks.core.study import Study

PREFECT = str(Path(sys.executable).parent / "prefect")
CLI = [sys.executable, "-c", "from flows.cli import main; main()"]


def test_stages_until() -> None:
    assert stages_until("consent") == ("recruitment", "consent")
    assert stages_until("aggregation") == ("recruitment", "consent", "transcription", "review", "open_coding")
    with pytest.raises(InputError) as error:
        stages_until("coding")
    assert error.value.message.startswith("until: unknown stage 'coding'; use one of recruitment, consent, ")


def test_results_are_read_back_from_the_manifests(small_study: Study) -> None:
    ids, stages = ["R01", "R02", "R03"], ("recruitment", "consent")
    before = stamps(small_study, ids, stages)
    assert set(before.values()) == {None}
    for rid in ids:
        for stage in stages:
            execute_respondent(small_study, stage, rid)
    first = respondent_results(open_study(str(small_study.root), fresh=True), ids, stages, before, {})
    assert [(r["respondent_id"], r["stage"], r["status"], r["ran"], r["reused"]) for r in first] == [
        ("R01", "recruitment", "done", True, False),
        ("R01", "consent", "done", True, False),
        ("R02", "recruitment", "done", True, False),
        ("R02", "consent", "excluded", True, False),
        ("R03", "recruitment", "done", True, False),
        ("R03", "consent", "waiting", True, False),
    ]
    manifest_path(small_study, "consent", "R03").unlink()  # as if R03's flow run crashed before consent
    again = stamps(small_study, ids, stages)
    crashed = respondent_results(
        open_study(str(small_study.root), fresh=True), ids, stages, again, {"R03": "CRASHED"}
    )
    assert [(r["status"], r["ran"], r["reused"]) for r in crashed] == [
        ("done", False, True),
        ("done", False, True),
        ("done", False, True),
        ("excluded", False, True),
        ("done", False, True),
        ("failed", False, False),
    ]


@pytest.mark.usefixtures("prefect_harness")
def test_respondent_flow_runs_one_respondent(small_study: Study) -> None:
    from flows.respondent import respondent_pipeline
    from flows.study import without_heartbeat

    with without_heartbeat():
        results = respondent_pipeline(str(small_study.root), "R02", until="aggregation")
    assert [(r["stage"], r["status"]) for r in results] == [
        ("recruitment", "done"),
        ("consent", "excluded"),
        ("transcription", "excluded"),
        ("review", "excluded"),
        ("open_coding", "excluded"),
    ]


@pytest.mark.usefixtures("prefect_harness")
def test_deployment_on_the_pool_and_cancel_on_interrupt(
    small_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client

    from flows import pool

    name, online = pool.deploy_respondents("unit-pool")
    assert (name, online) == ("interview-study-respondent/unit-pool", 0)
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(name)
        assert client.read_work_pool("unit-pool").type == "process"
    assert (deployment.entrypoint, deployment.work_pool_name, deployment.pull_steps) == (
        "flows.respondent.respondent_pipeline",
        "unit-pool",
        [],
    )
    assert deployment.job_variables == {"env": pool.worker_environment()}
    assert deployment.job_variables["env"]["PREFECT_LOGGING_TO_API_ENABLED"] == "false"
    runs = pool.submit(name, str(small_study.root), ["R01", "R03"], "consent", False)

    def interrupt() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pool, "_pause", interrupt)
    with pytest.raises(KeyboardInterrupt):
        pool.wait_for(runs)
    with get_client(sync_client=True) as client:
        flow_runs = [client.read_flow_run(run_id) for run_id in runs.values()]
    assert [(run.name, run.parameters, run.state_type.value) for run in flow_runs] == [  # type: ignore[union-attr]
        (
            "respondent-R01",
            {"study_dir": str(small_study.root), "respondent_id": "R01", "until": "consent", "force": False},
            "CANCELLED",
        ),
        (
            "respondent-R03",
            {"study_dir": str(small_study.root), "respondent_id": "R03", "until": "consent", "force": False},
            "CANCELLED",
        ),
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the process group this test started (the worker's flow-run children included)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real `prefect server start` on a free loopback port, its state in a temporary PREFECT_HOME."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"})
    env.update({"PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_TO_API_ENABLED": "false"})
    log = (home / "server.log").open("wb")
    command = [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(url, process, timeout=180)
        yield {**env, "PREFECT_API_URL": url}
    finally:
        _stop(process)
        log.close()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "prefect server start exited early"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no Prefect server at {url} after {timeout} s")


@pytest.fixture
def workers(server: dict[str, str], tmp_path: Path) -> Iterator[list[Path]]:
    """Two process workers on pool `test-pool`, polling every second."""
    env = {**server, "PREFECT_WORKER_QUERY_SECONDS": "1"}
    processes, logs = [], []
    for name in ("worker-1", "worker-2"):
        path = tmp_path / f"{name}.log"
        logs.append(path)
        command = [PREFECT, "worker", "start", "--pool", "test-pool", "--type", "process", "--name", name]
        with path.open("wb") as log:
            processes.append(
                subprocess.Popen(
                    command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            )
    try:
        _wait_for_workers(server, 2, timeout=120)
        yield logs
    finally:
        for process in processes:
            _stop(process)


def _run(study: Study, env: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    command = [*CLI, "run", "--study", str(study.root), "--until", "consent", *options]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_work_pool_needs_a_server(small_study: Study) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    result = _run(small_study, env, "--work-pool", "test-pool")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: PREFECT_API_URL is not set: schedules and work pools need a running Prefect server;"
    )
    assert not (small_study.catalog.out / ".state" / "consent").exists()


@pytest.mark.slow
def test_respondents_run_on_two_workers(
    small_study: Study, server: dict[str, str], workers: list[Path], personal: tuple[str, ...]
) -> None:
    result = _run(small_study, server, "--work-pool", "test-pool")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[:2] == [
        "recruitment       ran   3, skipped   0   3 done",
        "consent           ran   3, skipped   0   1 done, 1 waiting, 1 excluded",
    ]
    consent = study_status(Study.at(small_study.root), "consent")
    assert [(row.respondent_id, row.status) for row in consent] == [
        ("R01", "done"),
        ("R02", "excluded"),
        ("R03", "waiting"),
    ]
    runs = _flow_runs(server)
    respondents = sorted(run["name"] for run in runs if run["name"].startswith("respondent-"))
    assert respondents == ["respondent-R01", "respondent-R02", "respondent-R03"]
    assert {run["state_type"] for run in runs} == {"COMPLETED"}
    assert not [word for word in personal if word in json.dumps(runs)]
    again = _run(small_study, server, "--work-pool", "test-pool")
    assert again.stdout.splitlines()[:2] == [
        "recruitment       ran   0, skipped   3   3 done",
        "consent           ran   0, skipped   3   1 done, 1 waiting, 1 excluded",
    ]


@pytest.mark.slow
def test_the_pool_gets_only_respondents_with_work(
    small_study: Study, server: dict[str, str], workers: list[Path]
) -> None:
    first = _run(small_study, server, "--work-pool", "test-pool", "--max-in-flight", "2")
    assert first.returncode == 0, first.stderr
    submitted = [run["name"] for run in _flow_runs(server) if str(run["name"]).startswith("respondent-")]
    recruitment = small_study.catalog.recruitment_file  # R02's interview turns out to have been online
    text = recruitment.read_text(encoding="utf-8")
    recruitment.write_text(text.replace("2024-03-20,in_person,small", "2024-03-20,online,small"), encoding="utf-8")
    second = _run(small_study, server, "--work-pool", "test-pool")
    assert second.returncode == 0, second.stderr
    after = [run["name"] for run in _flow_runs(server) if str(run["name"]).startswith("respondent-")]
    assert sorted(after) == sorted([*submitted, "respondent-R02"])  # exactly one more flow run: R02's
    assert second.stdout.splitlines()[0] == "recruitment       ran   1, skipped   2   3 done"


def _api(env: dict[str, str], path: str, body: dict[str, object]) -> list[dict[str, object]]:
    """POST to the server's REST API (a filter endpoint) and return the JSON list it answers."""
    request = urllib.request.Request(
        f"{env['PREFECT_API_URL']}/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: list[dict[str, object]] = json.loads(response.read())
    return answer


def _flow_runs(env: dict[str, str]) -> list[dict[str, object]]:
    return _api(env, "flow_runs/filter", {})


def _wait_for_workers(env: dict[str, str], count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            online = [
                w for w in _api(env, "work_pools/test-pool/workers/filter", {}) if w.get("status") == "ONLINE"
            ]
        except OSError:  # the pool does not exist until the first worker creates it
            online = []
        if len(online) >= count:
            return
        time.sleep(0.5)
    raise AssertionError(f"{count} workers did not come online in {timeout} s")
