"""A run killed (SIGKILL) inside any stage, then run again, ends exactly like an uninterrupted run."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tasks.core.layout import STAGE_DIRS
from tasks.core.study import Study
from tasks.protocol import STAGES
from tests.helpers import run_plain

DRIVER = Path(__file__).with_name("crash_driver.py")
VOLATILE_ZIP_MEMBERS = ("docProps/core.xml", "docProps/app.xml")


def snapshot(out: Path) -> dict[str, str]:
    """Every output's content hash; manifests without their timestamp; Office files by their parts."""
    digests = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if not path.is_file() or relative.startswith("logs/") or path.name in ("hashes.json", "run.lock"):
            continue
        if relative.startswith(".state/"):
            data = json.loads(path.read_text(encoding="utf-8"))
            data.pop("finished_at", None)
            content = json.dumps(data, sort_keys=True).encode()
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                parts = sorted(n for n in archive.namelist() if n not in VOLATILE_ZIP_MEMBERS)
                content = b"".join(n.encode() + archive.read(n) for n in parts)
        else:
            content = path.read_bytes()
        digests[relative] = hashlib.sha256(content).hexdigest()
    return digests


def undo_from(root: Path, stage: str) -> None:
    """Remove what `stage` and every later stage produced, as if the run had reached `stage` only."""
    study = Study.at(root)
    for later in STAGES[STAGES.index(stage):]:
        shutil.rmtree(study.catalog.state_dir / later, ignore_errors=True)
        if STAGE_DIRS[later] not in (STAGE_DIRS[s] for s in STAGES[: STAGES.index(stage)]):
            shutil.rmtree(study.catalog.stage_dir(later), ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("stage", STAGES)
def test_killed_inside_a_stage_then_rerun(reference: Path, tmp_path: Path, stage: str, when: str) -> None:
    root = tmp_path / "study"
    shutil.copytree(reference, root)
    undo_from(root, stage)
    killed = subprocess.run([sys.executable, str(DRIVER), str(root), stage, when], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    visible = [p for p in (root / "out").rglob("*") if p.is_file() and ".tmp-" in p.name and not p.name.startswith(".")]
    assert visible == []
    run_plain(root)
    assert snapshot(root / "out") == snapshot(reference / "out")
    assert [p for p in (root / "out").rglob("*.tmp-*")] == []
