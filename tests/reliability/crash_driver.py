"""Run the whole pipeline (without Prefect) and SIGKILL this process inside one stage.

    python tests/reliability/crash_driver.py STUDY STAGE before|after

`before`: killed when the stage is about to rename its first finished temporary file into place;
`after`: killed right after that rename, with the stage's other outputs and manifest not written.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tasks.core.layout import STAGE_DIRS  # noqa: E402
from tasks.core.study import Study  # noqa: E402
from tests.helpers import run_plain  # noqa: E402


def main(root: Path, stage: str, when: str) -> None:
    study = Study.at(root)
    targets = (study.catalog.stage_dir(stage).resolve(), (study.catalog.state_dir / stage).resolve())
    real_replace = os.replace

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        hit = any(Path(target).resolve().is_relative_to(folder) for folder in targets)
        if hit and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(source, target)
        if hit and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace  # type: ignore[assignment]
    assert stage in STAGE_DIRS
    run_plain(root)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
