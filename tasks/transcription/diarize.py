"""Two voices in one channel, told apart offline: speaker embeddings and a two-way clustering.

Each utterance (a voice-activity chunk) is embedded with Resemblyzer's speaker encoder (a
GE2E d-vector network whose weights ship inside the `resemblyzer` wheel: nothing is downloaded),
the utterances are clustered into two voices by a spherical k-means weighted by duration, and each
utterance gets a confidence from how much closer it is to its own voice than to the other.
With a clip of the interviewer's voice, that clip's embedding anchors the interviewer's cluster.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tasks.transcription.audio import SAMPLE_RATE, Samples

Vectors = npt.NDArray[np.float32]
ROUNDS = 30
MARGIN = 0.12  # cosine margin (own voice minus other voice) at which an utterance is certain
TOO_ALIKE = 0.85  # cosine of the two voices' centroids from which every utterance is a guess
RATE = 1.3  # Resemblyzer's partial windows per second of speech (its default)
_LOCK = threading.Lock()
_ENCODER: list[Any] = []


@dataclass(frozen=True)
class Voices:
    """Per utterance: its voice (0 or 1) and the confidence (0.5..1) that it is that voice."""

    labels: tuple[int, ...]
    confidence: tuple[float, ...]
    centroids: Vectors


def _encoder() -> Any:
    """Resemblyzer's encoder, loaded once per process (0.2 s; its weights come with the wheel)."""
    with _LOCK:
        if not _ENCODER:
            with warnings.catch_warnings():  # webrtcvad imports the deprecated pkg_resources
                warnings.simplefilter("ignore")
                from resemblyzer import VoiceEncoder

            _ENCODER.append(VoiceEncoder("cpu", verbose=False))
        return _ENCODER[0]


def embed(pieces: Sequence[Samples]) -> Vectors:
    """One unit-length speaker embedding (256 values) per piece of 16 kHz audio.

    As Resemblyzer's `embed_utterance`, but the partial windows of every piece go through the
    network in one batch: one forward pass for a whole recording instead of one per utterance.
    """
    import torch

    encoder = _encoder()  # first: it silences the warnings of Resemblyzer's imports
    from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram

    mels, owners = [], []
    for number, piece in enumerate(pieces):
        wav = normalize_volume(np.asarray(piece, dtype=np.float32), -30, increase_only=True)
        wave_slices, mel_slices = encoder.compute_partial_slices(len(wav), RATE, 0.75)
        if wave_slices[-1].stop > len(wav):
            wav = np.pad(wav, (0, wave_slices[-1].stop - len(wav)))
        mel = wav_to_mel_spectrogram(wav)
        mels += [mel[s] for s in mel_slices]
        owners += [number] * len(mel_slices)
    with torch.no_grad():
        partials = encoder(torch.from_numpy(np.stack(mels)).to(encoder.device)).cpu().numpy()
    owner = np.asarray(owners)
    found = np.stack([partials[owner == number].mean(axis=0) for number in range(len(pieces))])
    return _unit(found)


def two_voices(embeddings: Vectors, weights: Sequence[float], anchor: Vectors | None = None) -> Voices:
    """Cluster the utterances into two voices (voice 0 holds the anchor when one is given).

    Starts from the two utterances least alike (or from the anchor and the utterance least like
    it), then alternates assignment and duration-weighted centroids until nothing moves. The
    anchor keeps pulling its voice's centroid, with the weight of the heaviest utterance.
    """
    weight = np.asarray(weights, dtype=np.float32)
    if len(embeddings) < 2:
        return Voices((0,) * len(embeddings), (0.5,) * len(embeddings), embeddings)
    similar = embeddings @ embeddings.T
    if anchor is None:
        first, second = np.unravel_index(int(np.argmin(similar)), similar.shape)
        centroids = embeddings[[first, second]]
    else:
        centroids = np.stack([anchor, embeddings[int(np.argmin(embeddings @ anchor))]])
    labels = np.full(len(embeddings), -1)
    for _ in range(ROUNDS):
        fresh = np.argmax(embeddings @ centroids.T, axis=1)
        if (fresh == labels).all():
            break
        labels = fresh
        centroids = np.stack([_centroid(embeddings, weight, labels == voice, centroids[voice]) for voice in (0, 1)])
        if anchor is not None:
            centroids[0] = _unit(centroids[0] + anchor * float(weight.max()) / max(float(weight[labels == 0].sum()), 1e-6))
    scores = embeddings @ centroids.T
    margin = np.abs(scores[:, 0] - scores[:, 1])
    confidence = 0.5 + 0.5 * np.minimum(margin / MARGIN, 1.0)
    own = [_centroid(embeddings, weight, labels == voice, centroids[voice]) for voice in (0, 1)]  # without the anchor
    if float(own[0] @ own[1]) >= TOO_ALIKE:
        confidence = np.minimum(confidence, 0.5)  # two voices this alike are told apart no better than by chance
    return Voices(tuple(int(v) for v in labels), tuple(round(float(c), 3) for c in confidence), centroids)


def similarity(a: Vectors, b: Vectors) -> float:
    return float(np.dot(_unit(a), _unit(b)))


def _centroid(embeddings: Vectors, weight: npt.NDArray[np.float32], members: Any, old: Vectors) -> Vectors:
    if not members.any():
        return old
    return _unit((embeddings[members] * weight[members, None]).sum(axis=0))


def _unit(vectors: Vectors) -> Vectors:
    norm = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.asarray(vectors / np.maximum(norm, 1e-9), dtype=np.float32)


def duration(piece: Samples) -> float:
    return len(piece) / SAMPLE_RATE
