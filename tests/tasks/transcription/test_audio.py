"""Decoding recordings with PyAV: formats, rates, channels, and files that are not usable audio."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from tasks.core.errors import InputError
from tasks.transcription.audio import SAMPLE_RATE, iter_samples, load
from tasks.transcription.segments import speech_chunks

AUDIO = Path(__file__).resolve().parents[2] / "data" / "audio"


def wav_of(source: Path, target: Path) -> Path:
    """A 16-bit PCM WAV of a test clip (tests/data ships compressed files only)."""
    import av

    with av.open(str(source)) as src, av.open(str(target), "w") as dst:
        stream = dst.add_stream("pcm_s16le", rate=16000, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
        for frame in src.decode(audio=0):
            for out in resampler.resample(frame):
                for packet in stream.encode(out):
                    dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return target


@pytest.mark.parametrize("name", ["en.flac", "en.mp3", "en.m4a", "en_8k_stereo.flac", "nl.ogg"])
def test_every_format_decodes_to_16_khz_mono_float32(name: str) -> None:
    audio = load(AUDIO / name, name)
    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    expected = 8.25 if name == "nl.ogg" else 10.81
    assert audio.duration == pytest.approx(expected, abs=0.05)


def test_decoding_streams_in_blocks() -> None:
    blocks = list(iter_samples(AUDIO / "en.flac", "en.flac"))
    assert len(blocks) > 10
    assert sum(len(block) for block in blocks) == pytest.approx(10.81 * SAMPLE_RATE, abs=800)


def test_8_khz_stereo_gives_the_same_pauses_as_16_khz_mono() -> None:
    mono = speech_chunks(load(AUDIO / "en.flac", "a").samples, 500)
    stereo = speech_chunks(load(AUDIO / "en_8k_stereo.flac", "b").samples, 500)
    assert len(mono) == len(stereo) == 3


def test_a_wav_made_here_decodes(tmp_path: Path) -> None:
    assert load(wav_of(AUDIO / "en.flac", tmp_path / "R01.wav"), "audio/R01.wav").duration == pytest.approx(10.81, abs=0.05)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "R01.wav").write_bytes(b"")
    with pytest.raises(InputError) as caught:
        load(tmp_path / "R01.wav", "audio/R01.wav")
    assert caught.value.message == "audio/R01.wav: the file is empty (0 bytes); copy the recording again"


def test_a_text_file_named_wav_is_refused(tmp_path: Path) -> None:
    (tmp_path / "R01.wav").write_text("notes of the interview, not the recording\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(tmp_path / "R01.wav", "audio/R01.wav")
    assert caught.value.message == (
        "audio/R01.wav: not an audio file (invalid data found when processing input); re-export the recording"
    )


def test_a_truncated_wav_is_refused(tmp_path: Path) -> None:
    whole = wav_of(AUDIO / "en.flac", tmp_path / "whole.wav").read_bytes()
    (tmp_path / "R01.wav").write_bytes(whole[: len(whole) // 3])
    with pytest.raises(InputError) as caught:
        load(tmp_path / "R01.wav", "audio/R01.wav")
    assert caught.value.message == (
        "audio/R01.wav: truncated: holds 3.6 s of the 10.8 s its header announces; copy the recording again"
    )


def test_a_truncated_m4a_is_refused(tmp_path: Path) -> None:
    data = (AUDIO / "en.m4a").read_bytes()
    (tmp_path / "R01.m4a").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as caught:
        load(tmp_path / "R01.m4a", "audio/R01.m4a")
    assert caught.value.message == (
        "audio/R01.m4a: not an audio file (invalid data found when processing input); re-export the recording"
    )


def silent_wav(target: Path, seconds: float = 3.0) -> Path:
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * int(16000 * seconds))
    return target


def test_silence_has_no_speech_chunks(tmp_path: Path) -> None:
    assert speech_chunks(load(silent_wav(tmp_path / "s.wav"), "s").samples, 500) == []
