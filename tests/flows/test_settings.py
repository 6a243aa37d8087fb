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
