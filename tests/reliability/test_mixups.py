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


def test_the_command_stops_both_and_leaves_the_third_alone(copied: Path) -> None:
    """As a process: exit 1, both lines, R03's outputs unchanged, the recording's own text nowhere."""
    from tests.helpers import own_copy
    from tests.reliability.contained import REJECTED, SENTENCE, assert_contained, personal_data

    reviews = (copied / "reviews.csv").read_text(encoding="utf-8")
    for rid in ("R01", "R02"):  # not yet approved: an approved transcript is kept, by design
        (copied / "out" / "04_review" / "approved" / f"{rid}.json").unlink()
        reviews = reviews.replace(f"{rid},approved,2022-03-01,", f"{rid},,,")
    (copied / "reviews.csv").write_text(reviews, encoding="utf-8")
    own_copy(DATA / "audio" / "nl.ogg", copied / "audio" / "R01.ogg", SENTENCE)  # the marker in its metadata
    shutil.copyfile(copied / "audio" / "R01.ogg", copied / "audio" / "R02.ogg")
    markers = [*personal_data(copied), SENTENCE]
    outcome = assert_contained(copied, "run", code=REJECTED, others=("R03",), markers=markers)
    assert outcome.errors == [
        "R01 transcription: audio/R01.ogg and audio/R02.ogg: the same recording (identical content) for R01 and R02; "
        "save each respondent's own interview under their id",
        "R02 transcription: audio/R02.ogg and audio/R01.ogg: the same recording (identical content) for R02 and R01; "
        "save each respondent's own interview under their id",
    ]
