"""What every entry point shares: the consoles, the study's own log file, the study opened and
checked, and the Prefect session configured for it. The CLI and the flows both use it; it imports
neither."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from tasks.core.catalog import Catalog
from tasks.core.study import Study

out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)


def setup_logging(study_root: Path, output_dir: str) -> None:
    """Tracebacks and details go to the study's own log file, never to Prefect's database."""
    logger = logging.getLogger("interview_study")
    if any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        return
    path = Catalog(study_root, output_dir).log_file
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


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

    with without_heartbeat():
        yield
