"""Who speaks and which interview-guide question a segment answers, found by matching the guide.

Language-agnostic: texts are compared as lower-cased word tokens (Unicode `\\w+`) with difflib, so a
question read out with small deviations (or transcribed with small errors) is still recognised.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import replace

from tasks.core.config import InterviewGuide
from tasks.core.transcripts import Segment, Speaker

THRESHOLD = 0.7


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def similarity(segment: str, question: str) -> float:
    """0..1: how closely a segment's text is the question's text (the better of a character-level
    and a word-level difflib ratio, so both misheard words and added or dropped words are forgiven)."""
    a, b = words(segment), words(question)
    if not a or not b:
        return 0.0
    by_words = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    by_chars = difflib.SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False)
    return max(by_words, by_chars.ratio() if by_chars.quick_ratio() >= THRESHOLD else 0.0)


def matching_question(text: str, guide: InterviewGuide) -> str | None:
    """The id of the guide question this text asks, or None."""
    best_id, best = None, THRESHOLD
    for question in guide.questions:
        score = similarity(text, question.text)
        if score >= best:
            best_id, best = question.id, score
    return best_id


def assign(
    segments: Sequence[Segment], guide: InterviewGuide, explicit: dict[str, Speaker] | None = None
) -> tuple[Segment, ...]:
    """Speaker and question id per segment.

    A segment whose text matches a guide question is the interviewer asking it; the segments after
    it carry that question id until the next question. Every other segment is the respondent's,
    unless a speaker is known (`explicit`, e.g. from the returned table, or the draft's own).
    """
    explicit = explicit or {}
    current: str | None = None
    result = []
    for segment in segments:
        known = explicit.get(segment.segment_id) or (segment.speaker if segment.speaker != "unknown" else None)
        question = None if known == "respondent" else matching_question(segment.text, guide)
        if question is not None:
            current = question
        speaker: Speaker = known or ("interviewer" if question is not None else "respondent")
        result.append(replace(segment, speaker=speaker, question_id=current))
    return tuple(result)
