"""Two voices told apart from speaker embeddings (diarize.py), on inline vectors: a common part that
all voices share, a small part of each voice's own, and noise that grows as utterances get shorter."""

from __future__ import annotations

import numpy as np

from tasks.transcription.diarize import APART, known_voices, two_voices

SIZE = 256


def unit(vectors: np.ndarray) -> np.ndarray:
    return (vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)).astype(np.float32)


def utterances(voices: list[int], seconds: list[float], apart: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of utterances by these voices, `apart` the size of each voice's own part."""
    rng = np.random.default_rng(seed)
    common = unit(rng.standard_normal(SIZE))
    own = unit(rng.standard_normal((2, SIZE)))
    noise = rng.standard_normal((len(voices), SIZE)) * 0.02 / np.sqrt(np.asarray(seconds))[:, None]
    return unit(common + apart * own[voices] + noise), own


VOICES = [0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0]
SECONDS = [2.5, 8.0, 4.0, 1.5, 6.0, 3.0, 3.5, 9.0, 2.0, 5.0, 2.5, 3.0]


def test_two_voices_as_alike_as_two_similar_synthetic_voices_are_told_apart_surely() -> None:
    embeddings, _ = utterances(VOICES, SECONDS, apart=0.12)
    found = two_voices(embeddings, SECONDS)
    same = [int(v == found.labels[0]) for v in found.labels]
    assert same == [int(v == VOICES[0]) for v in VOICES]
    assert min(found.confidence) >= 0.75


def test_one_voice_is_not_split_into_two_with_any_confidence() -> None:
    embeddings, _ = utterances([0] * len(SECONDS), SECONDS, apart=0.12)
    found = two_voices(embeddings, SECONDS)
    assert found.line is not None and found.line.apart < APART
    assert found.confidence == (0.5,) * len(SECONDS)
    assert found.side(embeddings[0], 5.0) == (0, 0.5)


def test_a_clip_falls_on_its_own_voice_and_named_channels_too() -> None:
    embeddings, own = utterances(VOICES + [0], SECONDS + [5.0], apart=0.12, seed=1)
    clip = embeddings[-1]
    found = two_voices(embeddings[:-1], SECONDS)
    voice, sure = found.side(clip, 5.0)
    assert voice == found.labels[0] and sure >= 0.75  # utterance 0 is voice 0, as the clip
    channels = known_voices(embeddings[:-1], SECONDS, VOICES)
    assert channels.side(clip, 5.0)[0] == 0 and channels.side(clip, 5.0)[1] >= 0.75


def test_a_single_utterance_is_a_guess() -> None:
    embeddings, _ = utterances([0], [3.0], apart=0.12)
    assert two_voices(embeddings, [3.0]).confidence == (0.5,)
