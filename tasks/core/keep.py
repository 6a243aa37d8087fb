"""A stage's outputs are replaced as a set: while a stage runs again, its previous outputs are kept
(hard links, no copies), and when the run fails they are put back, so that a failed aggregation
never leaves new tables beside an old report, nor a failed transcription a new .txt beside an old
.docx.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from tasks.core.manifest import STUDY_KEY, Manifest
from tasks.core.study import Study


class KeptOutputs:
    """Use as a context: `with KeptOutputs(...) as kept: ...; kept.restore()` on failure."""

    def __init__(self, study: Study, stage: str, previous: Manifest | None, folder: Path | None = None) -> None:
        self.study = study
        self.home = study.catalog.kept(stage, previous.respondent_id if previous else STUDY_KEY)
        self.paths = [study.root / name for name in (previous.outputs if previous else {})]
        self.folder = folder  # whole-study stages: files new in it after a failed run are removed
        self.before: set[str] = set()

    def __enter__(self) -> KeptOutputs:
        shutil.rmtree(self.home, ignore_errors=True)  # left by a run that was killed
        for number, path in enumerate(self.paths):
            if path.is_file():
                self.home.mkdir(parents=True, exist_ok=True)
                _link(path, self.home / str(number))
        if self.folder is not None and self.folder.is_dir():
            self.before = {p.name for p in self.folder.iterdir()}
        return self

    def restore(self) -> None:
        """Put the previous outputs back and remove what the failed run added beside them."""
        for number, path in enumerate(self.paths):
            kept = self.home / str(number)
            if kept.is_file():
                os.replace(kept, path)
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.is_file() and path.name not in self.before:
                    path.unlink()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        shutil.rmtree(self.home, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links (some network shares): a copy
        shutil.copy2(source, target)
