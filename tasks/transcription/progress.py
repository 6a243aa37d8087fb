"""What a person watching sees on stderr: a status line per phase, a bar while transcribing.

Every phase that can take more than a moment says so while it runs (loading the model, finding
speech, writing the draft) and how long it took; the transcription bar counts minutes of audio and
ends at 100 %. Only ids, phases and minutes are shown, never transcript text. When stderr is not
a terminal (CI, Prefect workers) nothing is drawn and each phase is one log line.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

log = logging.getLogger("interview_study")


def _console() -> Console | None:
    return Console(stderr=True) if sys.stderr.isatty() else None


@contextlib.contextmanager
def phase(label: str) -> Iterator[None]:
    """A status line (`label ...`, then `label: 1.2 s`) around a step that may take a while."""
    console = _console()
    started = time.perf_counter()
    if console is None:
        yield
    else:
        with console.status(f"{label} ..."):
            yield
        console.print(f"{label}: {time.perf_counter() - started:.1f} s", highlight=False)
    log.info("%s: %.1f s", label, time.perf_counter() - started)


@contextlib.contextmanager
def audio_progress(respondent_id: str, total_seconds: float) -> Iterator[Callable[[float], None]]:
    """Yield `advance(seconds_done)`; draws a bar while the block runs when stderr is a terminal.

    The bar is completed when the block ends normally: the last speech usually ends before the
    recording does, and a bar left at 97 % reads as work still going on.
    """
    console = _console()
    if console is None:
        yield lambda _done: None
        return
    progress = Progress(
        TextColumn("transcribing {task.description}"),
        BarColumn(),
        TextColumn("{task.fields[done]:.1f}/{task.fields[total_min]:.1f} min of audio"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    total_min = total_seconds / 60
    with progress:
        task = progress.add_task(respondent_id, total=total_seconds, done=0.0, total_min=total_min)
        yield lambda done: progress.update(task, completed=done, done=done / 60)
        progress.update(task, completed=total_seconds, done=total_min)
