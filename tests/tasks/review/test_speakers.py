"""Speakers in the member check and question blocks by turns: the review document shows who speaks
(and flags guesses), a speaker the respondent corrects wins, every answer keeps its question even
when Whisper garbled the question, and what the interviewer says is never counted or quoted."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tasks.analysis.frames import load_coded, load_segments
from tasks.analysis.quotes import candidates
from tasks.core.config import InterviewGuide
from tasks.core.manifest import Outcome
from tasks.core.questions import question_blocks
from tasks.core.study import Study
from tasks.core.transcripts import Segment, Speaker, save_transcript
from tasks.core.wordml import read_segment_table
from tasks.protocol import PROTOCOL
from tasks.review.speakers import assign
from tests.tasks.coded_study import write_coded_study
from tests.tasks.review_fixtures import FakeTranscription, WordEdit, draft_of, review_study, run_review, set_today, write_reviews

GUIDE = InterviewGuide.model_validate(
    {
        "questions": [
            {"id": "q1", "topic": "t", "phase": "before", "text": "How did you expect data-driven steering to change your work?"},
            {"id": "q2", "topic": "t", "phase": "before", "text": "Which skills did you think you would need?"},
            {"id": "q3", "topic": "t", "phase": "now", "text": "How do you work with the figures today?"},
        ]
    }
)


def seg(n: int, speaker: Speaker, text: str) -> Segment:
    return Segment(f"R01-{n:04d}", float(n), n + 0.9, speaker, text, None, "voice", 0.95)


# question blocks ---------------------------------------------------------------------------------


def test_an_answer_keeps_its_question_when_whisper_garbled_the_question() -> None:
    turns = [
        "How did you expect data-driven steering to change your work?",  # q1, heard well
        None,
        "Does your manager check on you?",  # an unscripted probe: the block keeps q1
        None,
        "Wish still did you sink you wood kneed?",  # q2, garbled: the one question between q1 and q3 it resembles
        None,
        "How do you work with the figures today?",  # q3
        None,
    ]
    assert question_blocks(turns, GUIDE) == ["q1", "q1", "q1", "q1", "q2", "q2", "q3", "q3"]


def test_a_turn_like_no_question_before_the_first_question_opens_no_block() -> None:
    assert question_blocks(["Good morning, thanks for coming.", None, "Which skills did you think you would need?", None], GUIDE) == [
        None, None, "q2", "q2",
    ]


def test_questions_asked_out_of_the_guides_order_are_still_found() -> None:
    turns = ["How do you work with the figures today?", None, "Wish skulls did you sink you wood need?", None]
    assert question_blocks(turns, GUIDE) == ["q3", "q3", "q2", "q2"]


def test_speakers_from_the_recording_are_kept_and_the_guide_decides_only_unknown_ones() -> None:
    segments = [
        seg(1, "interviewer", "Wish still did you sink you wood kneed?"),
        seg(2, "respondent", "Mostly statistics."),
        replace(seg(3, "unknown", "How do you work with the figures today?"), speaker_source=None, speaker_confidence=None),
        replace(seg(4, "unknown", "With a dashboard."), speaker_source=None, speaker_confidence=None),
    ]
    assert [(s.speaker, s.speaker_source, s.speaker_confidence, s.question_id) for s in assign(segments, GUIDE)] == [
        ("interviewer", "voice", 0.95, "q2"),
        ("respondent", "voice", 0.95, "q2"),
        ("interviewer", "guide", 0.8, "q3"),
        ("respondent", "guide", 0.5, "q3"),
    ]


def test_a_speaker_the_respondent_corrected_wins() -> None:
    segments = [seg(1, "interviewer", "Which skills did you think you would need?"), seg(2, "interviewer", "Statistics.")]
    corrected = assign(segments, GUIDE, {"R01-0001": "interviewer", "R01-0002": "respondent"})
    assert [(s.speaker, s.speaker_source, s.speaker_confidence, s.question_id) for s in corrected] == [
        ("interviewer", "voice", 0.95, "q2"),
        ("respondent", "review", 1.0, "q2"),
    ]


# the review document and the returned document ----------------------------------------------------


class VoicedTranscription(FakeTranscription):
    """A draft whose speakers came from the voices, one of them a guess."""

    def run(self, study: Study, respondent_id: str) -> Outcome:
        outcome = super().run(study, respondent_id)
        draft = draft_of(respondent_id)
        who: list[tuple[Speaker, float]] = [
            ("interviewer", 1.0), ("interviewer", 1.0), ("respondent", 1.0), ("respondent", 0.6), ("interviewer", 1.0),
            ("respondent", 1.0),
        ]
        segments = tuple(
            replace(s, speaker=speaker, speaker_source="voice", speaker_confidence=sure)
            for s, (speaker, sure) in zip(draft.segments, who, strict=True)
        )
        save_transcript(study.catalog.draft(respondent_id), replace(draft, segments=segments))
        return outcome


@pytest.fixture
def study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Study:
    stages = tuple(VoicedTranscription() if stage.name == "transcription" else stage for stage in PROTOCOL.respondent)
    monkeypatch.setattr(PROTOCOL, "respondent", stages)
    set_today(monkeypatch, "2024-03-20")
    return review_study(tmp_path / "study")


def test_the_review_document_shows_each_speaker_and_marks_a_guess(study: Study) -> None:
    run_review(study)
    table = read_segment_table(study.catalog.outbox("R01"), "R01.docx")
    assert [row.cells[2] for row in table.rows] == [
        "interviewer", "interviewer", "respondent", "respondent (?)", "interviewer", "respondent",
    ]


def test_a_speaker_corrected_in_the_returned_document_wins(study: Study) -> None:
    run_review(study)
    # the first segment is the respondent's greeting; the guess on segment 4 is left as it was
    WordEdit(study.catalog.outbox("R01")).retype("R01-0001", "Respondent", column=2).save(study.catalog.returned_review("R01"))
    write_reviews(study, ["R01,approved_with_changes,2024-03-25,"])
    assert run_review(study)[0] == "done"
    data: dict[str, Any] = json.loads(study.catalog.approved("R01").read_text(encoding="utf-8"))
    assert [(s["speaker"], s["speaker_source"], s["speaker_confidence"], s["question_id"]) for s in data["segments"]] == [
        ("respondent", "review", 1.0, None),
        ("interviewer", "voice", 1.0, "q1"),
        ("respondent", "voice", 1.0, "q1"),
        ("respondent", "voice", 0.6, "q1"),
        ("interviewer", "voice", 1.0, "q2"),
        ("respondent", "voice", 1.0, "q2"),
    ]


# what the interviewer says is never counted or quoted -------------------------------------------------


def test_an_unscripted_interviewer_probe_is_never_counted_or_quoted(tmp_path: Path) -> None:
    study = write_coded_study(tmp_path)
    coded = study.catalog.coded("R01")
    # segment 3 is the interviewer's probe "En het team?": a coder coded it too
    coded.write_text(coded.read_text(encoding="utf-8") + "R01,R01-0003,team,AB,csv,\n", encoding="utf-8")
    study = Study.at(tmp_path)
    data = load_coded(study, ["R01", "R02"])
    assert sorted(set(data.coded["segment_id"])) == ["R01-0002", "R01-0004", "R02-0002", "R02-0003"]
    quotable = candidates(data, load_segments(study, ["R01", "R02"]), frozenset({"R01", "R02"}))
    assert "R01-0003" not in set(quotable["segment_id"])
