"""Transcription's work: decode the recording (PyAV), find speech (Silero VAD), transcribe it
with the configured Whisper engine and write the draft in its formats."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from tasks.core.config import TranscriptionSection
from tasks.core.errors import InputError
from tasks.core.study import Study
from tasks.core.transcripts import Transcript
from tasks.transcription.audio import SAMPLE_RATE, load
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
from tasks.transcription.segments import flags_by_id, speech_chunks, to_segments, transcribe_chunks, transcribe_whole

log = logging.getLogger("interview_study")


def transcribe(study: Study, respondent_id: str, path: Path, current: dict[str, Any]) -> tuple[Transcript, tuple[Path, ...]]:
    """Decode the recording, transcribe it and write the draft (.json, .txt, .vtt, .docx)."""

    label = f"audio/{path.name}"
    settings = study.config.transcription
    audio = load(path, label)  # a bad recording fails before the model is even loaded
    engine = _engine(settings, study.root)
    device = device_for(settings)
    options = Options(
        study.language, settings.beam_size, tuple(settings.temperatures), settings.initial_prompt, batch_size_for(device)
    )
    with TRANSCRIBING:
        if settings.vad:
            with phase(f"finding speech in {respondent_id} ({audio.duration / 60:.1f} min)"):
                chunks = speech_chunks(audio.samples, settings.min_silence_ms)
            if not chunks:
                raise InputError(_silent(label, audio.duration))
            with audio_progress(respondent_id, audio.duration) as advance:
                utterances = transcribe_chunks(engine, audio.samples, chunks, options, advance, settings.mark_pauses_s)
            first = chunks[0].start
        else:
            with audio_progress(respondent_id, audio.duration) as advance:
                utterances = transcribe_whole(engine, audio.samples, options, advance)
            first = 0
        if not utterances:
            raise InputError(_silent(label, audio.duration))
        probability = engine.language_probability(audio.samples[first : first + 30 * SAMPLE_RATE], study.language)
    meta = {
        "engine": settings.engine,
        "model": settings.model,
        "settings": current["settings"],
        "audio_sha256": current["audio_sha256"],
        "duration": round(audio.duration, 2),
        "language": study.language,
        "language_probability": round(probability, 3),
        "flags": flags_by_id(respondent_id, utterances),
    }
    transcript = Transcript(respondent_id, to_segments(respondent_id, utterances), meta)
    with phase(f"writing the draft of {respondent_id}"):
        outputs = write_outputs(study.catalog.draft(transcript.respondent_id).parent, transcript)
    log.info("transcribed %s: %d segments, %.0f s of audio", respondent_id, len(transcript.segments), audio.duration)
    return transcript, outputs


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
