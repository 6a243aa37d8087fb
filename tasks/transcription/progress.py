"""A progress bar per recording (minutes of audio done / total) on stderr, only for a person watching.

It shows the respondent id and minutes, never transcript text, and stays silent when stderr is
not a terminal (CI, Prefect workers, logs).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def audio_progress(respondent_id: str, total_seconds: float) -> Iterator[Callable[[float], None]]:
    """Yield `advance(seconds_done)`; draws a bar while the block runs when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield lambda _done: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("transcribing {task.description}"),
        BarColumn(),
        TextColumn("{task.fields[done]:.1f}/{task.fields[total_min]:.1f} min of audio"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    total_min = total_seconds / 60
    with progress:
        task = progress.add_task(respondent_id, total=total_seconds, done=0.0, total_min=total_min)
        yield lambda done: progress.update(task, completed=done, done=done / 60)
