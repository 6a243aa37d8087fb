"""Prefect's database of a study: a damaged one is named at once, with what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flows.settings import check_database
from tasks.core.errors import InputError

MESSAGE = (
    ".prefect/prefect.db: the Prefect database {problem}; rename it (e.g. to prefect.db.broken) and run again: "
    "only the run history is lost, the study's outputs stay"
)


def test_no_database_yet_and_a_good_one_pass(tmp_path: Path) -> None:
    path = tmp_path / ".prefect" / "prefect.db"
    check_database(path, tmp_path)
    path.parent.mkdir()
    with sqlite3.connect(path) as connection:
        connection.execute("create table flow_run (id text)")
    check_database(path, tmp_path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"this is not a database at all, it was overwritten by a sync tool", "is not an SQLite database"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "is damaged"),
    ],
)
def test_a_damaged_database_is_refused_at_once(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / ".prefect" / "prefect.db"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        check_database(path, tmp_path)
    assert caught.value.message == MESSAGE.format(problem=problem)


def test_a_configured_server_that_does_not_answer_is_named_at_once() -> None:
    import socket
    import time

    from flows.settings import check_server

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    start = time.monotonic()
    with pytest.raises(InputError) as caught:
        check_server(url)
    assert caught.value.message == (
        f"cannot reach the Prefect server at {url}; start it with 'prefect server start' "
        "or unset PREFECT_API_URL to use a temporary one"
    )
    assert time.monotonic() - start < 10  # a refused connection, not Prefect's minutes of retries


def test_run_with_an_unreachable_server_exits_1_with_that_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tasks.core.scaffold import create_study

    create_study(tmp_path / "study")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env["PREFECT_API_URL"] = "http://127.0.0.1:9/api"
    result = subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", "run", "--study", str(tmp_path / "study")],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "error: cannot reach the Prefect server at http://127.0.0.1:9/api; start it with 'prefect server start' "
        "or unset PREFECT_API_URL to use a temporary one"
    )
