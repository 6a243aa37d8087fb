"""Integrity flags and pause marks: plain functions on inline words."""

from __future__ import annotations

import pytest

from tasks.transcription.engines import Word
from tasks.transcription.integrity import flags_of, joined, repeats
from tasks.transcription.segments import Utterance, flags_by_id


def words(*spec: tuple[str, float, float, float]) -> list[Word]:
    return [Word(start, end, text, probability, 0.01) for text, start, end, probability in spec]


@pytest.mark.parametrize(
    ("text", "loop"),
    [
        ("Thank you. Thank you. Thank you.", True),
        ("we went there and we went there and we went there and", True),
        ("No, no, no, that is not what I meant.", True),
        ("Thank you. Thank you.", False),
        ("the data, the data team and the data office", False),
        ("", False),
    ],
)
def test_a_phrase_three_times_in_a_row_is_a_repetition(text: str, loop: bool) -> None:
    assert repeats(text) is loop


def test_flags_come_in_a_fixed_order_and_only_for_text() -> None:
    heard = words((" We", 0.0, 0.2, 0.9), (" we", 0.2, 0.4, 0.2), (" we", 0.4, 0.6, 0.9))
    assert flags_of("We we we", heard) == ("repetition", "low_confidence")
    silent = [Word(0.0, 0.5, " Thanks.", 0.9, 0.8)]
    assert flags_of("Thanks.", silent) == ("no_speech",)
    assert flags_of("", silent) == ()
    assert flags_of("Thanks.", [], no_speech=0.7) == ("no_speech",)


def test_low_confidence_is_one_unlikely_word_or_a_doubtful_mean() -> None:
    assert flags_of("a b", words((" a", 0, 1, 0.29), (" b", 1, 2, 1.0))) == ("low_confidence",)
    assert flags_of("a b", words((" a", 0, 1, 0.55), (" b", 1, 2, 0.6))) == ("low_confidence",)
    assert flags_of("a b", words((" a", 0, 1, 0.31), (" b", 1, 2, 0.95))) == ()


def test_pauses_are_marked_only_when_asked() -> None:
    said = words((" So", 0.0, 0.3, 0.9), (" yes.", 1.5, 1.8, 0.9), (" Fine.", 2.0, 2.4, 0.9))
    assert joined(said, None) == "So yes. Fine."
    assert joined(said, 1.0) == "So (..) yes. Fine."
    assert joined(said, 0.15) == "So (..) yes. (..) Fine."


def test_the_transcript_lists_flagged_segments_by_id() -> None:
    utterances = [Utterance(5.0, 6.0, "b", ("no_speech",)), Utterance(1.0, 2.0, "a"), Utterance(7.0, 8.0, "")]
    assert flags_by_id("R01", utterances) == {"R01-0002": ["no_speech"]}
