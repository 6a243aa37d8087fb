"""Remake the speaker test recordings in tests/data/speakers/ (a few seconds each, ~0.2 MB in all).

    .venv/bin/python tests/data/speakers/make_speakers.py

One short English interview (a guide question, an answer, an unscripted probe, an answer, a
closing remark): the interviewer is espeak-ng's en-us female variant at a high pitch, the
respondent Piper's natural joe voice. The same dialogue is written as one mixed channel
(`mixed.ogg`), as a stereo file with the interviewer on the left and the respondent on the right
(`stereo.ogg`), as one track per participant (`tracks/interviewer.ogg`, `tracks/respondent.ogg`),
and with two similar espeak-ng voices (`similar.ogg`); `interviewer_voice.ogg` is the
interviewer saying something else, and `similar_voice.ogg` the same for the similar voices.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tests.data.speakers.voices import PIPER, Dialogue, Voice, encode, mixed, speak, tracks

HERE = Path(__file__).resolve().parent
INTERVIEW = Dialogue((
    ("interviewer", "What did you expect from data-driven steering?"),
    ("respondent", "I expected that the numbers would show us the problems in the neighbourhoods."),
    ("interviewer", "Does your manager check on you?"),
    ("respondent", "No, my manager trusts the team with the figures."),
    ("interviewer", "Thank you, that was my last question."),
))
CLEAR = {"interviewer": Voice("en-us+f3", 70), "respondent": PIPER}
SIMILAR = {"interviewer": Voice("en-us+m3", 40), "respondent": Voice("en-us+m1", 45)}
CLIP = "Good morning, and welcome to this interview about your work in the municipality."


def main() -> None:
    parts, _ = tracks(INTERVIEW, CLEAR)
    encode(HERE / "mixed.ogg", [mixed(parts)])
    encode(HERE / "stereo.ogg", [parts["interviewer"], parts["respondent"]])
    for speaker, samples in parts.items():
        encode(HERE / "tracks" / f"{speaker}.ogg", [samples])
    encode(HERE / "interviewer_voice.ogg", [speak(CLIP, CLEAR["interviewer"])])
    similar, _ = tracks(INTERVIEW, SIMILAR)
    encode(HERE / "similar.ogg", [mixed(similar)])
    encode(HERE / "similar_voice.ogg", [speak(CLIP, SIMILAR["interviewer"])])
    total = sum(p.stat().st_size for p in HERE.rglob("*.ogg"))
    print(f"{total / 1024:.0f} KiB in {len(list(HERE.rglob('*.ogg')))} recordings")


if __name__ == "__main__":
    main()
