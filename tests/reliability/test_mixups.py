"""Two respondents whose recordings are one and the same file both stop, naming both files,
before a review document could carry another person's interview."""

from __future__ import annotations

import shutil
from pathlib import Path

from tasks.core.study import Study
from tasks.protocol import execute_respondent
from tests.helpers import DATA, tiny_complete_study


def test_one_recording_under_two_ids_stops_both(tmp_path: Path) -> None:
    study = tiny_complete_study(tmp_path / "study")
    shutil.copyfile(DATA / "audio" / "nl.ogg", study.root / "audio" / "R01.ogg")
    shutil.copyfile(DATA / "audio" / "nl.ogg", study.root / "audio" / "R02.ogg")
    details = {}
    for rid in ("R01", "R02"):
        for stage in ("recruitment", "consent", "transcription"):
            manifest = execute_respondent(Study.at(study.root), stage, rid)
        details[rid] = (manifest.status, manifest.detail)
    assert details == {
        "R01": ("failed", "audio/R01.ogg and audio/R02.ogg: the same recording (identical content) for R01 and R02; "
                "save each respondent's own interview under their id"),
        "R02": ("failed", "audio/R02.ogg and audio/R01.ogg: the same recording (identical content) for R02 and R01; "
                "save each respondent's own interview under their id"),
    }
    assert not (study.root / "out" / "03_transcription" / "R01.json").exists()
