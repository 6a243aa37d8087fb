"""The interview guide's questions found in transcript text, and question blocks opened by turns.

Language-agnostic: texts are compared as lower-cased word tokens (Unicode `\\w+`) with difflib, so a
question read out with small deviations (or transcribed with small errors) is still recognised.
Transcription uses `matching_question` to tell which voice asks the guide's questions; review uses
`question_blocks` to give every answer the question it answers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from tasks.core.config import InterviewGuide

THRESHOLD = 0.7  # a turn this close to a guide question asks it
LOOSE = 0.45  # a garbled turn this close to a question not yet asked, in guide order, asks it


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def similarity(segment: str, question: str, floor: float = THRESHOLD) -> float:
    """0..1: how closely a segment's text is the question's text (the better of a character-level
    and a word-level difflib ratio, so both misheard words and added or dropped words are forgiven).
    The character ratio is computed only where it can reach `floor`."""
    a, b = words(segment), words(question)
    if not a or not b:
        return 0.0
    by_words = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    by_chars = difflib.SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False)
    return max(by_words, by_chars.ratio() if by_chars.quick_ratio() >= floor else 0.0)


def matching_question(text: str, guide: InterviewGuide) -> str | None:
    """The id of the guide question this text asks, or None."""
    best_id, best = None, THRESHOLD
    for question in guide.questions:
        score = similarity(text, question.text)
        if score >= best:
            best_id, best = question.id, score
    return best_id


def question_blocks(turns: Sequence[str | None], guide: InterviewGuide) -> list[str | None]:
    """The question id of each segment: `turns` holds the text of each interviewer turn and None for
    every other segment, in time order.

    Every interviewer turn opens a block. Its question is the guide question it asks (similarity at
    least THRESHOLD); else, for a turn Whisper garbled, a question not asked elsewhere that lies in
    guide order between the blocks around it and that the turn resembles (at least LOOSE); else
    the turn is a probe ("Can you give an example?") and the block keeps the question before it.
    Answers carry their block's question.
    """
    order = {question.id: index for index, question in enumerate(guide.questions)}
    asked = [matching_question(text, guide) if text is not None else None for text in turns]
    taken = {question for question in asked if question is not None}
    for index, text in enumerate(turns):
        if text is None or asked[index] is not None:
            continue
        low, high = _between(asked, index, order, len(guide.questions))
        candidates = [q for q in guide.questions[low + 1 : high] if q.id not in taken]
        scored = [(similarity(text, q.text, LOOSE), -order[q.id], q.id) for q in candidates]
        best = max(scored, default=(0.0, 0, ""))
        if best[0] >= LOOSE:
            asked[index] = best[2]
            taken.add(best[2])
    blocks: list[str | None] = []
    current: str | None = None
    for question in asked:
        current = question or current
        blocks.append(current)
    return blocks


def _between(asked: Sequence[str | None], index: int, order: dict[str, int], count: int) -> tuple[int, int]:
    """Guide positions of the questions asked last before and first after turn `index` (-1 and
    `count` where there is none; the whole guide when the interview left the guide's order)."""
    before = [order[q] for q in asked[:index] if q is not None]
    after = [order[q] for q in asked[index + 1 :] if q is not None]
    low = before[-1] if before else -1
    high = after[0] if after else count
    return (low, high) if low < high else (-1, count)
