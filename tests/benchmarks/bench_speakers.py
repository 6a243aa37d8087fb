"""Speaker benchmark: who speaks, per input kind, on synthetic two-voice interviews (a script, not a test).

    .venv/bin/python tests/benchmarks/bench_speakers.py [--dutch N] [--whisper]

Interviews: the English benchmark script (`data/interview_en.txt`, 32 turns) and the first N Dutch
dialogues of the example study (`tests/example/dialogues/`, 10-14 turns each), spoken by two
voices that differ clearly (English: espeak-ng en-us+f3 at a high pitch against Piper's natural
joe voice; Dutch: nl+m3 low against nl+f2 high) or are similar (two espeak-ng male voices at
nearly the same pitch). Each is laid out as one track per participant, as a stereo file with one
speaker per channel (channels not named in the config), and as one mixed channel, with and
without a clip of the interviewer's voice. Speakers are found exactly as the transcription stage
does (tasks/transcription/speakers.py) from the stage's voice-activity chunks; each chunk's text
is the script's (an oracle transcript) so that naming by the guide measures the voices, not
Whisper. The guide: the example study's for Dutch; for English the script's interviewer turns that
end in a question mark.

Reported: share of segments with the right speaker, the diarization error rate (10-ms frames:
missed speech, false alarm and confusion over the script's speech), the share of segments flagged
as low confidence, and the seconds spent per minute of audio. `--whisper` also transcribes one
English interview with the default engine to compare: the extra time for speakers against the
transcription's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tasks.core.config import InterviewGuide
from tasks.core.study import Study
from tasks.core.transcripts import LOW_CONFIDENCE
from tasks.transcription.segments import Utterance, speech_chunks
from tasks.transcription.speakers import Recording, Track, attribute
from tests.data.speakers.voices import PIPER, RATE, Dialogue, Voice, mixed, speak, tracks
from tests.example.interviews import load_all

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "data" / "interview_en.txt"
MIN_SILENCE_MS = 500
FRAME_S = 0.01
PAIRS = {
    ("en", "different"): {"interviewer": Voice("en-us+f3", 70), "respondent": PIPER},
    ("en", "similar"): {"interviewer": Voice("en-us+m3", 40), "respondent": Voice("en-us+m1", 45)},
    ("nl", "different"): {"interviewer": Voice("nl+m3", 35), "respondent": Voice("nl+f2", 60)},
    ("nl", "similar"): {"interviewer": Voice("nl+m3", 40), "respondent": Voice("nl+m1", 45)},
}
CLIPS = {
    "en": "Good morning, and welcome to this interview about your work in the municipality.",
    "nl": "Goedemorgen, en welkom bij dit interview over uw werk bij de gemeente.",
}


def english() -> tuple[list[Dialogue], InterviewGuide]:
    turns = tuple(
        (line.split(":", 1)[0], line.split(":", 1)[1].strip())
        for line in SCRIPT.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    questions = [text for speaker, text in turns if speaker == "interviewer" and text.endswith("?")]
    guide = InterviewGuide.model_validate(
        {"questions": [{"id": f"q{n}", "topic": "t", "phase": "before", "text": q} for n, q in enumerate(questions, 1)]}
    )
    return [Dialogue(turns)], guide


def dutch(count: int) -> tuple[list[Dialogue], InterviewGuide]:
    dialogues = [Dialogue(tuple((u.speaker, u.text) for u in d.utterances)) for d in load_all()[:count]]
    return dialogues, Study.at(ROOT).guide


def score(
    kind: str, parts: dict[str, np.ndarray], dialogue: Dialogue, truth: list[tuple[str, float, float]],
    guide: InterviewGuide, reference: np.ndarray | None,
) -> tuple[int, int, int, float, float, float]:
    """(right, segments, flagged, error frames, speech frames, seconds) for one layout."""
    if kind == "tracks":
        recording = Recording("tracks", tuple(Track(parts[s], s) for s in ("interviewer", "respondent")))  # type: ignore[arg-type]
    elif kind == "channels":
        recording = Recording("channels", (Track(parts["interviewer"]), Track(parts["respondent"])))
    else:
        recording = Recording("mixed", (Track(mixed(parts)),))
    started = time.perf_counter()
    chunks = [speech_chunks(track.samples, MIN_SILENCE_MS) for track in recording.tracks]
    vad_s = time.perf_counter() - started
    utterances = [[_oracle(c.start / RATE, c.end / RATE, dialogue, truth) for c in found] for found in chunks]
    started = time.perf_counter()
    voiced = attribute(recording, chunks, utterances, guide, reference)
    seconds = time.perf_counter() - started
    right = flagged = 0
    for v in voiced:
        right += _truth_at((v.utterance.start + v.utterance.end) / 2, truth) == v.speaker
        flagged += v.confidence is not None and v.confidence < LOW_CONFIDENCE
    errors, speech = _der(voiced, truth, recording.duration)
    return right, len(voiced), flagged, errors, speech, seconds + vad_s * 0  # VAD is the stage's anyway


def _oracle(start: float, end: float, dialogue: Dialogue, truth: list[tuple[str, float, float]]) -> Utterance:
    middle = (start + end) / 2
    best = min(range(len(truth)), key=lambda n: 0 if truth[n][1] <= middle <= truth[n][2] else abs(truth[n][1] - middle))
    return Utterance(start, end, dialogue.turns[best][1])


def _truth_at(seconds: float, truth: list[tuple[str, float, float]]) -> str:
    return min(truth, key=lambda t: 0 if t[1] <= seconds <= t[2] else min(abs(t[1] - seconds), abs(t[2] - seconds)))[0]


def _der(voiced: Sequence[object], truth: list[tuple[str, float, float]], duration: float) -> tuple[float, float]:
    frames = int(duration / FRAME_S) + 1
    codes = {"interviewer": 1, "respondent": 2, "unknown": 3}
    ref = np.zeros(frames, np.int8)
    hyp = np.zeros(frames, np.int8)
    for speaker, start, end in truth:
        ref[int(start / FRAME_S) : int(end / FRAME_S)] = codes[speaker]
    for v in voiced:
        u = v.utterance  # type: ignore[attr-defined]
        hyp[int(u.start / FRAME_S) : int(u.end / FRAME_S)] = codes[v.speaker]  # type: ignore[attr-defined]
    speech = float((ref > 0).sum())
    errors = float(((ref > 0) & (hyp != ref)).sum() + ((ref == 0) & (hyp > 0)).sum())
    return errors, speech


def whisper_seconds_per_minute(dialogue: Dialogue, voices: dict[str, Voice]) -> tuple[float, float]:
    """Transcription and speaker seconds per minute of audio on one mixed English interview."""
    from tasks.core.config import TranscriptionSection
    from tasks.transcription.engines import Options, load_engine
    from tasks.transcription.segments import transcribe_chunks

    parts, truth = tracks(dialogue, voices)
    samples = mixed(parts)
    minutes = len(samples) / RATE / 60
    engine = load_engine(TranscriptionSection(), ROOT)
    chunks = speech_chunks(samples, MIN_SILENCE_MS)
    started = time.perf_counter()
    found = transcribe_chunks(engine, samples, chunks, Options("en", 5, (0.0, 0.2, 0.4), None), lambda _s: None)
    whisper = time.perf_counter() - started
    guide = english()[1]
    started = time.perf_counter()
    attribute(Recording("mixed", (Track(samples),)), [chunks], [found], guide, None)
    return whisper / minutes, (time.perf_counter() - started) / minutes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dutch", type=int, default=6, help="how many Dutch example dialogues (default 6)")
    parser.add_argument("--whisper", action="store_true", help="also time the transcription of one English interview")
    parser.add_argument("--pairs", nargs="*", help="only these, e.g. en:similar nl:different")
    args = parser.parse_args()
    corpora = {"en": english(), "nl": dutch(args.dutch)}
    print("| language | voices | input | reference clip | segments | right speaker | DER | flagged | s per audio min |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for (language, pair), voices in PAIRS.items():
        if args.pairs and f"{language}:{pair}" not in args.pairs:
            continue
        dialogues, guide = corpora[language]
        laid_out = [(d, *tracks(d, voices)) for d in dialogues]
        clip = speak(CLIPS[language], voices["interviewer"])
        minutes = sum(len(parts["interviewer"]) for _d, parts, _t in laid_out) / RATE / 60
        for kind, with_clip in (("tracks", False), ("channels", False), ("channels", True), ("mixed", False), ("mixed", True)):
            totals = np.zeros(6)
            for dialogue, parts, truth in laid_out:
                totals += score(kind, parts, dialogue, truth, guide, clip if with_clip else None)
            right, count, flagged, errors, speech, seconds = totals
            print(
                f"| {language} | {pair} | {kind} | {'yes' if with_clip else 'no'} | {int(count)} | "
                f"{right / count:.1%} | {errors / speech:.1%} | {flagged / count:.1%} | {seconds / minutes:.2f} |",
                flush=True,
            )
    if args.whisper:
        dialogue = corpora["en"][0][0]
        whisper, speakers = whisper_seconds_per_minute(dialogue, PAIRS[("en", "different")])
        print(f"\nmixed English interview: transcription {whisper:.1f} s, speakers {speakers:.2f} s per audio minute "
              f"({speakers / whisper:.0%} extra)")


if __name__ == "__main__":
    main()
