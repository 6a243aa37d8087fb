"""Packing speech chunks into shared windows and sending words back: plain functions, inline data."""

from __future__ import annotations

import numpy as np

from tasks.transcription.audio import SAMPLE_RATE
from tasks.transcription.engines import Word
from tasks.transcription.packing import Chunk, Window, assign, pack

S = SAMPLE_RATE


def test_consecutive_chunks_share_windows_of_at_most_30_seconds() -> None:
    chunks = [Chunk(0, 10 * S), Chunk(11 * S, 21 * S), Chunk(22 * S, 32 * S), Chunk(40 * S, 41 * S)]
    assert pack(chunks) == [
        Window((0, 1, 2), (0, 10 * S, 20 * S), 30 * S),
        Window((3,), (0,), S),
    ]


def test_a_chunk_longer_than_the_window_is_alone() -> None:
    chunks = [Chunk(0, 2 * S), Chunk(3 * S, 33 * S), Chunk(34 * S, 35 * S)]
    assert [window.chunks for window in pack(chunks)] == [(0,), (1,), (2,)]
    assert pack([]) == []


def test_window_samples_are_the_chunks_end_to_end() -> None:
    recording = np.arange(100, dtype=np.float32)
    chunks = [Chunk(10, 20), Chunk(50, 55)]
    window = pack(chunks)[0]
    assert window.samples(recording, chunks).tolist() == [*range(10, 20), *range(50, 55)]


def test_words_go_to_the_chunk_their_midpoint_falls_in_in_recording_time() -> None:
    chunks = [Chunk(1 * S, 3 * S), Chunk(10 * S, 12 * S)]  # packed: 0-2 s and 2-4 s of the window
    windows = pack(chunks)
    found = [[
        Word(0.5, 1.0, " Hello", 0.9, 0.01),
        Word(1.8, 2.4, " there", 0.8, 0.01),  # midpoint 2.1 s: the second chunk, start kept inside it
        Word(3.0, 3.5, " friend.", 0.7, 0.01),
    ]]
    words = assign(windows, found, chunks)
    assert [[(w.start, w.end, w.text) for w in chunk] for chunk in words] == [
        [(1.5, 2.0, " Hello")],
        [(10.0, 10.4, " there"), (11.0, 11.5, " friend.")],
    ]


def test_a_chunk_without_words_keeps_its_place() -> None:
    chunks = [Chunk(0, S), Chunk(2 * S, 3 * S)]
    assert assign(pack(chunks), [[Word(1.2, 1.5, " yes", 0.9, 0.0)]], chunks) == [
        [], [Word(2.2, 2.5, " yes", 0.9, 0.0)]
    ]
