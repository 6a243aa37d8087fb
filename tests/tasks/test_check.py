"""The verdict on a run (tasks/check.py): counts and ids for Prefect, one full line per problem."""

from __future__ import annotations

from tasks.check import Findings, RunVerdict


def test_the_message_holds_counts_and_ids_only() -> None:
    verdict = RunVerdict(["R03", "R07"], ["aggregation"], ["consent.csv row 9, ...", "reviews.csv row 2, ..."], ["..."])
    assert verdict.message == "2 respondents failed (R03, R07); aggregation failed; 2 input problems"
    assert not verdict.clean


def test_a_long_list_of_failed_respondents_is_cut_short() -> None:
    ids = [f"R{n:02d}" for n in range(1, 14)]
    assert RunVerdict(ids, [], [], ["..."]).message == (
        "13 respondents failed (R01, R02, R03, R04, R05, R06, R07, R08, R09, R10, +3 more)"
    )


def test_a_clean_run_has_no_message() -> None:
    verdict = RunVerdict([], [], [], [])
    assert (verdict.clean, verdict.message) == (True, "")


def test_the_summary_of_a_check() -> None:
    assert Findings([], 1).summary == "no problems found in 1 respondent"
    assert Findings(["a"], 13).summary == "1 problem found in 13 respondents; fix them and run interview-study check again"
    assert Findings(["a", "b"], None).summary == "2 problems found; fix them and run interview-study check again"


def test_recordings_as_track_folders_and_the_interviewers_clip(small_study) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from pathlib import Path

    from tasks.check import recording_problems
    from tasks.core.study import Study

    clip = Path(__file__).resolve().parents[1] / "data" / "audio" / "nl.ogg"
    audio = small_study.root / "audio"
    audio.mkdir(exist_ok=True)
    shutil.copy(clip, audio / "interviewer_voice.ogg")  # serves every respondent: not a stray recording
    (audio / "R01").mkdir()
    shutil.copy(clip, audio / "R01" / "interviewer.ogg")
    assert recording_problems(Study.at(small_study.root)) == [
        "audio/R01/: no respondent track; save one track per participant as audio/R01/interviewer.wav and "
        "audio/R01/respondent.wav (or .flac/.mp3/.m4a/.ogg/.opus)"
    ]
    shutil.copy(clip, audio / "R01" / "respondent.ogg")
    assert recording_problems(Study.at(small_study.root)) == []
