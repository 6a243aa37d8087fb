"""Who speaks and which interview-guide question each segment answers, for the approved transcript.

The speaker comes, in order of trust, from the respondent's correction in the returned document,
from the recording (found by transcription: a track or a channel per participant, or the voice),
and last from the text: a segment that reads as a guide question is the interviewer's. Question
blocks follow the interviewer's turns (`tasks.core.questions.question_blocks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tasks.core.config import InterviewGuide
from tasks.core.questions import matching_question, question_blocks
from tasks.core.transcripts import Segment, Speaker

GUIDE_QUESTION = 0.8  # confidence of "interviewer" for a segment that reads as a guide question
GUIDE_OTHER = 0.5  # and of "respondent" for any other segment: text alone cannot tell a probe


def assign(
    segments: Sequence[Segment], guide: InterviewGuide, explicit: dict[str, Speaker] | None = None
) -> tuple[Segment, ...]:
    """Speaker, how it was found, its confidence and the question id, per segment.

    `explicit`: the speakers written in the returned review document; one that differs from the
    draft's is the respondent's correction and wins.
    """
    explicit = explicit or {}
    spoken = [_speaker(segment, explicit.get(segment.segment_id), guide) for segment in segments]
    turns = [s.text if s.speaker == "interviewer" else None for s in spoken]
    return tuple(
        replace(segment, question_id=question) for segment, question in zip(spoken, question_blocks(turns, guide), strict=True)
    )


def _speaker(segment: Segment, corrected: Speaker | None, guide: InterviewGuide) -> Segment:
    if corrected is not None and corrected != segment.speaker:
        return replace(segment, speaker=corrected, speaker_source="review", speaker_confidence=1.0)
    if segment.speaker != "unknown":
        return segment
    if matching_question(segment.text, guide) is not None:
        return replace(segment, speaker="interviewer", speaker_source="guide", speaker_confidence=GUIDE_QUESTION)
    return replace(segment, speaker="respondent", speaker_source="guide", speaker_confidence=GUIDE_OTHER)
