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

CHECK_SECONDS = 5.0
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
    return server, True


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
    """Run `prefect server start` and stop it once server.json was not touched for `idle_minutes`
    (or was removed by `server stop`)."""
    prefect = str(Path(sys.executable).parent / "prefect")
    child = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"])
    state = Catalog(study_root).server_file
    stopping = False

    def on_term(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    started = time.time()
    while child.poll() is None and not stopping:
        time.sleep(CHECK_SECONDS)
        try:
            last = state.stat().st_mtime
        except FileNotFoundError:
            if time.time() - started > START_TIMEOUT:
                break  # stopped (or never recorded)
            continue
        if time.time() - last > idle_minutes * 60:
            break
    child.terminate()
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
    return 0


if __name__ == "__main__":
    sys.exit(supervise(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
