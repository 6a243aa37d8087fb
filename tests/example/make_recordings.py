"""Remake the example study's recordings (audio/), coding plan and segment fixture from the dialogue scripts.

    .venv/bin/python tests/example/make_recordings.py            # all respondents, then the checks
    .venv/bin/python tests/example/make_recordings.py R06        # one respondent
    .venv/bin/python tests/example/make_recordings.py --check    # only check the existing recordings

Each utterance is spoken by espeak-ng (Debian package) in Dutch with two voices no one can confuse:
the interviewer a female voice (nl+f5) at a high pitch, each respondent the male voice named in
the dialogue (nl, nl+m1, nl+m7 or nl+klatt) at a low pitch. Whisper base hears espeak's male
voices best, so the respondents' words, which are coded and quoted, get the better voice.
sox (no dither, so remakes are byte-identical) resamples to 16 kHz, and the utterances are laid
out with 1.5 s of silence between them (0.5 s before the first and after the last) so that
voice-activity detection finds exactly one speech chunk per utterance.

The interviews are recorded the three ways the transcription stage tells speakers apart (KINDS):
R02 as a folder with one track per participant (`audio/R02/interviewer.ogg` and `respondent.ogg`,
each silent while the other speaks, as Zoom records a call), R03 as one stereo file with the
interviewer on the left and the respondent on the right (as a call recorder does), the others as
one mixed channel (`audio/<id>.ogg`: Teams' recording, or R12's recorder on the table), whose two
voices the diarizer must tell apart. `audio/interviewer_voice.ogg` is a few seconds of the
interviewer reading the guide's introduction: the clip that names the interviewer's voice.

Everything is encoded as Opus in an Ogg container with PyAV (libopus, bundled in the av wheel),
bit-exact. The check loads each recording as the transcription stage does (its kind must be the
planned one), runs faster-whisper's Silero VAD on each track or channel with
min_silence_duration_ms=500, once with faster-whisper's other defaults and once with the stage's
options, and asserts one chunk per utterance of that track, each inside its own utterance's time
span (after a remake). Finally it writes the segment ids and boundaries the stage gives every
recording (tests/tasks/transcription/data/example_segments.json, read by
tests/tasks/transcription/test_stage.py and tests/benchmarks/gpu_transcription.sh).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.example.interviews import PLAN, Dialogue, load_all, plan_csv, plan_problems, plan_rows

ROOT = Path(__file__).resolve().parents[2]
AUDIO = ROOT / "audio"
SEGMENTS = ROOT / "tests" / "tasks" / "transcription" / "data" / "example_segments.json"
RATE = 16000
GAP_S = 1.5
EDGE_S = 0.5
SPEED = 165  # words per minute
INTERVIEWER = ("nl+f5", 60)  # espeak-ng voice and pitch (0-99)
RESPONDENT_PITCH = 40
BIT_RATE = {1: 24000, 2: 32000}  # per channel count
MIN_SILENCE_MS = 500
DURATION_S = (30.0, 90.0)
TOTAL_MAX_BYTES = 6 * 1024 * 1024
Kind = Literal["mixed", "stereo", "tracks"]
KINDS: dict[str, Kind] = {"R02": "tracks", "R03": "stereo"}  # everyone else: one mixed channel
STAGE_KIND = {"mixed": "mixed", "stereo": "channels", "tracks": "tracks"}  # as speakers.Recording names it
VOICE_CLIP = "interviewer_voice"
CLIP_TEXT = (  # the interview guide's introduction, as the interviewer reads it at the start
    "Fijn dat u mee wilt werken aan dit onderzoek. Als u dat wilt, worden uw antwoorden geanonimiseerd, "
    "en u krijgt het transcript te lezen voordat het gebruikt wordt."
)
SPEAKERS = ("interviewer", "respondent")


@dataclass(frozen=True)
class Span:
    start: float
    end: float


def kind_of(respondent_id: str) -> Kind:
    return KINDS.get(respondent_id, "mixed")


def recording_path(respondent_id: str, root: Path = ROOT) -> Path:
    """`audio/<id>.ogg`, or the folder `audio/<id>/` of a respondent recorded per participant."""
    if kind_of(respondent_id) == "tracks":
        return root / "audio" / respondent_id
    return root / "audio" / f"{respondent_id}.ogg"


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


def synthesise(dialogue: Dialogue, workdir: Path) -> tuple[dict[str, np.ndarray], list[Span]]:
    """The interview as one track per participant (each silent while the other speaks; the
    interviewer's and the respondent's, equally long), and where each utterance lies (seconds)."""
    parts: list[tuple[str | None, np.ndarray]] = [(None, np.zeros(int(EDGE_S * RATE), np.int16))]
    spans: list[Span] = []
    position = len(parts[0][1])
    for n, utterance in enumerate(dialogue.utterances):
        if n:
            parts.append((None, np.zeros(int(GAP_S * RATE), np.int16)))
            position += len(parts[-1][1])
        if utterance.speaker == "interviewer":
            voice, pitch = INTERVIEWER
        else:
            voice, pitch = dialogue.respondent_voice, RESPONDENT_PITCH
        samples = speak(utterance.text, voice, pitch, workdir)
        parts.append((utterance.speaker, samples))
        spans.append(Span(position / RATE, (position + len(samples)) / RATE))
        position += len(samples)
    parts.append((None, np.zeros(int(EDGE_S * RATE), np.int16)))
    tracks = {
        speaker: np.concatenate([p if who == speaker else np.zeros_like(p) for who, p in parts])
        for speaker in SPEAKERS
    }
    return tracks, spans


def write_recording(dialogue: Dialogue, tracks: dict[str, np.ndarray]) -> None:
    """The tracks saved the way this respondent's interview was recorded (KINDS)."""
    kind = kind_of(dialogue.respondent_id)
    target = recording_path(dialogue.respondent_id)
    single, folder = AUDIO / f"{dialogue.respondent_id}.ogg", AUDIO / dialogue.respondent_id
    single.unlink(missing_ok=True)  # a recording made the other way before: two recordings for one id
    for old in _files(folder) if folder.is_dir() else []:
        old.unlink()
    if folder.is_dir() and kind != "tracks":
        folder.rmdir()
    if kind == "tracks":
        target.mkdir(exist_ok=True)
        for speaker in SPEAKERS:
            encode_opus(tracks[speaker][None, :], target / f"{speaker}.ogg")
    elif kind == "stereo":
        encode_opus(np.stack([tracks["interviewer"], tracks["respondent"]]), target)
    else:  # both voices in one channel; they never overlap, so the sum is each in turn
        encode_opus((tracks["interviewer"] + tracks["respondent"])[None, :], target)


def encode_opus(samples: np.ndarray, target: Path) -> None:
    """Samples (channels x n, 16 kHz int16; one or two channels) -> Opus in Ogg, written to a
    temporary file, then renamed."""
    tmp = target.with_suffix(".tmp.ogg")
    channels = samples.shape[0]
    layout = "mono" if channels == 1 else "stereo"
    # bit-exact: no random Ogg serial number or encoder string, so a remake gives the same bytes
    with av.open(str(tmp), "w", format="ogg", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libopus", rate=RATE, layout=layout)
        stream.bit_rate = BIT_RATE[channels]
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        frame_size = stream.codec_context.frame_size or 320
        for start in range(0, samples.shape[1], frame_size):
            chunk = samples[:, start : start + frame_size]
            if chunk.shape[1] < frame_size:
                chunk = np.pad(chunk, ((0, 0), (0, frame_size - chunk.shape[1])))
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="s16p", layout=layout)
            frame.sample_rate = RATE
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    tmp.replace(target)


def make_voice_clip(workdir: Path) -> Path:
    """audio/interviewer_voice.ogg: the interviewer reading the introduction, with short silences around it."""
    edge = np.zeros(int(EDGE_S * RATE), np.int16)
    samples = np.concatenate([edge, speak(CLIP_TEXT, *INTERVIEWER, workdir), edge])
    target = AUDIO / f"{VOICE_CLIP}.ogg"
    encode_opus(samples[None, :], target)
    return target


def load_as_stage(dialogue: Dialogue, root: Path = ROOT) -> tuple[str, list[tuple[str | None, np.ndarray]]]:
    """The recording as the transcription stage loads it: its kind and its tracks (speaker or None
    for an unnamed channel, 16 kHz float32 samples)."""
    from tasks.transcription.speakers import load_recording

    rid = dialogue.respondent_id
    path = recording_path(rid, root)
    tracks = {speaker: path / f"{speaker}.ogg" for speaker in SPEAKERS} if path.is_dir() else None
    recording = load_recording(path, f"audio/{path.name}", tracks, None)
    named = [track.speaker for track in recording.tracks]
    if recording.kind == "channels":  # the stage names the channels by voice; the script puts the interviewer left
        named = list(SPEAKERS)
    return recording.kind, [(speaker, track.samples) for speaker, track in zip(named, recording.tracks, strict=True)]


def speech_chunks(audio: np.ndarray, stage_options: bool) -> list[Span]:
    """VAD chunks with faster-whisper's defaults, or with the transcription stage's options."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from tasks.transcription.segments import speech_chunks as stage_chunks

    if stage_options:
        return [Span(c.start / RATE, c.end / RATE) for c in stage_chunks(audio, MIN_SILENCE_MS)]
    options = VadOptions(min_silence_duration_ms=MIN_SILENCE_MS)
    return [Span(s["start"] / RATE, s["end"] / RATE) for s in get_speech_timestamps(audio, options)]


def check(dialogue: Dialogue, root: Path = ROOT, spans: list[Span] | None = None) -> list[str]:
    """Problems with one recording: its kind, duration, and VAD chunks against utterances, per track."""
    rid = dialogue.respondent_id
    shown = f"audio/{recording_path(rid, root).name}"
    kind, tracks = load_as_stage(dialogue, root)
    problems = []
    if kind != STAGE_KIND[kind_of(rid)]:
        problems.append(f"{shown}: loads as {kind}, planned {kind_of(rid)}")
    duration = max(len(samples) for _, samples in tracks) / RATE
    if not DURATION_S[0] <= duration <= DURATION_S[1]:
        problems.append(f"{shown}: {duration:.1f} s, outside {DURATION_S[0]:.0f}-{DURATION_S[1]:.0f} s")
    found = []
    for speaker, samples in tracks:
        mine = [n for n, u in enumerate(dialogue.utterances) if speaker in (None, u.speaker)]
        for stage_options in (False, True):
            chunks = speech_chunks(samples, stage_options)
            found.append(len(chunks))
            where = f"{shown} ({speaker})" if speaker else shown
            if len(chunks) != len(mine):
                problems.append(f"{where}: {len(chunks)} speech chunks, {len(mine)} utterances")
            elif spans is not None:
                for n, chunk in zip(mine, chunks, strict=True):
                    middle = (chunk.start + chunk.end) / 2
                    if not spans[n].start <= middle <= spans[n].end:
                        problems.append(f"{where}: chunk {chunk.start:.1f}-{chunk.end:.1f} s is not utterance {n + 1}")
    size = sum(p.stat().st_size for p in _files(recording_path(rid, root)))
    print(
        f"{rid}: {kind_of(rid):6} {duration:5.1f} s, {size / 1024:6.1f} KiB, "
        f"{sum(found[0::2])}/{sum(found[1::2])} chunks (defaults/stage options), {len(dialogue.utterances)} utterances"
    )
    return problems


def stage_segments(dialogue: Dialogue, root: Path = ROOT) -> list[list[str | float]]:
    """The segment ids and boundaries the transcription stage gives a recording: its speech chunks
    (stage options), every track's together, numbered in time order."""
    from tasks.core.ids import segment_id
    from tasks.transcription.segments import speech_chunks as stage_chunks

    _, tracks = load_as_stage(dialogue, root)
    chunks = sorted((c.start, c.end) for _, samples in tracks for c in stage_chunks(samples, MIN_SILENCE_MS))
    return [
        [segment_id(dialogue.respondent_id, n), round(start / RATE, 2), round(end / RATE, 2)]
        for n, (start, end) in enumerate(chunks, 1)
    ]


def segments_json(dialogues: list[Dialogue]) -> str:
    """example_segments.json: one line per respondent."""
    lines = [f"  {json.dumps(d.respondent_id)}: {json.dumps(stage_segments(d))}" for d in dialogues]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _files(path: Path) -> list[Path]:
    return sorted(path.glob("*.ogg")) if path.is_dir() else [path]


def audio_files(root: Path = ROOT) -> list[Path]:
    """Every file under audio/ (recordings, track folders, the voice clip)."""
    return sorted(p for p in (root / "audio").rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("respondents", nargs="*", help="respondent ids (default: all)")
    parser.add_argument("--check", action="store_true", help="only check the existing recordings")
    args = parser.parse_args(argv)
    everyone = load_all()
    dialogues = [d for d in everyone if not args.respondents or d.respondent_id in args.respondents]
    problems = plan_problems(plan_rows(everyone))
    PLAN.write_text(plan_csv(everyone), encoding="utf-8")
    AUDIO.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        if not args.check and not args.respondents:
            print(f"{make_voice_clip(Path(workdir)).relative_to(ROOT)}")
        for dialogue in dialogues:
            spans = None
            if not args.check:
                tracks, spans = synthesise(dialogue, Path(workdir))
                write_recording(dialogue, tracks)
            problems += check(dialogue, ROOT, spans)
    if not args.respondents:
        SEGMENTS.write_text(segments_json(everyone), encoding="utf-8")
        print(f"{SEGMENTS.relative_to(ROOT)}")
    total = sum(p.stat().st_size for p in audio_files())
    print(f"total: {total / 1024 / 1024:.2f} MiB in {len(audio_files())} files")
    if total > TOTAL_MAX_BYTES:
        problems.append(f"audio/: {total} bytes, more than 6 MiB")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
