"""Two voices in one channel, told apart offline: speaker embeddings, a two-way clustering and a
calibrated confidence per utterance.

Each utterance (a voice-activity chunk) is embedded with Resemblyzer's speaker encoder (a GE2E
d-vector network whose weights ship inside the `resemblyzer` wheel: nothing is downloaded).
Embeddings of all voices share a large common part (two similar voices have a cosine of 0.95), so
the recording's mean embedding is taken off before the utterances are clustered into two voices
(a spherical k-means weighted by duration).

The confidence is cross-validated: each utterance is placed on the line between the two voices
as drawn from the other utterances only (five folds), so that a split of one voice into two (by
intonation, say: questions against statements) does not look certain. Along that line an utterance
is modelled as its voice's position, shrunk toward the middle for short utterances (the encoder
needs 1.6 s of speech), with a spread that grows as utterances get shorter; the posterior of that
model is the confidence, and each utterance goes to the voice it favours. When the two voices,
seen this way, are not apart (Fisher ratio below APART), every utterance is a guess (0.5).
A clip of the interviewer's voice is placed on the same line to name the voices: the clip is not
part of the clustering, since a clip recorded apart and saying other words pulls a cluster away.
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
Floats = npt.NDArray[np.float64]
ROUNDS = 50  # k-means rounds at most
FOLDS = 5  # cross-validation folds for the confidence
SHORT_S = 1.0  # an utterance of this many seconds sits half way between its voice and the middle
WIDEN = 4.0  # the fitted spread, widened: short utterances stray further than the fit says (errors must be flagged)
APART = 4.0  # Fisher ratio (per second of speech) below which the two voices are not told apart
RATE = 1.3  # Resemblyzer's partial windows per second of speech (its default)
_LOCK = threading.Lock()
_ENCODER: list[Any] = []


@dataclass(frozen=True)
class Line:
    """The line between the two voices: direction, middle, each voice's position on it (for
    one second of speech), and the spread of an utterance's position (fixed part, per-second part)."""

    direction: Vectors
    middle: Vectors
    positions: tuple[float, float]
    spread: tuple[float, float]
    apart: float

    def posterior(self, places: Floats, seconds: Floats) -> Floats:
        """Probability of voice 0 for utterances at these places on the line, this long."""
        shrink = seconds / (seconds + SHORT_S)
        variance = WIDEN * (self.spread[0] + self.spread[1] / seconds)
        odds = ((places - self.positions[1] * shrink) ** 2 - (places - self.positions[0] * shrink) ** 2) / (2 * variance)
        return np.asarray(1 / (1 + np.exp(-np.clip(odds, -50, 50))), dtype=np.float64)


@dataclass(frozen=True)
class Voices:
    """Per utterance: its voice (0 or 1) and the confidence (0.5..1) that it is that voice."""

    labels: tuple[int, ...]
    confidence: tuple[float, ...]
    line: Line | None = None

    def side(self, embedding: Vectors, seconds: float) -> tuple[int, float]:
        """The voice a further embedding (the interviewer's clip) belongs to, and how surely."""
        if self.line is None or self.line.apart < APART:
            return 0, 0.5
        place = np.asarray([float((embedding - self.line.middle) @ self.line.direction)])
        first = float(self.line.posterior(place, np.asarray([seconds]))[0])
        return (0, round(first, 3)) if first >= 0.5 else (1, round(1 - first, 3))


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


def two_voices(embeddings: Vectors, weights: Sequence[float]) -> Voices:
    """Cluster the utterances into two voices, each with a cross-validated confidence."""
    weight = np.asarray(weights, dtype=np.float64)
    if len(embeddings) < 2:
        return Voices((0,) * len(embeddings), (0.5,) * len(embeddings))
    labels = _kmeans(_unit(embeddings - _mean(embeddings, weight)), weight)
    places = _out_of_fold(embeddings, weight, labels)
    if places is None:
        return Voices(tuple(int(v) for v in labels), (0.5,) * len(labels))
    line = _fit(embeddings, weight, labels, places)
    first = line.posterior(places, weight)
    labels = np.where(first >= 0.5, 0, 1)
    sure = np.where(labels == 0, first, 1 - first)
    if line.apart < APART:
        sure = np.minimum(sure, 0.5)  # one voice split in two, or two voices the encoder hears as one
    return Voices(tuple(int(v) for v in labels), tuple(round(float(c), 3) for c in sure), line)


def known_voices(embeddings: Vectors, weights: Sequence[float], labels: Sequence[int]) -> Voices:
    """Two voices whose utterances are known (one per channel): only their line, to name them."""
    weight = np.asarray(weights, dtype=np.float64)
    known = np.asarray(labels)
    places = _out_of_fold(embeddings, weight, known)
    line = _fit(embeddings, weight, known, places) if places is not None else None
    return Voices(tuple(int(v) for v in known), (1.0,) * len(known), line)


def _kmeans(points: Vectors, weight: Floats) -> npt.NDArray[np.int64]:
    """Spherical two-means from the two points least alike, centroids weighted by duration."""
    first, second = np.unravel_index(int(np.argmin(points @ points.T)), (len(points), len(points)))
    centroids = points[[first, second]]
    labels = np.full(len(points), -1)
    for _ in range(ROUNDS):
        fresh = np.argmax(points @ centroids.T, axis=1)
        if (fresh == labels).all():
            break
        labels = fresh
        centroids = np.stack([
            _unit((points[labels == v] * weight[labels == v, None]).sum(axis=0)) if (labels == v).any() else centroids[v]
            for v in (0, 1)
        ])
    return np.asarray(labels, dtype=np.int64)


def _between(embeddings: Vectors, weight: Floats, labels: Any) -> tuple[Vectors, Vectors] | None:
    """Unit direction from voice 1 to voice 0 and the point half way, or None if a voice is empty."""
    if not (labels == 0).any() or not (labels == 1).any():
        return None
    centres = [_mean(embeddings[labels == v], weight[labels == v]) for v in (0, 1)]
    return _unit(centres[0] - centres[1]), np.asarray((centres[0] + centres[1]) / 2, dtype=np.float32)


def _out_of_fold(embeddings: Vectors, weight: Floats, labels: Any) -> Floats | None:
    """Each utterance's place on the line drawn from the other folds' utterances (leave one out
    when there are fewer utterances than folds)."""
    places = np.zeros(len(embeddings))
    fold = np.arange(len(embeddings)) % FOLDS
    for number in range(min(FOLDS, len(embeddings))):
        found = _between(embeddings[fold != number], weight[fold != number], labels[fold != number])
        if found is None:
            return None
        direction, middle = found
        places[fold == number] = (embeddings[fold == number] - middle) @ direction
    return places


def _fit(embeddings: Vectors, weight: Floats, labels: Any, places: Floats) -> Line:
    """The line through all utterances, with positions and spread from the out-of-fold places."""
    direction, middle = _between(embeddings, weight, labels)  # type: ignore[misc]
    shrink = weight / (weight + SHORT_S)
    positions = [float((places * shrink)[labels == v].sum() / max((shrink[labels == v] ** 2).sum(), 1e-9)) for v in (0, 1)]
    residual = (places - np.where(labels == 0, positions[0], positions[1]) * shrink) ** 2
    design = np.stack([np.ones(len(weight)), 1 / weight], axis=1)
    fixed, per_second = np.linalg.lstsq(design, residual, rcond=None)[0]
    apart = (positions[0] - positions[1]) ** 2 / max(float(np.mean(residual * weight)), 1e-12)
    return Line(direction, middle, (positions[0], positions[1]), (max(float(fixed), 1e-6), max(float(per_second), 0.0)), float(apart))


def _mean(vectors: Vectors, weight: Floats) -> Vectors:
    return np.asarray((vectors * weight[:, None]).sum(axis=0) / max(float(weight.sum()), 1e-9), dtype=np.float32)


def _unit(vectors: Vectors) -> Vectors:
    norm = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.asarray(vectors / np.maximum(norm, 1e-9), dtype=np.float32)


def duration(piece: Samples) -> float:
    return len(piece) / SAMPLE_RATE
