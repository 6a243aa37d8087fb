"""What every entry point shares: the consoles, the study's own log file, the study opened and
checked, and the Prefect session configured for it. The CLI and the flows both use it; it imports
neither."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from tasks.core.catalog import Catalog
from tasks.core.study import Study

out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)


def fresh_consoles() -> None:
    """Set the consoles up again for the streams this process has now (the study's warm runner
    hands its forked child the caller's terminal after they were made)."""
    out.__init__(soft_wrap=True, width=None if sys.stdout.isatty() else 200)  # type: ignore[misc]
    err.__init__(stderr=True, soft_wrap=True)  # type: ignore[misc]


LOGGER = "interview_study"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(study_root: Path, output_dir: str) -> None:
    """Tracebacks and details go to the study's own log file, never to Prefect's database."""
    log_to(Catalog(study_root, output_dir).log_file)


def log_to(path: Path) -> None:
    """Send the tool's log to `path` (one file at a time: a process that works on another study,
    a worker or a test, moves its log along). Raises OSError when the file cannot be written."""
    logger = logging.getLogger(LOGGER)
    current = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
    if [Path(h.baseFilename) for h in current] == [path.absolute()]:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    for old in current:
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def log_crash(study_dir: Path | None, command: str) -> Path:
    """Write the traceback of the error being handled to a log file that exists, and return it.

    The study's own log (`<out>/logs/pipeline.log`) when the command names a study it can write in;
    otherwise (`init`, no study here, a read-only study) the user's cache folder.
    """
    for path in (*_study_log(study_dir), user_log()):
        try:
            log_to(path)
        except OSError:
            continue
        logging.getLogger(LOGGER).exception("unexpected error in interview-study %s", command)
        return path
    raise RuntimeError("no log file could be written")  # pragma: no cover - the cache folder is not writable


def user_log() -> Path:
    """The log of commands that have no study: `$XDG_CACHE_HOME/interview-study/interview-study.log`
    (`~/.cache/interview-study/...` by default, beside the models), never the folder the command was started in."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).absolute() / "interview-study" / "interview-study.log"


def _study_log(study_dir: Path | None) -> list[Path]:
    if study_dir is None:
        return []
    try:
        study = Study.at(study_dir)
    except Exception:  # noqa: BLE001 - no study here: the user's log takes it
        return []
    try:
        return [study.catalog.log_file]
    except Exception:  # noqa: BLE001 - an unreadable config: its output folder is the default one
        return [Catalog(study.root).log_file]


def open_and_check(study_dir: Path) -> Study:
    """Load the study and all three config files, so that a config error stops the run at once."""
    study = Study.at(study_dir).validate()
    setup_logging(study.root, study.config.study.output_dir)
    return study


@contextmanager
def prefect_session(study_root: Path) -> Iterator[None]:
    """Configure Prefect for this study (state inside it, no telemetry) and silence the heartbeat."""
    from flows.settings import configure  # Prefect: only when a flow starts

    configure(study_root)
    from flows.study import without_heartbeat  # Prefect: only when a flow starts

    with without_heartbeat(), _quiet(RUN_LOGGERS):
        yield


RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


@contextmanager
def _quiet(names: tuple[str, ...]) -> Iterator[None]:
    """Prefect prints an unexpected error's traceback to the console; the command prints one line
    that names the log holding it instead (and the traceback is in that log)."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
