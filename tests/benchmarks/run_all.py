"""All benchmarks in one report (a script, not a test).

    .venv/bin/python tests/benchmarks/run_all.py [--quick]

1. orchestration: `status` on 300 respondents, no-change `run` and `aggregate` of the example
   study, each next to a trivial Prefect flow on the same server (ratios: one process, one run);
2. transcription: openai-whisper vs faster-whisper (float32, int8; beam 1 and 5) on the same
   weights and clips, with WER and peak memory, and the stage's overhead over the bare call;
3. aggregation: the whole-study stages on synthetic studies of 10, 100 and 1,000 respondents.

Each part runs in its own process so that its timings and memory are its own. The example study
must have run once (`interview-study run`) for part 1's example rows.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: 100 respondents, no 1,000 study")
    quick = parser.parse_args().quick
    cpu = platform.processor() or platform.machine()
    print(f"# Benchmarks — {platform.platform()}, {cpu}, Python {platform.python_version()}\n")
    parts = [
        ("Orchestration", ["bench_pipeline.py", "--respondents", "100" if quick else "300", "--example"]),
        ("Transcription", ["bench_transcription.py"]),
        ("Aggregation", ["bench_aggregation.py", "--sizes", *(["10", "100"] if quick else ["10", "100", "1000"])]),
    ]
    for title, command in parts:
        print(f"## {title}\n", flush=True)
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], capture_output=True, text=True)
        print(result.stdout.strip() or result.stderr.strip()[-2000:], flush=True)
        print()


if __name__ == "__main__":
    main()
