"""Prefect's environment for a study: state inside the study folder, no telemetry, no log upload.

Called before `prefect` is imported, because Prefect reads part of its settings at import.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tasks.core.catalog import Catalog
from tasks.core.errors import InputError

SQLITE_HEADER = b"SQLite format 3\x00"

# Privacy and telemetry: always enforced, whatever the user's environment says.
FORCED = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_TASKS_DEFAULT_PERSIST_RESULT": "false",
}


def prefect_environment(study_root: Path) -> dict[str, str]:
    home = study_root / ".prefect"
    return {
        "PREFECT_HOME": str(home),
        "PREFECT_LOCAL_STORAGE_PATH": str(home / "storage"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        # The console shows our own summary; Prefect's per-task lines would drown it.
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_SERVER_LEVEL": "CRITICAL",
        **FORCED,
    }


def configure(study_root: Path) -> None:
    """Point Prefect at the study's own state unless the user chose a home or server themselves."""
    for key, value in prefect_environment(study_root).items():
        if key in FORCED:
            os.environ[key] = value
        else:
            os.environ.setdefault(key, value)
    if "PREFECT_API_URL" not in os.environ:
        server = running(study_root)  # the study's own background server, when one runs
        if server is not None:
            os.environ["PREFECT_API_URL"] = server.url
            touch(study_root)
    from prefect.settings import PREFECT_API_URL  # after the environment above: Prefect reads it at import

    # "Still processing items" while Prefect flushes its events at exit is not the user's concern
    logging.getLogger("EventsWorker").setLevel(logging.ERROR)

    url = PREFECT_API_URL.value()
    if url:
        check_server(str(url))
    elif "PREFECT_API_DATABASE_CONNECTION_URL" not in os.environ:
        check_database(Path(os.environ["PREFECT_HOME"]) / "prefect.db", study_root)


def check_server(url: str, timeout: float = 3.0) -> None:
    """A configured server that does not answer is said at once, not after Prefect's retries."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=timeout) as response:
            if response.status == 200:
                return
    except (OSError, ValueError):
        pass
    raise InputError(
        f"cannot reach the Prefect server at {url}; start it with 'prefect server start' "
        "or unset PREFECT_API_URL to use a temporary one"
    )


def check_database(path: Path, study_root: Path) -> None:
    """Refuse a damaged Prefect database at once, saying what to do (Prefect itself would wait for
    its server for minutes and then fail with a traceback). Only run history lives there."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except FileNotFoundError:
        return
    problem = None if header in (b"", SQLITE_HEADER) else "is not an SQLite database"
    if problem is None and header:
        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
                if connection.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                    problem = "is damaged"
        except sqlite3.DatabaseError:
            problem = "is damaged"
    if problem is not None:
        shown = path.relative_to(study_root) if path.is_relative_to(study_root) else path
        raise InputError(
            f"{shown}: the Prefect database {problem}; rename it (e.g. to prefect.db.broken) and run again: "
            "only the run history is lost, the study's outputs stay"
        )


# the study's background server (flows/server.py starts and stops it) -----------------------
@dataclass(frozen=True)
class Server:
    pid: int  # the supervisor's
    port: int
    idle_minutes: float

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


def running(study_root: Path) -> Server | None:
    """The study's background server when it is up and answering, else None (reads only)."""
    path = Catalog(study_root).server_file
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        server = Server(int(data["pid"]), int(data["port"]), float(data["idle_minutes"]))
        os.kill(server.pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return server if healthy(server.url, timeout=1.0) else None


def touch(study_root: Path) -> None:
    """Mark the server as used now (its idle clock starts again)."""
    try:
        os.utime(Catalog(study_root).server_file)
    except OSError:
        pass


def healthy(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, ValueError):
        return False


