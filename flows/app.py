"""The `interview-study` Typer app and what its commands share: the --study option and the error
handling that turns expected errors into one line and exit 1, unexpected ones into exit 2 and a log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from flows.session import err, log_crash
from tasks.core.errors import StudyError, storage_problem
from tasks.core.study import Study

app = typer.Typer(
    name="interview-study",
    help="Run an interview study: recruitment, consent, transcription, member check, coding, results.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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
            problem = _storage_problem(error, kwargs.get("study_dir"))
            if problem is not None:  # a full disk or an unwritable folder outside any stage (the log, the lock)
                err.print(f"error: {problem.message}", markup=False, highlight=False)
                raise typer.Exit(1) from None
            study_dir = kwargs.get("study_dir")
            log_file = log_crash(Path(study_dir) if study_dir is not None else None, function.__name__)
            err.print(
                f"unexpected error ({type(error).__name__}); the traceback is in {log_file}; please report it",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(2) from None

    return wrapper


def _storage_problem(error: Exception, study_dir: object) -> StudyError | None:
    """The one line for a full disk or a folder the command may not write in, else None."""
    if not isinstance(error, OSError):
        return None
    if study_dir is None:
        return storage_problem(error)
    root = Path(str(study_dir)).resolve()
    try:
        out = Study.at(root).catalog.out
    except Exception:  # noqa: BLE001 - no readable config: the default output folder
        out = root / "out"
    return storage_problem(error, root, out)
