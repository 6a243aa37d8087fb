"""Remake the example study's recordings (audio/R01.ogg ...) and coding plan from the dialogue scripts.

    .venv/bin/python tests/example/make_recordings.py            # all respondents, then the checks
    .venv/bin/python tests/example/make_recordings.py R06        # one respondent
    .venv/bin/python tests/example/make_recordings.py --check    # only check the existing recordings

Each utterance is spoken by espeak-ng (Debian package) with a Dutch voice: the interviewer always
nl+m3 at a low pitch, the respondent the voice named in the dialogue at a higher pitch (espeak's
female variants came out worst in Whisper base, so respondents use nl, nl+m1, nl+m7 and
nl+klatt). sox (no dither, so remakes are byte-identical) resamples to 16 kHz mono, and the
utterances are joined with 1.5 s of silence (0.5 s before the first and after the last) so that
voice-activity detection finds exactly one speech chunk per utterance. The result is encoded as
Opus in an Ogg container with PyAV (libopus, bundled in the av wheel), bit-exact. The check decodes
each recording with PyAV and runs faster-whisper's Silero VAD with min_silence_duration_ms=500,
once with faster-whisper's other defaults and once with the transcription stage's options, and
asserts one chunk per utterance, each inside its own utterance's time span (after a remake).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.example.interviews import PLAN, Dialogue, load_all, plan_csv, plan_problems, plan_rows

ROOT = Path(__file__).resolve().parents[2]
AUDIO = ROOT / "audio"
RATE = 16000
GAP_S = 1.5
EDGE_S = 0.5
SPEED = 165  # words per minute
INTERVIEWER = ("nl+m3", 35)  # espeak-ng voice and pitch (0-99)
RESPONDENT_PITCH = 55
BIT_RATE = 24000
MIN_SILENCE_MS = 500
DURATION_S = (30.0, 90.0)
TOTAL_MAX_BYTES = 6 * 1024 * 1024


@dataclass(frozen=True)
class Span:
    start: float
    end: float


def spoken(text: str) -> str:
    """The text as espeak-ng reads it: sentence breaks inside an utterance become commas, because
    espeak pauses up to 0.45 s at a full stop, too close to the 0.5 s that splits segments."""
    return re.sub(r"[.!?;:]\s+", ", ", text.strip())


def speak(text: str, voice: str, pitch: int, workdir: Path) -> np.ndarray:
    """One utterance as 16 kHz mono int16 samples."""
    raw, resampled = workdir / "raw.wav", workdir / "utt.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(SPEED), "-p", str(pitch), "-w", str(raw), spoken(text)],
        check=True,
    )
    subprocess.run(
        ["sox", "-D", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(resampled), "norm", "-3"],
        check=True,
    )
    with wave.open(str(resampled), "rb") as handle:
        return np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16)


def synthesise(dialogue: Dialogue, workdir: Path) -> tuple[np.ndarray, list[Span]]:
    """The whole interview as samples, and where each utterance lies (seconds)."""
    parts: list[np.ndarray] = [np.zeros(int(EDGE_S * RATE), np.int16)]
    spans: list[Span] = []
    position = len(parts[0])
    for n, utterance in enumerate(dialogue.utterances):
        if n:
            parts.append(np.zeros(int(GAP_S * RATE), np.int16))
            position += len(parts[-1])
        if utterance.speaker == "interviewer":
            voice, pitch = INTERVIEWER
        else:
            voice, pitch = dialogue.respondent_voice, RESPONDENT_PITCH
        samples = speak(utterance.text, voice, pitch, workdir)
        parts.append(samples)
        spans.append(Span(position / RATE, (position + len(samples)) / RATE))
        position += len(samples)
    parts.append(np.zeros(int(EDGE_S * RATE), np.int16))
    return np.concatenate(parts), spans


def encode_opus(samples: np.ndarray, target: Path) -> None:
    """Samples (16 kHz mono int16) -> Opus in Ogg, written to a temporary file, then renamed."""
    tmp = target.with_suffix(".tmp.ogg")
    # bit-exact: no random Ogg serial number or encoder string, so a remake gives the same bytes
    with av.open(str(tmp), "w", format="ogg", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libopus", rate=RATE, layout="mono")
        stream.bit_rate = BIT_RATE
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        frame_size = stream.codec_context.frame_size or 320
        for start in range(0, len(samples), frame_size):
            chunk = samples[start : start + frame_size]
            if len(chunk) < frame_size:
                chunk = np.pad(chunk, (0, frame_size - len(chunk)))
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = RATE
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    tmp.replace(target)


def decode(path: Path) -> np.ndarray:
    """A recording as 16 kHz mono float32, the way the transcription stage feeds Whisper."""
    pieces = []
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        for frame in container.decode(audio=0):
            pieces += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        pieces += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(pieces).astype(np.float32)


def speech_chunks(audio: np.ndarray, stage_options: bool) -> list[Span]:
    """VAD chunks with faster-whisper's defaults, or with the transcription stage's options."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if stage_options:  # as tasks/whisper/segments.py: shorter padding, no clicks, 30 s windows
        options = VadOptions(
            min_silence_duration_ms=MIN_SILENCE_MS,
            speech_pad_ms=200,
            min_speech_duration_ms=250,
            max_speech_duration_s=30,
        )
    else:
        options = VadOptions(min_silence_duration_ms=MIN_SILENCE_MS)
    return [Span(s["start"] / RATE, s["end"] / RATE) for s in get_speech_timestamps(audio, options)]


def check(dialogue: Dialogue, path: Path, spans: list[Span] | None) -> list[str]:
    """Problems with one recording: duration, and VAD chunks against utterances."""
    audio = decode(path)
    duration = len(audio) / RATE
    problems = []
    if not DURATION_S[0] <= duration <= DURATION_S[1]:
        problems.append(f"{path.name}: {duration:.1f} s, outside {DURATION_S[0]:.0f}-{DURATION_S[1]:.0f} s")
    want = len(dialogue.utterances)
    found = []
    for stage_options in (False, True):
        chunks = speech_chunks(audio, stage_options)
        found.append(len(chunks))
        if len(chunks) != want:
            problems.append(f"{path.name}: {len(chunks)} speech chunks, {want} utterances")
        elif spans is not None:
            for n, (chunk, span) in enumerate(zip(chunks, spans, strict=True), 1):
                middle = (chunk.start + chunk.end) / 2
                if not span.start <= middle <= span.end:
                    problems.append(
                        f"{path.name}: chunk {n} ({chunk.start:.1f}-{chunk.end:.1f} s) is not utterance {n}"
                    )
    print(
        f"{dialogue.respondent_id}: {duration:5.1f} s, {path.stat().st_size / 1024:6.1f} KiB, "
        f"{found[0]}/{found[1]} chunks (defaults/stage options), {want} utterances"
    )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("respondents", nargs="*", help="respondent ids (default: all)")
    parser.add_argument("--check", action="store_true", help="only check the existing recordings")
    args = parser.parse_args(argv)
    dialogues = [d for d in load_all() if not args.respondents or d.respondent_id in args.respondents]
    problems = plan_problems(plan_rows(load_all()))
    PLAN.write_text(plan_csv(load_all()), encoding="utf-8")
    AUDIO.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        for dialogue in dialogues:
            target = AUDIO / f"{dialogue.respondent_id}.ogg"
            spans = None
            if not args.check:
                samples, spans = synthesise(dialogue, Path(workdir))
                encode_opus(samples, target)
            problems += check(dialogue, target, spans)
    total = sum(p.stat().st_size for p in AUDIO.glob("*.ogg"))
    print(f"total: {total / 1024 / 1024:.2f} MiB in {len(list(AUDIO.glob('*.ogg')))} recordings")
    if total > TOTAL_MAX_BYTES:
        problems.append(f"audio/: {total} bytes, more than 6 MiB")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
