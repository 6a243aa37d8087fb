"""From a recording to segments whose ids do not move.

The recording is split at pauses of at least `min_silence_ms` by the Silero voice-activity
detector that ships with faster-whisper (an ONNX model run on the CPU, deterministic), and each
speech chunk is transcribed on its own. Segment boundaries and therefore segment ids depend only on
the audio and the pause setting, not on the engine, the model or the decoding settings, and the
same recording gives the same ids on any machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tasks.core.ids import segment_id
from tasks.core.transcripts import Segment
from tasks.transcription.audio import SAMPLE_RATE, Samples
from tasks.transcription.engines import Options, Piece, Transcriber

MAX_CHUNK_S = 30.0  # one Whisper window: a longer turn is split at its last short pause
SPEECH_PAD_MS = 200  # context kept around each chunk, so first and last words are not clipped
MIN_SPEECH_MS = 250  # shorter bursts (clicks, coughs) are not speech

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Chunk:
    """A stretch of speech, in samples."""

    start: int
    end: int


def speech_chunks(samples: Samples, min_silence_ms: int) -> list[Chunk]:
    """Speech separated by pauses of at least `min_silence_ms`, in time order."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        min_silence_duration_ms=min_silence_ms,
        speech_pad_ms=min(SPEECH_PAD_MS, min_silence_ms // 2),
        max_speech_duration_s=MAX_CHUNK_S,
        min_speech_duration_ms=MIN_SPEECH_MS,
    )
    return [Chunk(int(span["start"]), int(span["end"])) for span in get_speech_timestamps(samples, options)]


def transcribe_chunks(
    engine: Transcriber, samples: Samples, chunks: list[Chunk], options: Options, progress: Progress
) -> list[Piece]:
    """One piece of text per speech chunk.

    A chunk where the engine heard no words is kept with empty text: dropping it would renumber
    every later segment, and segment ids must depend on the recording alone (codings cite them).
    """
    pieces = []
    for chunk in chunks:
        found = engine.transcribe(samples[chunk.start : chunk.end], options)
        text = " ".join(piece.text for piece in found if piece.text)
        pieces.append(Piece(chunk.start / SAMPLE_RATE, chunk.end / SAMPLE_RATE, text))
        progress(chunk.end / SAMPLE_RATE)
    return pieces


def transcribe_whole(engine: Transcriber, samples: Samples, options: Options, progress: Progress) -> list[Piece]:
    """Without VAD: the engine's own segmentation of the whole recording."""
    pieces = [piece for piece in engine.transcribe(samples, options) if piece.text]
    progress(len(samples) / SAMPLE_RATE)
    return pieces


def to_segments(respondent_id: str, pieces: list[Piece]) -> tuple[Segment, ...]:
    """Numbered from 0001 in time order; times in seconds, to the hundredth."""
    ordered = sorted(pieces, key=lambda piece: (piece.start, piece.end))
    return tuple(
        Segment(segment_id(respondent_id, number), round(piece.start, 2), round(piece.end, 2), "unknown", piece.text)
        for number, piece in enumerate(ordered, start=1)
    )
