"""The `interview-study` command line: it only dispatches to the flows and the plain functions."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from tasks.core.errors import StudyError

app = typer.Typer(
    name="interview-study",
    help="Run an interview study: recruitment, consent, transcription, member check, coding, results.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)

StudyOption = Annotated[
    Path, typer.Option("--study", help="The study folder (default: the current folder).", show_default=False)
]
T = TypeVar("T")


def fail_cleanly(function: Callable[..., T]) -> Callable[..., T]:
    """Expected errors: one line and exit 1. Unexpected ones: one line, the log, exit 2."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return function(*args, **kwargs)
        except StudyError as error:
            err.print(f"error: {error.message}", markup=False, highlight=False)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001
            log_file = _crash_log()
            logging.getLogger("interview_study").exception("unexpected error")
            err.print(
                f"unexpected error ({type(error).__name__}); the traceback is in {log_file}",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(2) from None

    return wrapper


def _crash_log() -> Path:
    handlers = [h for h in logging.getLogger("interview_study").handlers if isinstance(h, logging.FileHandler)]
    return Path(handlers[0].baseFilename) if handlers else Path("interview-study.log")


def setup_logging(study_root: Path, output_dir: str) -> None:
    """Tracebacks and details go to the study's own log file, never to Prefect's database."""
    logger = logging.getLogger("interview_study")
    if any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        return
    path = study_root / output_dir / "logs" / "pipeline.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def open_and_check(study_dir: Path) -> Any:
    """Load the study and all three config files, so that a config error stops the run at once."""
    from tasks.core.study import Study

    study = Study.at(study_dir).validate()
    setup_logging(study.root, study.config.study.output_dir)
    return study


@contextmanager
def prefect_session(study_root: Path) -> Iterator[None]:
    """Configure Prefect for this study (state inside it, no telemetry) and silence the heartbeat."""
    from flows.settings import configure

    configure(study_root)
    from flows.study import without_heartbeat

    with without_heartbeat():
        yield


def main() -> None:
    from flows import commands  # noqa: F401 - registers the commands

    app()


if __name__ == "__main__":
    main()
