"""Benchmark of the fast loop, as the researcher meets it (a script, not a test).

Whole CLI processes, each measured interleaved with a trivial one-task Prefect flow process on the
same machine (the baseline: what any command that starts a flow pays), medians of --repeat:
- no-change `run`, and `aggregate` after one changed coding (the recoding loop), on the example
  study and on a synthetic study of N respondents, each with the study's background Prefect
  server (`interview-study server start`) and without one (a temporary server when a flow starts);
- `status` on the synthetic study (never starts Prefect).
With the study's server, `server start` also starts its warm runner, which `run` and `aggregate` are
handed to (flows/runner.py).

    .venv/bin/python tests/benchmarks/bench_pipeline.py [--respondents 300] [--example [DIR]] [--repeat 5]

`--example` alone uses the repository root; DIR is a copy of it (`git archive HEAD | tar -x -C DIR`).
Either must have run once (`interview-study run`, ~4 min). The synthetic respondents have no
recordings, so its `aggregate` has no codings to change: it is measured with nothing to do.
Targets: no-change `run` ≤ 0.2× the trivial flow, `aggregate` after one change ≤ 0.4×, `status`
on 300 respondents ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tasks.core.study import Study  # noqa: E402
from tests.helpers import write_study  # noqa: E402

CLI = str(ROOT / ".venv" / "bin" / "interview-study")
TRIVIAL = (
    "from prefect import flow, task\n"
    "@task\ndef one() -> int:\n    return 1\n"
    "@flow\ndef trivial() -> int:\n    return one()\n"
    "trivial()\n"
)
EXTRA_CODING = "R01-0002,data_team,onderzoeker,\n"  # toggled in and out of codings/R01.csv


def synthetic_study(root: Path, n: int) -> Study:
    sizes, modes = ("small", "medium", "large"), ("online", "in_person")
    recruitment = [
        f"R{i:04d},municipality_email,2024-01-0{1 + i % 9},yes,2024-02-1{i % 10},{modes[i % 2]},{sizes[i % 3]},"
        f"allround,Persoon {i},p{i}@voorbeeld.invalid,Gemeente {i}"
        for i in range(n)
    ]
    consent = [f"R{i:04d},2024-02-10,yes,yes,yes,no," for i in range(n)]
    return write_study(root, recruitment, consent)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a researcher's shell: no Prefect settings of ours leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return {**env, **extra}


def seconds(command: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):  # 1: respondents with problems (the synthetic study's) are normal
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return elapsed


class Trivial:
    """The baseline: a one-task Prefect flow in a new process, Prefect's defaults (a temporary server)."""

    def __init__(self, home: Path) -> None:
        self.env = clean_env(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
        seconds(self.command(), self.env)  # creates its database once

    @staticmethod
    def command() -> list[str]:
        return [sys.executable, "-c", TRIVIAL]

    def __call__(self) -> float:
        return seconds(self.command(), self.env)


@contextmanager
def study_server(root: Path, on: bool) -> Iterator[None]:
    env = clean_env()
    if on:
        subprocess.run([CLI, "server", "start", "--study", str(root)], env=env, check=True, capture_output=True)
    try:
        yield
    finally:
        if on:
            subprocess.run([CLI, "server", "stop", "--study", str(root)], env=env, capture_output=True)


def toggle_coding(root: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    """A change to one coding, undone by the next call (each `aggregate` has real work), and a restore."""
    path = root / "codings" / "R01.csv"
    original = path.read_text(encoding="utf-8")

    def change() -> None:
        current = path.read_text(encoding="utf-8")
        path.write_text(original if current != original else original + EXTRA_CODING, encoding="utf-8")

    def restore() -> None:
        path.write_text(original, encoding="utf-8")

    return change, restore


def loop_rows(label: str, root: Path, trivial: Trivial, repeat: int, coded: bool) -> list[tuple[str, float, float]]:
    """no-change run and aggregate (after one changed coding where the study is coded), with and
    without the study's server, each sample next to a trivial flow sample."""
    env = clean_env()
    change, restore = toggle_coding(root) if coded else (lambda: None, lambda: None)
    aggregate_label = "aggregate after one changed coding" if coded else "aggregate, nothing to do"
    rows = []
    for server in (False, True):
        where = "study's server and warm runner" if server else "no server"
        base, run, agg = [], [], []
        with study_server(root, server):
            seconds([CLI, "run", "--study", str(root)], env)  # settles anything left from the last round
            for _ in range(repeat):
                base.append(trivial())
                run.append(seconds([CLI, "run", "--study", str(root)], env))
                change()
                agg.append(seconds([CLI, "aggregate", "--study", str(root)], env))
        b = statistics.median(base)
        rows += [
            (f"trivial one-task Prefect flow process ({label} round, {where})", b, b),
            (f"no-change run, {label}, {where}", statistics.median(run), b),
            (f"{aggregate_label}, {label}, {where}", statistics.median(agg), b),
        ]
    restore()  # the study as it was (the next `aggregate` brings its outputs back in line)
    return rows


def status_rows(root: Path, n: int, trivial_median: float, repeat: int) -> list[tuple[str, float, float]]:
    env = clean_env()
    rows = []
    for fmt in ("table", "json"):
        command = [CLI, "status", "--study", str(root), "--format", fmt]
        rows.append((f"status, {n} respondents, --format {fmt} (a new process)",
                     statistics.median(seconds(command, env) for _ in range(repeat)), trivial_median))
    return rows


def report(rows: list[tuple[str, float, float]]) -> None:
    print("| measurement | median s | × trivial flow |\n| --- | ---: | ---: |")
    for name, value, base in rows:
        print(f"| {name} | {value:.2f} | {value / base:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument("--example", nargs="?", type=Path, const=ROOT, default=None,
                        help="also the example study: the repository root, or a copy of it that has run once")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        trivial = Trivial(Path(tmp) / "prefect-home")
        study = synthetic_study(Path(tmp) / "study", args.respondents)
        seconds([CLI, "run", "--study", str(study.root)], clean_env())  # the first run does the work
        label = f"{args.respondents} respondents"
        synthetic = loop_rows(label, study.root, trivial, args.repeat, coded=False)
        rows += status_rows(study.root, args.respondents, synthetic[0][1], args.repeat) + synthetic
        if args.example is not None:
            rows += loop_rows("example study", args.example.resolve(), trivial, args.repeat, coded=True)
    report(rows)
    print("\n" + json.dumps({"respondents": args.respondents, "repeat": args.repeat, "load": os.getloadavg()}))


if __name__ == "__main__":
    main()
