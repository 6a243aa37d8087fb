"""Who speaks, from the recording: one track per participant, one speaker per stereo channel, one
mixed channel told apart by voice (with and without the interviewer's voice clip), on the committed
recordings in tests/data/speakers/ (made by make_speakers.py) and the real Whisper base model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tasks.core.errors import InputError
from tasks.core.study import Study
from tasks.protocol import execute_respondent
from tasks.transcription.speakers import _combined, one_speaker_per_channel

DATA = Path(__file__).resolve().parents[2] / "data" / "speakers"
RECRUITMENT = "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,municipality_size,role\n"
CONSENT = "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on\n"
GUIDE = "questions:\n  - id: q1\n    phase: before\n    topic: data\n    text: What did you expect from data-driven steering?\n"
OTHER_GUIDE = "questions:\n  - id: q1\n    phase: before\n    topic: data\n    text: How large is your team today?\n"
TRUTH = ["interviewer", "respondent", "interviewer", "respondent", "interviewer"]
FLIPPED = ["respondent" if s == "interviewer" else "interviewer" for s in TRUTH]
# clear voices: every utterance certain, the short probe "Does your manager check on you?" nearly
BY_VOICE = [(speaker, "voice", 0.999 if number == 2 else 1.0) for number, speaker in enumerate(TRUTH)]


def make_study(root: Path, recording: str, settings: str = "", guide: str = GUIDE, voice: str | None = None) -> Study:
    """A one-respondent English study whose recording is the fixture `recording` (a file or the tracks folder)."""
    (root / "config").mkdir(parents=True)
    (root / "audio").mkdir()
    yaml = f"study:\n  title: Test\n  language: en\ntranscription:\n  beam_size: 1\n  temperatures: [0.0]\n{settings}"
    (root / "config" / "study.yaml").write_text(yaml, encoding="utf-8")
    (root / "config" / "interview_guide.yaml").write_text(guide, encoding="utf-8")
    (root / "recruitment.csv").write_text(RECRUITMENT + "R01,network,2024-01-10,yes,2024-02-01,online,small,advisor\n")
    (root / "consent.csv").write_text(CONSENT + "R01,2024-02-01,yes,yes,yes,no,\n")
    source = DATA / recording
    if source.is_dir():
        shutil.copytree(source, root / "audio" / "R01")
    else:
        shutil.copyfile(source, root / "audio" / f"R01{source.suffix}")
    if voice is not None:
        shutil.copyfile(DATA / voice, root / "audio" / "interviewer_voice.ogg")
    return Study.at(root)


def transcribed(study: Study) -> dict[str, Any]:
    for stage in ("recruitment", "consent", "transcription"):
        outcome = execute_respondent(study, stage, "R01")
        assert outcome.status == "done", outcome.detail
    return json.loads((study.catalog.draft("R01")).read_text(encoding="utf-8"))


def who(draft: dict[str, Any]) -> list[tuple[str, str, float]]:
    return [(s["speaker"], s["speaker_source"], s["speaker_confidence"]) for s in draft["segments"]]


def test_one_track_per_participant_gives_exact_speakers_merged_by_time(tmp_path: Path) -> None:
    draft = transcribed(make_study(tmp_path, "tracks"))
    assert draft["recording"] == "tracks"
    assert [s["segment_id"] for s in draft["segments"]] == [f"R01-000{n}" for n in range(1, 6)]
    assert who(draft) == [(speaker, "track", 1.0) for speaker in TRUTH]
    assert "manager check" in draft["segments"][2]["text"]


def test_a_stereo_recording_with_one_speaker_per_channel_is_detected_and_named_by_the_guide(tmp_path: Path) -> None:
    draft = transcribed(make_study(tmp_path, "stereo.ogg"))
    assert draft["recording"] == "channels"
    # the left channel asks the guide's one question, the right one asks none: certain
    assert who(draft) == [(speaker, "channel", 1.0) for speaker in TRUTH]


def test_configured_channels_are_taken_as_they_are(tmp_path: Path) -> None:
    # the config says the respondent is on the left: the config wins over the guide
    draft = transcribed(make_study(tmp_path, "stereo.ogg", "  channels: [respondent, interviewer]\n"))
    assert who(draft) == [(speaker, "channel", 1.0) for speaker in FLIPPED]


def test_one_mixed_channel_is_told_apart_by_voice_and_named_by_the_guide(tmp_path: Path) -> None:
    draft = transcribed(make_study(tmp_path, "mixed.ogg"))
    assert draft["recording"] == "mixed"
    assert who(draft) == BY_VOICE


def test_the_interviewers_voice_clip_names_the_voices_where_the_guide_cannot(tmp_path: Path) -> None:
    # no guide question is asked: only "the interviewer speaks less" is left, a guess flagged at 0.5;
    # in this short clip the interviewer speaks longer (7.9 s against 7.2 s), so the guess is wrong
    guessed = transcribed(make_study(tmp_path / "guess", "mixed.ogg", guide=OTHER_GUIDE))
    assert who(guessed) == [(speaker, "voice", 0.5) for speaker in FLIPPED]
    named = transcribed(make_study(tmp_path / "clip", "mixed.ogg", guide=OTHER_GUIDE, voice="interviewer_voice.ogg"))
    assert who(named) == BY_VOICE


def test_two_similar_voices_in_a_short_recording_are_guesses_even_with_the_clip(tmp_path: Path) -> None:
    # two espeak-ng male voices at nearly the same pitch, five utterances: too few to tell the voices
    # apart from a split of one voice (cross-validated), so every segment is flagged, never wrong and sure
    guesses = ["interviewer", "interviewer", "respondent", "interviewer", "respondent"]
    draft = transcribed(make_study(tmp_path / "plain", "similar.ogg"))
    assert who(draft) == [(speaker, "voice", 0.5) for speaker in guesses]
    draft = transcribed(make_study(tmp_path / "clip", "similar.ogg", voice="similar_voice.ogg"))
    assert who(draft) == [(speaker, "voice", 0.5) for speaker in guesses]


def test_the_clip_and_the_guide_name_the_voices_together() -> None:
    # (voice, confidence) each: agreeing namings are surer together, a guess changes nothing,
    # and two sure namings that disagree leave a guess
    assert _combined((1, 0.608), (1, 0.78)) == (1, 0.846)
    assert _combined((0, 0.9), (1, 0.5)) == (0, 0.9)
    assert _combined((0, 1.0), (1, 1.0)) == (0, 0.5)


def test_a_stereo_mix_is_not_taken_for_one_speaker_per_channel() -> None:
    rng = np.random.default_rng(0)
    speech = (rng.standard_normal(16000) * 0.1).astype(np.float32)
    silence = np.zeros(16000, dtype=np.float32)
    assert one_speaker_per_channel(np.concatenate([speech, silence]), np.concatenate([silence, speech]))
    assert not one_speaker_per_channel(np.concatenate([speech, speech]), np.concatenate([speech, speech]) * 0.5)
    assert not one_speaker_per_channel(np.concatenate([speech, silence]), np.concatenate([silence, silence]))


def test_a_tracks_folder_without_the_respondents_track_is_refused(tmp_path: Path) -> None:
    study = make_study(tmp_path, "tracks")
    (tmp_path / "audio" / "R01" / "respondent.ogg").unlink()
    with pytest.raises(InputError) as error:
        study.catalog.recording("R01")
    assert str(error.value) == (
        "audio/R01/: no respondent track; save one track per participant as audio/R01/interviewer.wav "
        "and audio/R01/respondent.wav (or .flac/.mp3/.m4a/.ogg/.opus)"
    )
