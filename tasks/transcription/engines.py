"""Two Whisper engines behind one small interface, each loaded once per process.

`load_engine` keeps one engine per (engine, model, compute type, device) in a module-level cache,
so a run loads the model once, not once per respondent; `TRANSCRIBING` serialises transcription,
since two recordings decoded at once on the same CPU cores are only slower than one after another.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tasks.core.config import TranscriptionSection
from tasks.core.errors import ConfigError
from tasks.transcription.audio import SAMPLE_RATE, Samples
from tasks.transcription.models import KEY, ResolvedModel, resolve_ct2, resolve_openai

TRANSCRIBING = threading.Lock()
_LOADING = threading.Lock()
_ENGINES: dict[tuple[str, str, str, str], Transcriber] = {}
BEST_OF = 5  # candidates sampled per fallback temperature (both engines' CLI default)


@dataclass(frozen=True)
class Options:
    language: str | None
    beam_size: int
    temperatures: tuple[float, ...]
    initial_prompt: str | None


@dataclass(frozen=True)
class Piece:
    """One stretch of text the engine produced, with times relative to the samples it was given."""

    start: float
    end: float
    text: str


class Transcriber(Protocol):
    name: str
    origin: str

    def transcribe(self, samples: Samples, options: Options) -> list[Piece]: ...

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
        return [Piece(s.start, s.end, s.text.strip()) for s in segments]

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

    def transcribe(self, samples: Samples, options: Options) -> list[Piece]:
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
            verbose=None,
        )
        return [Piece(float(s["start"]), float(s["end"]), str(s["text"]).strip()) for s in result["segments"]]

    def language_probability(self, samples: Samples, language: str) -> float:
        import whisper

        if not self._model.is_multilingual:
            return 1.0 if language == "en" else 0.0
        mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(samples), n_mels=self._model.dims.n_mels)
        _tokens, probs = self._model.detect_language(mel.to(self._device))
        return float(probs.get(language, 0.0))


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


def load_engine(settings: TranscriptionSection, root: Path) -> Transcriber:
    """The engine for these settings, loaded on first use and kept for the rest of the process."""
    device = device_for(settings)
    compute_type = compute_type_for(settings, device)
    key = (settings.engine, str(root / settings.model), compute_type, device)
    with _LOADING:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _load(settings, root, device, compute_type)
            _ENGINES[key] = engine
    return engine


def _load(settings: TranscriptionSection, root: Path, device: str, compute_type: str) -> Transcriber:
    openai = settings.engine == "openai-whisper"
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
