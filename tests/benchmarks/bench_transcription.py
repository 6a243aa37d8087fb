"""Benchmark (not a test): the transcription stage against the engines' own ways of decoding.

    /tmp/tts/bin/python tests/benchmarks/make_interview_en.py     # once: the 3-minute recording
    .venv/bin/python tests/benchmarks/bench_transcription.py [--repeats 3] [--rows ...] [--device cpu]

On one English interview-like recording with a reference text (`make_interview_en.py`, about
3.2 minutes, 32 utterances separated by pauses), Whisper base, the same weights everywhere, beam 5,
the default temperatures:

- `stage-before`: every VAD utterance decoded alone in its own padded 30-s window (the stage up
  to issue #15); `stage`: the stage now (VAD utterances packed into shared windows, decoded in
  batches, words sent back to their utterance);
- `bare`: faster-whisper's own `transcribe` on the whole recording; `batched`: its
  `BatchedInferencePipeline` (its own VAD, batch 8);
- `openai-bare`, `openai-stage-before`, `openai-stage`: the same with openai-whisper (float32).

Each row runs in a fresh process (so its peak memory is its own), rounds interleaved (row 1, 2,
..., then back from the last row, and so on), after a 2-second warm-up call; printed: median wall
and CPU seconds of the transcription call (for the stage rows: voice detection and decoding),
Whisper windows encoded, peak resident memory and word error rate (Whisper's English normaliser),
and the ratio of wall time to the batched pipeline's. Then issue #15's targets for the stage:
its wall over the batched pipeline's round by round (the two ran one after the other, so other
jobs on the machine shake this ratio less than a ratio of medians) and their median, the CPU
ratio, the WER difference and the peak memory, each with met or MISSED, and the load average
when the rows started: on a shared machine wall times swing with it, CPU seconds hardly do.
`--json FILE` writes the raw figures (texts included), `--score FILE` prints the table from such a
file (as the GPU run does: scored where torch is installed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
from make_interview_en import default_target, reference  # noqa: E402

ROWS = {
    "stage-before": "this stage before #15: one window per utterance",
    "stage": "this stage now: packed windows, batched",
    "bare": "faster-whisper transcribe, whole recording",
    "batched": "faster-whisper BatchedInferencePipeline",
    "openai-bare": "openai-whisper transcribe, whole recording",
    "openai-stage-before": "this stage before #15, engine openai-whisper",
    "openai-stage": "this stage now, engine openai-whisper",
}
BEAM = 5
TEMPERATURES = (0.0, 0.2, 0.4)


def child(row: str, clip: Path, device: str, repeats: int) -> dict[str, Any]:
    """One row: load the engine once, warm it up, then time `repeats` transcriptions."""
    from tasks.core.config import TranscriptionSection
    from tasks.transcription.audio import load
    from tasks.transcription.engines import Options, batch_size_for, load_engine

    openai = row.startswith("openai")
    settings = TranscriptionSection(
        engine="openai-whisper" if openai else "faster-whisper",
        compute_type="auto" if device == "cuda" or not openai else "float32",
        device=device,
    )
    engine: Any = load_engine(settings, ROOT)
    samples = load(clip, clip.name).samples
    options = Options("en", BEAM, TEMPERATURES, None, batch_size_for(device))
    engine.transcribe(samples[: 2 * 16000], Options("en", BEAM, (0.0,), None))  # one-off setup
    run = RUNNERS[row.removeprefix("openai-")]
    walls, cpus, text, windows = [], [], "", 0
    load_average = os.getloadavg()[0]  # other jobs on the machine: wall times are only comparable at similar load
    for _ in range(repeats):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        text, windows = run(engine, samples, options)
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall_s": walls, "cpu_s": cpus, "windows": windows, "peak_mb": peak, "text": text,
            "audio_s": len(samples) / 16000, "load": [load_average]}


def _stage(engine: Any, samples: Any, options: Any) -> tuple[str, int]:
    from tasks.transcription.packing import pack
    from tasks.transcription.segments import speech_chunks, transcribe_chunks

    chunks = speech_chunks(samples, 500)
    utterances = transcribe_chunks(engine, samples, chunks, options, lambda _done: None)
    return " ".join(u.text for u in utterances), len(pack(chunks))


def _stage_before(engine: Any, samples: Any, options: Any) -> tuple[str, int]:
    """The stage as it was: each chunk alone (`Transcriber.transcribe` on its samples)."""
    from tasks.transcription.segments import speech_chunks

    chunks = speech_chunks(samples, 500)
    texts = [" ".join(p.text for p in engine.transcribe(samples[c.start : c.end], options)) for c in chunks]
    return " ".join(texts), len(chunks)


def _bare(engine: Any, samples: Any, options: Any) -> tuple[str, int]:
    """The engine's own transcribe on the whole recording (its sliding 30-s window, no VAD)."""
    common = {"language": "en", "beam_size": BEAM, "best_of": 5, "condition_on_previous_text": False}
    if engine.name == "faster-whisper":
        segments, _info = engine._model.transcribe(samples, temperature=list(TEMPERATURES), vad_filter=False, **common)
        found = [(s.seek, s.text) for s in segments]
    else:
        result = engine._model.transcribe(samples, temperature=TEMPERATURES, fp16=engine._fp16, verbose=None, **common)
        found = [(s["seek"], s["text"]) for s in result["segments"]]
    return " ".join(text.strip() for _seek, text in found), len({seek for seek, _text in found})


def _batched(engine: Any, samples: Any, options: Any) -> tuple[str, int]:
    from faster_whisper import BatchedInferencePipeline

    segments, _info = BatchedInferencePipeline(engine._model).transcribe(
        samples, language="en", beam_size=BEAM, batch_size=options.batch_size
    )
    found = list(segments)
    return " ".join(s.text.strip() for s in found), len({s.seek for s in found})


RUNNERS = {"stage": _stage, "stage-before": _stage_before, "bare": _bare, "batched": _batched}


def wer(hypothesis: str) -> float:
    import jiwer
    from whisper.normalizers import EnglishTextNormalizer

    normalise = EnglishTextNormalizer()
    return float(jiwer.wer(normalise(reference()), normalise(hypothesis)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=default_target())
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--rows", nargs="*", default=list(ROWS), choices=list(ROWS))
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--score", type=Path, help="print the table of a --json file and stop")
    parser.add_argument("--no-score", action="store_true", help="with --json: no table (WER needs torch)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.clip, args.device, 1)))
        return
    if args.score:
        _print(json.loads(args.score.read_text(encoding="utf-8")))
        return
    if not args.clip.is_file():
        sys.exit(f"{args.clip}: missing; make it with tests/benchmarks/make_interview_en.py (see its docstring)")
    results: dict[str, Any] = {"device": args.device, "machine": _machine(args.device), "rows": {}}
    for number in range(args.repeats):
        for row in args.rows if number % 2 == 0 else args.rows[::-1]:  # A B, B A: drifts in load cancel
            done = _spawn(row, args.clip, args.device)
            kept = results["rows"].setdefault(row, {**done, "wall_s": [], "cpu_s": [], "load": [], "peak_mb": 0.0})
            for series in ("wall_s", "cpu_s", "load"):
                kept[series] += done.get(series, [])
            kept["peak_mb"] = max(kept["peak_mb"], done["peak_mb"])
            kept["text"] = done["text"]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.no_score:
        for row, found in results["rows"].items():
            print(row, statistics.median(found["wall_s"]), statistics.median(found["cpu_s"]), found["peak_mb"])
        return
    _print(results)


def _spawn(row: str, clip: Path, device: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", row, "--clip", str(clip), "--device", device]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ})
    if done.returncode:
        sys.exit(f"row {row} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _print(results: dict[str, Any]) -> None:
    rows = results["rows"]
    audio = next(iter(rows.values()))["audio_s"]
    rounds = len(next(iter(rows.values()))["wall_s"])
    print(f"{results['machine']}; {audio:.1f} s of audio; medians of {rounds} interleaved rounds; beam {BEAM}")
    batched = statistics.median(rows["batched"]["wall_s"]) if "batched" in rows else None
    print("| how | wall s | CPU s | windows | peak MB | WER | wall / batched |\n|---|---:|---:|---:|---:|---:|---:|")
    for row, found in rows.items():
        wall, cpu = statistics.median(found["wall_s"]), statistics.median(found["cpu_s"])
        ratio = f"{wall / batched:.2f}×" if batched else "–"
        print(f"| {ROWS[row]} | {wall:.1f} | {cpu:.1f} | {found['windows']} | {found['peak_mb']:.0f} | "
              f"{wer(found['text']):.1%} | {ratio} |")
    loads = [load for found in rows.values() for load in found.get("load", [])]
    if loads:
        print(f"load average (1 min) when the rows started: {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")
    if "stage" in rows and "batched" in rows:
        _targets(rows["stage"], rows["batched"])


def _targets(stage: dict[str, Any], batched: dict[str, Any]) -> None:
    """Issue #15's targets for the stage against the batched pipeline, round by round.

    Each round's stage and batched rows ran one after the other, so their ratio is less shaken by
    other jobs on the machine than a ratio of medians taken over different moments."""
    walls = [s / b for s, b in zip(stage["wall_s"], batched["wall_s"])]
    cpus = [s / b for s, b in zip(stage["cpu_s"], batched["cpu_s"])]
    wall = statistics.median(walls)
    rounds = ", ".join(f"{ratio:.2f}" for ratio in walls)
    extra = (wer(stage["text"]) - wer(batched["text"])) * 100
    peak = max(stage["peak_mb"], batched["peak_mb"])
    print(f"stage / batched wall: {wall:.2f}× (rounds {rounds}; target ≤ 1.20×: {_met(wall <= 1.2)}); "
          f"CPU: {statistics.median(cpus):.2f}×")
    print(f"stage WER − batched WER: {extra:+.1f} points (target ≤ +0.5: {_met(extra <= 0.5)})")
    print(f"peak memory: stage {stage['peak_mb']:.0f} MB, batched {batched['peak_mb']:.0f} MB "
          f"(target ≤ 1024 MB: {_met(peak <= 1024)})")


def _met(met: bool) -> str:
    return "met" if met else "MISSED"


def _machine(device: str) -> str:
    if device == "cuda":
        import ctranslate2

        return f"GPU ({ctranslate2.get_cuda_device_count()} CUDA device(s)), {os.cpu_count()} CPU cores"
    name = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU cores, {name}"


if __name__ == "__main__":
    main()
