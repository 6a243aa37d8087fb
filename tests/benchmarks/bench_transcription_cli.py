"""Benchmark (not a test): the whole `run --until transcription` command against a bare script.

    .venv/bin/python tests/benchmarks/bench_transcription_cli.py [--repeats 3]

Issue #15 asks that the whole command, as the researcher runs it, cost at most 1.5x a bare
faster-whisper BatchedInferencePipeline script run as its own process on the same recording (the
3.2-minute English interview of `make_interview_en.py`; make it first), Whisper base int8, beam 5,
4 windows per batch. Timed as whole processes, rounds interleaved:

- `bare script`: a new Python process that loads the model, decodes the file and writes its text;
- `run, no server`: `interview-study run --until transcription --force` in a one-respondent English
  study (a temporary Prefect server, every import paid);
- `run, study's server`: the same after `interview-study server start`, so the command is handed to
  the study's warm runner (Prefect and the stages loaded; the model is still loaded per run).

`--force` makes every run transcribe again (recruitment and consent are redone too: milliseconds).
Printed: median wall seconds, the ratio to the bare script round by round (median), and the load
average (on a shared machine read the ratios).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
from make_interview_en import default_target  # noqa: E402

from tests.helpers import write_study  # noqa: E402

CLI = str(ROOT / ".venv" / "bin" / "interview-study")
BARE = """
import sys
from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio
model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8", cpu_threads=2)
segments, _ = BatchedInferencePipeline(model).transcribe(decode_audio(sys.argv[2]), language="en", beam_size=5, batch_size=4)
open(sys.argv[3], "w", encoding="utf-8").write(" ".join(s.text.strip() for s in segments))
"""


def english_study(root: Path, recording: Path) -> Path:
    write_study(root, ["R01,municipality_email,2024-01-02,yes,2024-02-10,online,small,allround,A B,a@b.invalid,Org"],
                ["R01,2024-02-10,yes,yes,yes,no,"])
    config = root / "config" / "study.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("transcription:\n", "transcription:\n  language: en\n", 1), encoding="utf-8")
    (root / "audio").mkdir(exist_ok=True)
    shutil.copy(recording, root / "audio" / "R01.wav")
    return root


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=clean_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout[-1500:]}{result.stderr[-1500:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    recording = default_target()
    if not recording.is_file():
        raise SystemExit(f"{recording}: missing; make it with tests/benchmarks/make_interview_en.py")
    from tasks.transcription.models import assemble_base

    model = str(assemble_base())
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        study = english_study(Path(tmp) / "study", recording)
        bare = [sys.executable, "-c", BARE, model, str(recording), str(Path(tmp) / "bare.txt")]
        run = [CLI, "run", "--until", "transcription", "--force", "--study", str(study)]
        timed(run)  # the first run creates the study's outputs and Prefect database
        loads = [os.getloadavg()[0]]
        figures: dict[str, list[float]] = {"bare script": [], "run, no server": [], "run, study's server": []}
        for _ in range(args.repeats):
            figures["bare script"].append(timed(bare))
            figures["run, no server"].append(timed(run))
        subprocess.run([CLI, "server", "start", "--study", str(study)], env=clean_env(), check=True, capture_output=True)
        try:
            for _ in range(args.repeats):
                figures["bare script"].append(timed(bare))
                figures["run, study's server"].append(timed(run))
        finally:
            subprocess.run([CLI, "server", "stop", "--study", str(study)], env=clean_env(), capture_output=True)
        loads.append(os.getloadavg()[0])
    n = args.repeats
    ratios = {
        "run, no server": [r / b for r, b in zip(figures["run, no server"], figures["bare script"][:n])],
        "run, study's server": [r / b for r, b in zip(figures["run, study's server"], figures["bare script"][n:])],
    }
    print("| process | median wall s | × bare script (median of rounds) | target |\n| --- | ---: | ---: | --- |")
    print(f"| bare BatchedInferencePipeline script | {statistics.median(figures['bare script']):.1f} | 1.00 | |")
    for name in ratios:
        ratio = statistics.median(ratios[name])
        print(f"| `{name}` | {statistics.median(figures[name]):.1f} | {ratio:.2f} | ≤ 1.5× {'met' if ratio <= 1.5 else 'MISSED'} |")
    print(f"\nload average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end; {n} rounds each")


if __name__ == "__main__":
    main()
