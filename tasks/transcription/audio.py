"""Recordings decoded with PyAV (no ffmpeg binary) to 16 kHz mono float32, as Whisper expects.

`iter_samples` streams the decoded audio in blocks; `load` fills one growing buffer from it, so
an hour-long recording (about 230 MB as float32) is held in memory once, not once per copy.
Every unusable file becomes one InputError naming the file and what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from tasks.core.errors import InputError

SAMPLE_RATE = 16000
TRUNCATED_BELOW = 0.9  # decoded / announced duration under this: the file was cut short
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Audio:
    samples: Samples
    label: str

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def iter_samples(path: Path, label: str) -> Iterator[Samples]:
    """Decoded blocks of 16 kHz mono float32 samples; InputError when the file is not usable audio."""
    if path.stat().st_size == 0:
        raise InputError(f"{label}: the file is empty (0 bytes); copy the recording again")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.FFmpegError as error:
        raise InputError(f"{label}: not an audio file ({_reason(error)}); re-export the recording") from None
    with container:
        if not container.streams.audio:
            raise InputError(f"{label}: holds no audio track; re-export the recording as audio")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    yield _mono(out)
            for out in resampler.resample(None):
                yield _mono(out)
        except av.error.FFmpegError as error:
            raise InputError(
                f"{label}: damaged audio ({_reason(error)}); copy or re-export the recording"
            ) from None


def _mono(frame: av.AudioFrame) -> Samples:
    return np.asarray(frame.to_ndarray(), dtype=np.float32).reshape(-1)


def announced_duration(path: Path) -> float | None:
    """The duration the file's header claims (None when it does not say), without decoding."""
    wav = _wav_announced(path)
    if wav is not None:
        return wav
    with av.open(str(path), metadata_errors="ignore") as container:
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration is not None:
            return container.duration / 1_000_000
    return None


def load(path: Path, label: str) -> Audio:
    """The whole recording as one float32 array; refuses empty, truncated and non-audio files."""
    buffer = np.empty(SAMPLE_RATE * 60, dtype=np.float32)
    size = 0
    for block in iter_samples(path, label):
        if size + len(block) > len(buffer):
            buffer = _grow(buffer, size + len(block))
        buffer[size : size + len(block)] = block
        size += len(block)
    if size == 0:
        raise InputError(f"{label}: no audio could be decoded; re-export the recording")
    announced = announced_duration(path)
    decoded = size / SAMPLE_RATE
    if announced is not None and announced > 1.0 and decoded < announced * TRUNCATED_BELOW:
        raise InputError(
            f"{label}: truncated: holds {decoded:.1f} s of the {announced:.1f} s its header announces; "
            "copy the recording again"
        )
    samples = buffer[:size].copy() if size < len(buffer) // 2 else buffer[:size]
    return Audio(samples, label)


def _wav_announced(path: Path) -> float | None:
    # FFmpeg estimates a WAV's duration from the file size, so a cut-off WAV looks complete;
    # the RIFF header's own data size and byte rate say how long it was meant to be.
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    offset, byte_rate = 12, 0
    while offset + 8 <= len(head):
        chunk, size = head[offset : offset + 4], int.from_bytes(head[offset + 4 : offset + 8], "little")
        if chunk == b"fmt " and offset + 16 <= len(head):
            byte_rate = int.from_bytes(head[offset + 16 : offset + 20], "little")
        if chunk == b"data":
            return size / byte_rate if byte_rate and size < 0xFFFFFFFF else None
        offset += 8 + size + (size & 1)
    return None


def _grow(buffer: Samples, needed: int) -> Samples:
    # doubling keeps the number of copies logarithmic in the length of the recording
    grown = np.empty(max(needed, len(buffer) * 2), dtype=np.float32)
    grown[: len(buffer)] = buffer
    return grown


def _reason(error: Exception) -> str:
    text = getattr(error, "strerror", None) or str(error)
    return " ".join(str(text).split())[:80].rstrip(".").lower()
