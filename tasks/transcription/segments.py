"""From a recording to segments whose ids do not move.

The recording is split at pauses of at least `min_silence_ms` by the Silero voice-activity
detector that ships with faster-whisper (an ONNX model run on the CPU, deterministic). Each speech
chunk becomes one segment: its boundaries and therefore its id depend only on the audio and the
pause setting, not on the engine, the model, the device or the decoding settings, and the same
recording gives the same ids on any machine. The chunks are decoded together in packed windows
(packing.py); each chunk's text is the words whose timestamps fall in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from tasks.core.ids import segment_id
from tasks.core.transcripts import Segment
from tasks.transcription.audio import SAMPLE_RATE, Samples
from tasks.transcription.engines import Options, Transcriber, Word
from tasks.transcription.integrity import flags_of, joined, repeats
from tasks.transcription.packing import Chunk, Window, assign, pack

MAX_CHUNK_S = 30.0  # one Whisper window: a longer turn is split at its last short pause
SPEECH_PAD_MS = 200  # context kept around each chunk, so first and last words are not clipped
MIN_SPEECH_MS = 250  # shorter bursts (clicks, coughs) are not speech

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Utterance:
    """One segment's times (seconds in the recording), text and integrity flags."""

    start: float
    end: float
    text: str
    flags: tuple[str, ...] = ()


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
    engine: Transcriber,
    samples: Samples,
    chunks: Sequence[Chunk],
    options: Options,
    progress: Progress,
    pause_s: float | None = None,
) -> list[Utterance]:
    """One utterance per speech chunk, decoded in packed windows.

    A chunk where the engine heard no words is kept with empty text: dropping it would renumber
    every later segment, and segment ids must depend on the recording alone (codings cite them).
    """
    windows = pack(chunks)

    def done(count: int) -> None:
        progress(chunks[windows[count - 1].chunks[-1]].end / SAMPLE_RATE)

    found = engine.transcribe_windows([window.samples(samples, chunks) for window in windows], options, done)
    words = _redo_alone(engine, samples, chunks, windows, assign(windows, found, chunks), options)
    return [_utterance(chunk, heard, pause_s) for chunk, heard in zip(chunks, words, strict=True)]


def _redo_alone(
    engine: Transcriber,
    samples: Samples,
    chunks: Sequence[Chunk],
    windows: Sequence[Window],
    words: list[list[Word]],
    options: Options,
) -> list[list[Word]]:
    """Utterances of a shared window that came back empty or looping, decoded again alone.

    A loop can swallow its neighbours' words (seen on the synthetic Dutch example recordings);
    decoding such an utterance in its own window, as the stage did before packing, gets its words
    back. The alone result is taken only when it has words and no loop.
    """
    suspect = [i for window in windows if len(window.chunks) > 1 for i in window.chunks if _suspect(words[i])]
    if not suspect:
        return words
    alone = engine.transcribe_windows([samples[chunks[i].start : chunks[i].end] for i in suspect], options, _ignore)
    for index, again in zip(suspect, alone, strict=True):
        if again and not repeats(joined(again, None)):
            shift = chunks[index].start / SAMPLE_RATE
            words[index] = [replace(word, start=word.start + shift, end=word.end + shift) for word in again]
    return words


def _suspect(words: list[Word]) -> bool:
    return not words or repeats(joined(words, None))


def _ignore(_done: int) -> None:
    pass


def _utterance(chunk: Chunk, words: list[Word], pause_s: float | None) -> Utterance:
    text = joined(words, pause_s)
    return Utterance(chunk.start / SAMPLE_RATE, chunk.end / SAMPLE_RATE, text, flags_of(text, words))


def transcribe_whole(engine: Transcriber, samples: Samples, options: Options, progress: Progress) -> list[Utterance]:
    """Without VAD: the engine's own segmentation of the whole recording."""
    pieces = [piece for piece in engine.transcribe(samples, options) if piece.text]
    progress(len(samples) / SAMPLE_RATE)
    return [Utterance(p.start, p.end, p.text, flags_of(p.text, (), p.no_speech)) for p in pieces]


def to_segments(respondent_id: str, utterances: Sequence[Utterance]) -> tuple[Segment, ...]:
    """Numbered from 0001 in time order; times in seconds, to the hundredth."""
    return tuple(
        Segment(segment_id(respondent_id, number), round(u.start, 2), round(u.end, 2), "unknown", u.text)
        for number, u in enumerate(_ordered(utterances), start=1)
    )


def flags_by_id(respondent_id: str, utterances: Sequence[Utterance]) -> dict[str, list[str]]:
    """The flagged segments only: segment id -> flags (the transcript's `flags`)."""
    return {
        segment_id(respondent_id, number): list(u.flags)
        for number, u in enumerate(_ordered(utterances), start=1)
        if u.flags
    }


def _ordered(utterances: Sequence[Utterance]) -> list[Utterance]:
    return sorted(utterances, key=lambda u: (u.start, u.end))
