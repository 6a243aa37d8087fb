"""Transcription's work: decode the recording (PyAV), find speech (Silero VAD), transcribe it
with the configured Whisper engine and write the draft in its formats."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from tasks.core.config import InterviewGuide, TranscriptionSection
from tasks.core.errors import InputError
from tasks.core.study import Study
from tasks.core.transcripts import Transcript
from tasks.transcription.audio import SAMPLE_RATE, Samples, load
from tasks.transcription.engines import (
    TRANSCRIBING,
    Options,
    Transcriber,
    batch_size_for,
    compute_type_for,
    device_for,
    is_loaded,
    load_engine,
)
from tasks.transcription.progress import audio_progress, phase
from tasks.transcription.render import write_outputs
from tasks.transcription.segments import flags_by_id, speech_chunks, transcribe_whole
from tasks.transcription.speakers import Voiced, attribute, load_recording, segments_of, transcribe_tracks

log = logging.getLogger("interview_study")


def transcribe(study: Study, respondent_id: str, path: Path, current: dict[str, Any]) -> tuple[Transcript, tuple[Path, ...]]:
    """Decode the recording, transcribe it, find who speaks and write the draft (.json, .txt, .vtt, .docx).

    `path`: `audio/<id>.<ext>`, or the folder `audio/<id>/` with one track per participant."""

    label = f"audio/{path.name}" + ("/" if path.is_dir() else "")
    settings = study.config.transcription
    tracks = study.catalog.tracks(path) if path.is_dir() else None
    recording = load_recording(path, label, tracks, settings.channels)  # a bad recording fails before the model loads
    engine = _engine(settings, study.root)
    device = device_for(settings)
    options = Options(
        study.language, settings.beam_size, tuple(settings.temperatures), settings.initial_prompt, batch_size_for(device)
    )
    mix = recording.mix()
    with TRANSCRIBING:
        if settings.vad:
            with phase(f"finding speech in {respondent_id} ({recording.duration / 60:.1f} min)"):
                chunks = [speech_chunks(track.samples, settings.min_silence_ms) for track in recording.tracks]
            if not any(chunks):
                raise InputError(_silent(label, recording.duration))
            with audio_progress(respondent_id, recording.duration) as advance:
                found = transcribe_tracks(engine, recording, chunks, options, advance, settings.mark_pauses_s)
            with phase(f"finding who speaks in {respondent_id}"):
                voiced = attribute(recording, chunks, found, _guide(study), _reference(study, settings.min_silence_ms))
            first = min(track[0].start for track in chunks if track)
        else:
            with audio_progress(respondent_id, recording.duration) as advance:
                voiced = [Voiced(u) for u in transcribe_whole(engine, mix, options, advance)]
            first = 0
        if not voiced:
            raise InputError(_silent(label, recording.duration))
        probability = engine.language_probability(mix[first : first + 30 * SAMPLE_RATE], study.language)
    utterances = [v.utterance for v in voiced]
    meta = {
        "engine": settings.engine,
        "model": settings.model,
        "settings": current["settings"],
        "audio_sha256": current["audio_sha256"],
        "duration": round(recording.duration, 2),
        "language": study.language,
        "language_probability": round(probability, 3),
        "recording": recording.kind,
        "flags": flags_by_id(respondent_id, utterances),
    }
    transcript = Transcript(respondent_id, segments_of(respondent_id, voiced), meta)
    with phase(f"writing the draft of {respondent_id}"):
        outputs = write_outputs(study.catalog.draft(transcript.respondent_id).parent, transcript)
    log.info("transcribed %s: %d segments, %.0f s of audio", respondent_id, len(transcript.segments), recording.duration)
    return transcript, outputs


def _guide(study: Study) -> InterviewGuide:
    """The interview guide (its questions name the voices); none yet: no questions."""
    exists = study.catalog.config_file("interview_guide.yaml").is_file()
    return study.guide if exists else InterviewGuide(questions=[])


def _reference(study: Study, min_silence_ms: int) -> Samples | None:
    """The speech in `audio/interviewer_voice.<ext>`, or None when the study has no such clip."""
    path = study.catalog.interviewer_voice()
    if path is None:
        return None
    samples = load(path, f"audio/{path.name}").samples
    speech = [samples[c.start : c.end] for c in speech_chunks(samples, min_silence_ms)]
    if not speech:
        raise InputError(f"audio/{path.name}: no speech found; record a clip of the interviewer speaking")
    return np.concatenate(speech)


def _engine(settings: TranscriptionSection, root: Path) -> Transcriber:
    """The engine, with a status line the first time it is loaded in this process."""
    if is_loaded(settings, root):
        return load_engine(settings, root)
    device = device_for(settings)
    what = f"{settings.engine} {settings.model}, {compute_type_for(settings, device)} on {device}"
    with phase(f"loading the Whisper model ({what})"):
        return load_engine(settings, root)


def _silent(label: str, duration: float) -> str:
    return (
        f"{label}: no speech found in {duration:.1f} s of audio; "
        "check that it is the interview recording and re-export it"
    )
