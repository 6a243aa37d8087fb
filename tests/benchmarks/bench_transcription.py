"""Benchmark (not a test): openai-whisper vs faster-whisper on the same weights and recordings.

    .venv/bin/python tests/benchmarks/bench_transcription.py [--clips A.flac B.ogg] [--repeats 2]

Each configuration runs in a fresh process (so peak memory is its own): openai-whisper float32
and faster-whisper float32 / int8, beam 1 and 5, every clip transcribed the way the stage does it
(VAD chunks, one transcription per chunk), after a 2-second warm-up call. Printed side by side: wall time, CPU time, real-time
factor (wall / audio), peak resident memory, word error rate against the clip's reference text
(`<clip>.txt` beside it), and ratios to openai-whisper at the same beam. Then the pipeline's own
overhead: the whole stage (decode, VAD, language check, four output files) against one bare
faster-whisper call on the same samples.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
AUDIO = ROOT / "tests" / "data" / "audio"
CONFIGS = [
    ("openai-whisper", "float32", 1),
    ("openai-whisper", "float32", 5),
    ("faster-whisper", "float32", 1),
    ("faster-whisper", "float32", 5),
    ("faster-whisper", "int8", 1),
    ("faster-whisper", "int8", 5),
]


def language_of(clip: Path) -> str:
    """en.flac, en_8k_stereo.flac: English; anything else (nl.ogg, the example study's R01.ogg): Dutch."""
    return "en" if clip.stem.split("_")[0] == "en" else "nl"


def wer(reference: str, hypothesis: str, language: str) -> float:
    import jiwer
    from whisper.normalizers import BasicTextNormalizer, EnglishTextNormalizer

    normalise = EnglishTextNormalizer() if language == "en" else BasicTextNormalizer()
    return float(jiwer.wer(normalise(reference), normalise(hypothesis)))


def child(engine: str, compute_type: str, beam: int, clips: list[Path], repeats: int) -> dict[str, Any]:
    """One configuration: load once, then transcribe every clip `repeats` times (after a warm-up)."""
    from tasks.core.config import TranscriptionSection
    from tasks.transcription.audio import load
    from tasks.transcription.engines import Options, load_engine
    from tasks.transcription.segments import speech_chunks, transcribe_chunks

    settings = TranscriptionSection(engine=engine, compute_type=compute_type, beam_size=beam, device="cpu")
    started = time.perf_counter()
    model = load_engine(settings, ROOT)
    load_s = time.perf_counter() - started
    result: dict[str, Any] = {"load_s": load_s, "clips": {}}
    warm = load(clips[0], clips[0].name).samples[: 2 * 16000]
    model.transcribe(warm, Options(language_of(clips[0]), beam, (0.0,), None))  # first call pays one-off setup
    for clip in clips:
        audio = load(clip, clip.name)
        chunks = speech_chunks(audio.samples, settings.min_silence_ms)
        options = Options(language_of(clip), beam, tuple(settings.temperatures), None)
        text, walls, cpus = "", [], []
        for _ in range(repeats):
            wall0, cpu0 = time.perf_counter(), time.process_time()
            pieces = transcribe_chunks(model, audio.samples, chunks, options, lambda _done: None)
            walls.append(time.perf_counter() - wall0)
            cpus.append(time.process_time() - cpu0)
            text = " ".join(piece.text for piece in pieces)
        result["clips"][clip.name] = {
            "audio_s": audio.duration,
            "wall_s": statistics.median(walls),
            "cpu_s": statistics.median(cpus),
            "text": text,
        }
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def overhead(clip: Path, repeats: int) -> dict[str, float]:
    """The stage's whole run() against one bare faster-whisper call (default settings, same clip)."""
    from tasks.core.study import Study
    from tasks.transcription.stage import STAGE
    from tasks.transcription.audio import load
    from tasks.transcription.engines import load_engine

    with tempfile.TemporaryDirectory() as folder:
        study = _tiny_study(Path(folder), clip)
        settings = study.config.transcription
        engine: Any = load_engine(settings, study.root)
        samples = load(clip, clip.name).samples
        bare, stage = [], []
        for attempt in range(repeats + 1):
            t0 = time.perf_counter()
            segments, _info = engine._model.transcribe(
                samples, language=study.language, beam_size=settings.beam_size,
                temperature=list(settings.temperatures), condition_on_previous_text=False,
            )
            list(segments)
            t1 = time.perf_counter()
            study = Study.at(study.root)  # fresh caches, as a new run would have
            outcome = STAGE.run(study, "R01")
            t2 = time.perf_counter()
            assert outcome.status == "done", outcome.detail
            if attempt:
                bare.append(t1 - t0)
                stage.append(t2 - t1)
        return {"bare_s": statistics.median(bare), "stage_s": statistics.median(stage), **_parts(engine, clip, study)}


def _parts(engine: Any, clip: Path, study: Any) -> dict[str, float]:
    """Where the stage's extra time goes: decoding, VAD, the language check, writing the outputs."""
    from tasks.core.transcripts import load_transcript
    from tasks.transcription.audio import load
    from tasks.transcription.render import write_outputs
    from tasks.transcription.segments import speech_chunks

    marks = [time.perf_counter()]
    samples = load(clip, clip.name).samples
    marks.append(time.perf_counter())
    speech_chunks(samples, 500)
    marks.append(time.perf_counter())
    engine.language_probability(samples, study.language)
    marks.append(time.perf_counter())
    folder = study.catalog.out / "03_transcription"
    write_outputs(folder, load_transcript(folder / "R01.json"))
    marks.append(time.perf_counter())
    names = ("decode_s", "vad_s", "language_check_s", "write_s")
    return {name: marks[i + 1] - marks[i] for i, name in enumerate(names)}


def _tiny_study(folder: Path, clip: Path) -> Any:
    from tasks.core.study import Study

    (folder / "config").mkdir()
    (folder / "audio").mkdir()
    (folder / "config" / "study.yaml").write_text(
        f"study:\n  title: bench\n  language: {language_of(clip)}\n", encoding="utf-8"
    )
    (folder / "consent.csv").write_text(
        "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on\n"
        "R01,2024-02-01,yes,yes,yes,no,\n",
        encoding="utf-8",
    )
    (folder / "audio" / f"R01{clip.suffix}").write_bytes(clip.read_bytes())
    return Study.at(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="*", type=Path, default=[AUDIO / "en.flac", AUDIO / "nl.ogg"])
    parser.add_argument("--repeats", type=int, default=1, help="measured passes per clip (median)")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "COMPUTE", "BEAM"))
    parser.add_argument("--overhead", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    clips = [clip.resolve() for clip in args.clips]
    if args.child:
        engine, compute, beam = args.child
        print(json.dumps(child(engine, compute, int(beam), clips, args.repeats)))
        return
    if args.overhead:
        print(json.dumps(overhead(clips[0], args.repeats)))
        return
    rows = {config: _spawn(["--child", *map(str, config)], clips, args.repeats) for config in CONFIGS}
    for row in rows.values():  # scored here: the normalisers import torch, which the child must not
        for clip in clips:
            found = row["clips"][clip.name]
            found["wer"] = wer(clip.with_suffix(".txt").read_text(encoding="utf-8"), found["text"], language_of(clip))
    _print_table(rows, clips)
    _print_overhead(_spawn(["--overhead"], clips[:1], args.repeats))


def _spawn(extra: list[str], clips: list[Path], repeats: int) -> dict[str, Any]:
    command = [sys.executable, __file__, *extra, "--repeats", str(repeats), "--clips", *map(str, clips)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ})
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _print_table(rows: dict[tuple[str, str, int], dict[str, Any]], clips: list[Path]) -> None:
    audio = sum(rows[CONFIGS[0]]["clips"][c.name]["audio_s"] for c in clips)
    print(f"machine: {os.cpu_count()} CPU cores, {_cpu_name()}; {len(clips)} clips, {audio:.1f} s of audio")
    wers = "  ".join(f"WER {c.stem:<6}" for c in clips)
    print(f"{'engine':<15}{'compute':<9}{'beam':>4}{'load s':>8}{'wall s':>8}{'cpu s':>8}{'RTF':>7}"
          f"{'peak MB':>9}  {wers}  {'wall ×':>7}{'mem ×':>7}")
    for (engine, compute, beam), row in rows.items():
        base = rows[("openai-whisper", "float32", beam)]
        wall, cpu = _total(row, clips, "wall_s"), _total(row, clips, "cpu_s")
        errors = "  ".join(f"{row['clips'][c.name]['wer']:>10.1%}" for c in clips)
        print(f"{engine:<15}{compute:<9}{beam:>4}{row['load_s']:>8.2f}{wall:>8.2f}{cpu:>8.2f}{wall / audio:>7.2f}"
              f"{row['peak_mb']:>9.0f}  {errors}  {_total(base, clips, 'wall_s') / wall:>6.2f}×"
              f"{base['peak_mb'] / row['peak_mb']:>6.2f}×")
    print("wall × / mem ×: openai-whisper at the same beam divided by this row (higher is better)")
    for (engine, compute, beam), row in rows.items():
        for clip in clips:
            print(f"  {engine} {compute} beam {beam} {clip.name}: {row['clips'][clip.name]['text']}")


def _print_overhead(result: dict[str, float]) -> None:
    extra = result["stage_s"] - result["bare_s"]
    print(f"pipeline overhead (default settings, first clip): stage run {result['stage_s']:.2f} s vs bare "
          f"faster-whisper call {result['bare_s']:.2f} s: {extra:+.2f} s ({result['stage_s'] / result['bare_s']:.2f}×)")
    parts = ", ".join(f"{name[:-2].replace('_', ' ')} {result[name]:.2f} s" for name in
                      ("decode_s", "vad_s", "language_check_s", "write_s"))
    rest = extra - sum(result[n] for n in ("decode_s", "vad_s", "language_check_s", "write_s"))
    print(f"  of which {parts}; one Whisper window per speech chunk instead of one per 30 s: {rest:.2f} s")


def _total(row: dict[str, Any], clips: list[Path], key: str) -> float:
    return float(sum(row["clips"][c.name][key] for c in clips))


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
