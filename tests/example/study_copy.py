"""A working copy of the example study (the repository root) and the real CLI run on it.

The scripts that make the example's returned review documents and codings, and the end-to-end test,
never run the pipeline in the repository root: they copy the researcher's inputs to another folder
and run `interview-study` there, in a subprocess with Prefect's state in that folder.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FILES = ("recruitment.csv", "consent.csv", "reviews.csv")
FOLDERS = ("config", "audio", "review", "codings")


def copy_inputs(target: Path, folders: Iterable[str] = FOLDERS, source: Path = ROOT) -> Path:
    """The study's inputs copied to `target` (an existing copy is refreshed; outputs there are kept,
    so that a second call with unchanged inputs lets the pipeline skip its work). Folders of FOLDERS
    not named in `folders` are removed from the copy."""
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copy2(source / name, target / name)
    chosen = set(folders)
    for name in FOLDERS:
        if (target / name).exists():
            shutil.rmtree(target / name)
        if name in chosen and (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    return target


def without_rows(csv_file: Path, respondents: Iterable[str]) -> None:
    """Drop the rows of these respondents from a CSV of the copy (the header is kept)."""
    dropped = {f"{rid}," for rid in respondents}
    lines = csv_file.read_text(encoding="utf-8").splitlines(keepends=True)
    csv_file.write_text(
        "".join(line for line in lines if not line.startswith(tuple(dropped))), encoding="utf-8"
    )


def cli_command() -> list[str]:
    """The installed console script beside this Python (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "interview-study"
    found = str(beside) if beside.is_file() else shutil.which("interview-study")
    if found is None:
        raise RuntimeError("interview-study is not installed; run .ci/install.sh")
    return [found]


def clean_environment() -> dict[str, str]:
    """This process's environment without Prefect settings (the tests point PREFECT_HOME at a
    temporary folder), so that the CLI keeps Prefect's state in the study's own .prefect/."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}


def interview_study(study: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`interview-study ARGS --study STUDY`, its output captured."""
    result = subprocess.run(
        [*cli_command(), *args, "--study", str(study)],
        cwd=study,
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"interview-study {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return result


def save_reproducibly(edit: Any, target: Path) -> Path:
    """Save an edited Word file (a tests.tasks.review_fixtures.WordEdit) with fixed timestamps in
    its zip entries, so that remaking the example's files from the same inputs gives the same bytes."""
    edit.save(target)
    with zipfile.ZipFile(target) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    target.write_bytes(buffer.getvalue())
    return target
