"""A study-level lock: two runs on one study never interleave."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from tasks.core.errors import LockError
from tasks.core.study import Study


@contextmanager
def study_lock(study: Study, wait_seconds: float) -> Iterator[None]:
    """Hold the study's lock, waiting at most `wait_seconds` for another run to finish."""
    path = study.catalog.lock_file
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait_seconds)
    except Timeout:
        raise LockError(
            f"{study.catalog.relative(path)}: another run is working on this study; "
            f"waited {wait_seconds:g} s; try again when it has finished (or pass --wait SECONDS)"
        ) from None
    try:
        yield
    finally:
        lock.release()
