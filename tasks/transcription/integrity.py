"""Integrity flags: segments a person should read first, and optional pause marks.

- `repetition`: the same phrase three or more times in a row, Whisper's best-known failure (a
  decoding loop); a speaker who really says "no, no, no" is flagged too, which costs one look.
- `no_speech`: text where the engine itself judged the audio probably silent (no-speech
  probability above Whisper's own limit, 0.6): likely invented over a pause or noise.
- `low_confidence`: at least one word the engine gave a probability below 0.3, or a mean word
  probability below 0.6.

The flags go into the draft transcript's `flags` (segment id -> list of flags, flagged segments
only), never into the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tasks.transcription.engines import NO_SPEECH_LIMIT, Word

REPETITION = "repetition"
NO_SPEECH = "no_speech"
LOW_CONFIDENCE = "low_confidence"
MIN_REPEATS = 3
LOW_WORD = 0.3
LOW_MEAN = 0.6
PAUSE_MARK = "(..)"  # as noScribe marks a pause
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


def flags_of(text: str, words: Sequence[Word], no_speech: float | None = None) -> tuple[str, ...]:
    """The flags for one segment's text and words (in this order: repetition, no_speech, low_confidence)."""
    if not text:
        return ()
    found = []
    if repeats(text):
        found.append(REPETITION)
    silence = max((word.no_speech for word in words), default=0.0) if no_speech is None else no_speech
    if silence > NO_SPEECH_LIMIT:
        found.append(NO_SPEECH)
    probabilities = [word.probability for word in words]
    if probabilities and (min(probabilities) < LOW_WORD or sum(probabilities) / len(probabilities) < LOW_MEAN):
        found.append(LOW_CONFIDENCE)
    return tuple(found)


def repeats(text: str, times: int = MIN_REPEATS) -> bool:
    """Whether some phrase (one word or more) occurs `times` times in a row, ignoring case and punctuation."""
    tokens = [token.lower() for token in _TOKEN.findall(text)]
    for size in range(1, len(tokens) // times + 1):
        for first in range(len(tokens) - size * times + 1):
            phrase = tokens[first : first + size]
            if all(tokens[first + k * size : first + (k + 1) * size] == phrase for k in range(1, times)):
                return True
    return False


def joined(words: Sequence[Word], pause_s: float | None) -> str:
    """The words as text; with `pause_s`, a gap of at least that many seconds between two words
    becomes ` (..)`."""
    parts: list[str] = []
    for number, word in enumerate(words):
        if pause_s is not None and number and word.start - words[number - 1].end >= pause_s:
            parts.append(" " + PAUSE_MARK)
        parts.append(word.text)  # Whisper's words carry their own leading space (none in Chinese, Japanese)
    return "".join(parts).strip()
