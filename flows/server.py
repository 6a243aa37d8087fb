"""A study's own Prefect server, kept running in the background between commands.

Every command that starts a flow otherwise pays for a temporary server (seconds, more under load).
`interview-study server start` starts `prefect server start` for the study (its state in the
study's .prefect/, on a free loopback port) under a small supervisor that stops it after an idle
time; later commands find it in .prefect/server.json and connect at once. A user's own
PREFECT_API_URL always wins.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from flows.settings import Server, healthy, prefect_environment, running, touch
from tasks.core.catalog import Catalog
from tasks.core.errors import InputError

CHECK_SECONDS = 1.0
RUNNER_TIMEOUT = 60.0
START_TIMEOUT = 120.0


def start(study_root: Path, idle_minutes: float = 30.0) -> tuple[Server, bool]:
    """Start the study's server unless it runs; returns it and whether it was started now."""
    found = running(study_root)
    if found is not None:
        touch(study_root)
        return found, False
    catalog = Catalog(study_root)
    catalog.prefect_home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    command = [sys.executable, "-m", "flows.server", str(study_root), str(port), str(idle_minutes)]
    with open(catalog.server_log, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=_environment(study_root)
        )
    server = Server(process.pid, port, idle_minutes)
    deadline = time.monotonic() + START_TIMEOUT
    while not healthy(server.url, timeout=1.0):
        if process.poll() is not None or time.monotonic() > deadline:
            _end(process.pid)
            raise InputError(
                f"the study's Prefect server did not start; see {catalog.relative(catalog.server_log)}"
            )
        time.sleep(0.3)
    catalog.server_file.write_text(
        json.dumps({"pid": server.pid, "port": port, "idle_minutes": idle_minutes}), encoding="utf-8"
    )
    runner_up(study_root, RUNNER_TIMEOUT)
    return server, True


def runner_up(study_root: Path, timeout: float = 0.0) -> bool:
    """Whether the study's warm runner takes commands (waiting up to `timeout` seconds for it)."""
    if os.name != "posix":
        return False
    path = Catalog(study_root).runner_socket
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(path))
                return True
            except OSError:
                pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def stop(study_root: Path) -> bool:
    """Stop the study's server; False when none was running."""
    path = Catalog(study_root).server_file
    server = running(study_root)
    path.unlink(missing_ok=True)
    if server is None:
        return False
    _end(server.pid)
    return True


def _environment(study_root: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env.update(prefect_environment(study_root))
    env["PREFECT_HOME"] = str(Catalog(study_root).prefect_home)
    return env


def _end(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except OSError:
        return
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def supervise(study_root: Path, port: int, idle_minutes: float) -> int:
    """Run `prefect server start` and the study's warm runner (flows/runner.py), and stop both once
    server.json was not touched for `idle_minutes` (or was removed by `server stop`)."""
    prefect = str(Path(sys.executable).parent / "prefect")
    child = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"])
    runner = Runner(study_root, port)
    state = Catalog(study_root).server_file
    stopping = False

    def on_term(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    started = time.time()
    while child.poll() is None and not stopping:
        time.sleep(CHECK_SECONDS)
        runner.keep_up()
        try:
            last = state.stat().st_mtime
        except FileNotFoundError:
            if time.time() - started > START_TIMEOUT:
                break  # stopped (or never recorded)
            continue
        if time.time() - last > idle_minutes * 60:
            break
    runner.stop()
    child.terminate()
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
    return 0


class Runner:
    """The study's warm runner, started once the server answers and again when it exits (it does
    when its code changed on disk); given up after it failed three times in a row."""

    def __init__(self, study_root: Path, port: int) -> None:
        self.study_root = study_root
        self.env = {**_environment(study_root), "PREFECT_API_URL": Server(0, port, 0).url}
        self.process: subprocess.Popen[bytes] | None = None
        self.failures = 0

    def keep_up(self) -> None:
        if os.name != "posix" or self.failures >= 3:
            return
        if self.process is not None:
            code = self.process.poll()
            if code is None:
                return
            self.failures = self.failures + 1 if code else 0
            self.process = None
        if not healthy(self.env["PREFECT_API_URL"], timeout=1.0):
            return
        command = [sys.executable, "-m", "flows.runner", str(self.study_root)]
        self.process = subprocess.Popen(command, env=self.env)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


if __name__ == "__main__":
    sys.exit(supervise(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
