"""Two Whisper engines behind one small interface, each loaded once per process.

Both decode packed windows (see packing.py) with word timestamps: faster-whisper through its
batched pipeline (`batch_size` windows per encoder call, the windows given as clip timestamps,
its own voice detection off), openai-whisper one window after another. A window whose text looks
like a decoding failure (compression ratio or mean log-probability past Whisper's own limits) is
decoded again with the temperature fallback ladder, as Whisper does.

`load_engine` keeps one engine per (engine, model, compute type, device) in a module-level cache,
so a run loads the model once, not once per respondent; `TRANSCRIBING` serialises transcription,
since two recordings decoded at once on the same CPU cores are only slower than one after another.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from tasks.core.config import TranscriptionSection
from tasks.core.errors import ConfigError
from tasks.transcription.audio import SAMPLE_RATE, Samples
from tasks.transcription.models import KEY, ResolvedModel, resolve_ct2, resolve_openai

TRANSCRIBING = threading.Lock()
_LOADING = threading.Lock()
_ENGINES: dict[tuple[str, str, str, str], Transcriber] = {}
BEST_OF = 5  # candidates sampled per fallback temperature (both engines' CLI default)
BATCH_SIZE = {"cpu": 4, "cuda": 16}  # windows per call: on a CPU, 8 with beam 5 peaks near 1 GB for no gain
COMPRESSION_LIMIT = 2.4  # Whisper's limits for a failed decoding (repetition, gibberish)
LOGPROB_LIMIT = -1.0
NO_SPEECH_LIMIT = 0.6
Done = Callable[[int], None]  # windows decoded so far


@dataclass(frozen=True)
class Options:
    language: str | None
    beam_size: int
    temperatures: tuple[float, ...]
    initial_prompt: str | None
    batch_size: int = BATCH_SIZE["cpu"]


@dataclass(frozen=True)
class Piece:
    """One stretch of text the engine produced, with times relative to the samples it was given."""

    start: float
    end: float
    text: str
    no_speech: float = 0.0


@dataclass(frozen=True)
class Word:
    """One word with its times (seconds), the engine's probability for it and the no-speech
    probability of the stretch it was decoded in."""

    start: float
    end: float
    text: str
    probability: float
    no_speech: float


@dataclass(frozen=True)
class Decoded:
    """One window's decoding by faster-whisper: its words and Whisper's measures of its quality."""

    words: list[Word]
    compression_ratio: float
    avg_logprob: float
    no_speech: float

    @classmethod
    def of(cls, segments: Sequence[Any], offset: float) -> Decoded:
        """From faster-whisper segments; word times shifted back by `offset` seconds."""
        words = [word for s in segments for word in _words(s.words or (), s.no_speech_prob, offset)]
        if not segments:
            return cls(words, 0.0, 0.0, 0.0)
        return cls(
            words,
            max(float(s.compression_ratio) for s in segments),
            min(float(s.avg_logprob) for s in segments),
            max(float(s.no_speech_prob) for s in segments),
        )

    @property
    def failed(self) -> bool:
        """Whisper's test for a decoding worth retrying at a higher temperature."""
        if self.no_speech > NO_SPEECH_LIMIT and self.avg_logprob < LOGPROB_LIMIT:
            return False  # silence: nothing better to find
        return self.compression_ratio > COMPRESSION_LIMIT or self.avg_logprob < LOGPROB_LIMIT

    def rank(self) -> tuple[bool, float]:
        """As faster-whisper picks among failed attempts: no loop first, then the likelier text."""
        return (self.compression_ratio <= COMPRESSION_LIMIT, self.avg_logprob)


class Transcriber(Protocol):
    name: str
    origin: str

    def transcribe(self, samples: Samples, options: Options) -> list[Piece]: ...

    def transcribe_windows(self, windows: Sequence[Samples], options: Options, done: Done) -> list[list[Word]]: ...

    def language_probability(self, samples: Samples, language: str) -> float: ...


class FasterWhisperEngine:
    """faster-whisper (CTranslate2): the default; int8 on CPU is fast and small."""

    name = "faster-whisper"

    def __init__(self, model: ResolvedModel, device: str, compute_type: str) -> None:
        from faster_whisper import WhisperModel

        self.origin = model.origin
        # CTranslate2 defaults to 4 threads; more threads than cores only adds contention
        threads = min(os.cpu_count() or 1, 8)
        self._model = WhisperModel(model.location, device=device, compute_type=compute_type, cpu_threads=threads)

    def transcribe_windows(self, windows: Sequence[Samples], options: Options, done: Done) -> list[list[Word]]:
        """Each window's words (seconds inside the window), at most `batch_size` windows per encoder call."""
        import ctranslate2

        ctranslate2.set_random_seed(0)  # temperature fallback samples: the same text every run
        found: list[list[Word]] = []
        for batch in (windows[part.start : part.stop] for part in batches(len(windows), options.batch_size)):
            for window, decoded in zip(batch, self._batch(batch, options), strict=True):
                if decoded.failed and len(options.temperatures) > 1:
                    decoded = max(decoded, self._fallback(window, options), key=Decoded.rank)
                found.append(decoded.words)
            done(len(found))
        return found

    def _batch(self, batch: Sequence[Samples], options: Options) -> list[Decoded]:
        from faster_whisper import BatchedInferencePipeline

        starts = [0]
        for window in batch:
            starts.append(starts[-1] + len(window))
        clips = [{"start": starts[i] / SAMPLE_RATE, "end": starts[i + 1] / SAMPLE_RATE} for i in range(len(batch))]
        segments, _info = BatchedInferencePipeline(self._model).transcribe(
            np.concatenate(batch),
            language=options.language,
            beam_size=options.beam_size,
            temperature=options.temperatures[0],
            initial_prompt=options.initial_prompt,
            word_timestamps=True,
            vad_filter=False,
            clip_timestamps=clips,
            batch_size=len(batch),
        )
        found: list[list[Any]] = [[] for _ in batch]
        for segment in segments:
            sample = round(segment.seek / self._model.frames_per_second * SAMPLE_RATE)
            found[min(max(bisect_right(starts, sample + SAMPLE_RATE // 100) - 1, 0), len(batch) - 1)].append(segment)
        return [Decoded.of(window_segments, starts[i] / SAMPLE_RATE) for i, window_segments in enumerate(found)]

    def _fallback(self, window: Samples, options: Options) -> Decoded:
        """The window decoded again from the next temperature on, with Whisper's own fallback."""
        segments, _info = self._model.transcribe(
            window,
            language=options.language,
            beam_size=options.beam_size,
            best_of=BEST_OF,
            temperature=list(options.temperatures[1:]),
            initial_prompt=options.initial_prompt,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=False,
        )
        return Decoded.of(list(segments), 0.0)

    def transcribe(self, samples: Samples, options: Options) -> list[Piece]:
        import ctranslate2

        ctranslate2.set_random_seed(0)  # temperature fallback samples: the same text every run
        segments, _info = self._model.transcribe(
            samples,
            language=options.language,
            beam_size=options.beam_size,
            best_of=BEST_OF,
            temperature=list(options.temperatures),
            initial_prompt=options.initial_prompt,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        return [Piece(s.start, s.end, s.text.strip(), s.no_speech_prob) for s in segments]

    def language_probability(self, samples: Samples, language: str) -> float:
        _lang, _prob, ranked = self._model.detect_language(audio=samples[: 30 * SAMPLE_RATE])
        return float(dict(ranked).get(language, 0.0))


class OpenAIWhisperEngine:
    """openai-whisper (PyTorch), on weights converted from the same CTranslate2 model."""

    name = "openai-whisper"

    def __init__(self, model: ResolvedModel, device: str, compute_type: str) -> None:
        import whisper

        self.origin = model.origin
        self._device = device
        self._fp16 = compute_type == "float16" or (compute_type == "auto" and device == "cuda")
        self._model = whisper.load_model(model.location, device=device)

    def transcribe_windows(self, windows: Sequence[Samples], options: Options, done: Done) -> list[list[Word]]:
        """Each window's words (seconds inside the window), one window after another."""
        found: list[list[Word]] = []
        for window in windows:
            segments = self._transcribe(window, options, word_timestamps=True)
            found.append([
                Word(float(w["start"]), float(w["end"]), str(w["word"]), float(w["probability"]), float(s["no_speech_prob"]))
                for s in segments
                for w in s.get("words", ())
            ])
            done(len(found))
        return found

    def transcribe(self, samples: Samples, options: Options) -> list[Piece]:
        segments = self._transcribe(samples, options, word_timestamps=False)
        return [Piece(float(s["start"]), float(s["end"]), str(s["text"]).strip(), float(s["no_speech_prob"])) for s in segments]

    def _transcribe(self, samples: Samples, options: Options, word_timestamps: bool) -> list[dict[str, Any]]:
        import torch

        torch.manual_seed(0)  # temperature fallback samples: the same text every run
        result: dict[str, Any] = self._model.transcribe(
            samples,
            language=options.language,
            beam_size=options.beam_size if options.beam_size > 1 else None,
            best_of=BEST_OF,
            temperature=options.temperatures,
            initial_prompt=options.initial_prompt,
            condition_on_previous_text=False,
            fp16=self._fp16,
            word_timestamps=word_timestamps,
            verbose=None,
        )
        return list(result["segments"])

    def language_probability(self, samples: Samples, language: str) -> float:
        import whisper

        if not self._model.is_multilingual:
            return 1.0 if language == "en" else 0.0
        mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(samples), n_mels=self._model.dims.n_mels)
        _tokens, probs = self._model.detect_language(mel.to(self._device))
        return float(probs.get(language, 0.0))


def _words(words: Iterable[Any], no_speech: float, offset: float) -> list[Word]:
    """faster-whisper's words, shifted back by `offset` seconds."""
    return [Word(w.start - offset, w.end - offset, w.word, float(w.probability), float(no_speech)) for w in words]


def batches(count: int, most: int) -> list[range]:
    """`count` windows in as few batches of at most `most` as there can be, as even as they can be.

    Six windows at most four to a batch go as 3 + 3, not 4 + 2: every decoding step of a batch has
    a fixed cost and a batch steps until its longest window is done, so a small last batch costs
    nearly what a full one does (on the 3-minute English benchmark: 2-3 % less CPU in every round,
    the same text; and one window less in memory at a time)."""
    number = max(-(-count // max(most, 1)), 1)
    bounds = [part * count // number for part in range(number + 1)]
    return [range(start, stop) for start, stop in zip(bounds, bounds[1:]) if stop > start]


def batch_size_for(device: str) -> int:
    """Windows decoded per batch at most: 4 on a CPU (more only adds memory), 16 on a GPU."""
    return BATCH_SIZE.get(device, BATCH_SIZE["cpu"])


def device_for(settings: TranscriptionSection) -> str:
    """cpu or cuda; `auto` asks the engine's own library (faster-whisper never imports torch)."""
    if settings.device != "auto":
        return settings.device
    if settings.engine == "faster-whisper":
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def compute_type_for(settings: TranscriptionSection, device: str) -> str:
    """The compute type an engine runs with; `auto` is the measured best (see README)."""
    if settings.engine == "openai-whisper":
        if settings.compute_type == "int8":
            raise ConfigError(
                "config/study.yaml: transcription.compute_type: int8 needs engine faster-whisper; "
                "use float32 (or auto) with openai-whisper"
            )
        return settings.compute_type
    if settings.compute_type == "auto":
        return "float16" if device == "cuda" else "int8"
    return settings.compute_type


def _key(settings: TranscriptionSection, root: Path) -> tuple[str, str, str, str]:
    device = device_for(settings)
    return (settings.engine, str(root / settings.model), compute_type_for(settings, device), device)


def is_loaded(settings: TranscriptionSection, root: Path) -> bool:
    """Whether `load_engine` would return at once (the model is already in memory)."""
    return _key(settings, root) in _ENGINES


def load_engine(settings: TranscriptionSection, root: Path) -> Transcriber:
    """The engine for these settings, loaded on first use and kept for the rest of the process."""
    key = _key(settings, root)
    with _LOADING:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _load(settings, root, key[3], key[2])
            _ENGINES[key] = engine
    return engine


def _load(settings: TranscriptionSection, root: Path, device: str, compute_type: str) -> Transcriber:
    openai = settings.engine == "openai-whisper"
    if openai and (importlib.util.find_spec("whisper") is None or importlib.util.find_spec("torch") is None):
        raise ConfigError(
            "config/study.yaml: transcription.engine: openai-whisper is not installed; install it with "
            "pip install 'interview-study[openai-whisper]' (README: Transcription), or use faster-whisper"
        )
    model = resolve_openai(settings.model, root) if openai else resolve_ct2(settings.model, root)
    try:
        if openai:
            return OpenAIWhisperEngine(model, device, compute_type)
        return FasterWhisperEngine(model, device, compute_type)
    except ConfigError:
        raise
    except Exception as error:  # noqa: BLE001 - download/load failures of either library
        reason = " ".join(str(error).split())[:100] or type(error).__name__
        if model.local:
            raise ConfigError(f"{KEY}: {model.origin} could not be loaded ({reason}); check the model files") from None
        raise ConfigError(
            f"{KEY}: {settings.model!r} is not installed and could not be downloaded ({reason}); "
            "connect once to download it, or use 'base' (installed from PyPI) or a local model folder"
        ) from None
