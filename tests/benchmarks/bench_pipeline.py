"""Benchmark of the orchestration overhead (a script, not a test).

Prints, side by side and as ratios measured in one process (these machines are noisy):
- `status` on a study of N respondents (in-process and as the CLI command, which never starts Prefect);
- a no-change `run` of the study flow against a trivial Prefect flow on the same temporary server;
- `aggregate` (no change) against the same trivial flow.

    .venv/bin/python tests/benchmarks/bench_pipeline.py [--respondents 300] [--example]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flows.settings import FORCED  # noqa: E402

os.environ.update(FORCED)
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="bench-prefect-"))
os.environ["PREFECT_LOGGING_LEVEL"] = "ERROR"
os.environ["PREFECT_LOGGING_SERVER_LEVEL"] = "CRITICAL"

from tasks.protocol import execute_respondent  # noqa: E402
from tasks.status import study_status  # noqa: E402
from tasks.core.study import Study  # noqa: E402
from tests.helpers import write_study  # noqa: E402


def synthetic_study(root: Path, n: int) -> Study:
    sizes, modes = ("small", "medium", "large"), ("online", "in_person")
    recruitment = [
        f"R{i:04d},municipality_email,2024-01-0{1 + i % 9},yes,2024-02-1{i % 10},{modes[i % 2]},{sizes[i % 3]},"
        f"allround,Persoon {i},p{i}@voorbeeld.invalid,Gemeente {i}"
        for i in range(n)
    ]
    consent = [f"R{i:04d},2024-02-10,yes,yes,yes,no," for i in range(n)]
    return write_study(root, recruitment, consent)


def timed(function: Callable[[], Any], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument("--example", action="store_true", help="also time the example study in the repo root")
    args = parser.parse_args()
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        study = synthetic_study(Path(tmp) / "study", args.respondents)
        for rid in (f"R{i:04d}" for i in range(args.respondents)):
            execute_respondent(study, "recruitment", rid)
            execute_respondent(study, "consent", rid)
        rows.append((f"status, {args.respondents} respondents, in-process", timed(lambda: study_status(Study.at(study.root)))))
        cli = [str(ROOT / ".venv" / "bin" / "interview-study"), "status", "--study", str(study.root), "--format", "json"]
        rows.append((f"status, {args.respondents} respondents, CLI process", timed(lambda: subprocess.run(cli, capture_output=True, check=True), 3)))
        rows += flow_rows(study, args.respondents)
        if args.example:
            rows += flow_rows(Study.at(ROOT), None)
    report(rows)


def flow_rows(study: Study, n: int | None) -> list[tuple[str, float]]:
    from prefect import flow

    from flows.study import aggregate_pipeline, study_pipeline, without_heartbeat

    @flow(name="trivial", persist_result=False)
    def trivial() -> int:
        return 1

    label = f"{n} respondents" if n else "example study"
    with without_heartbeat():
        trivial()  # starts the temporary server once
        study_pipeline(str(study.root))  # first run does the work
        base = timed(trivial)
        run = timed(lambda: study_pipeline(str(study.root)), 3)
        agg = timed(lambda: aggregate_pipeline(str(study.root)), 3)
    with_heartbeat = timed(trivial, 3)
    return [
        ("trivial Prefect flow (heartbeat off)", base),
        ("trivial Prefect flow (heartbeat on)", with_heartbeat),
        (f"no-change run, {label}", run),
        (f"no-change aggregate, {label}", agg),
    ]


def report(rows: list[tuple[str, float]]) -> None:
    base = next((t for name, t in rows if name.startswith("trivial Prefect flow (heartbeat off)")), None)
    print(f"{'measurement':<48} {'median s':>9} {'× trivial flow':>15}")
    for name, seconds in rows:
        ratio = f"{seconds / base:.1f}" if base else ""
        print(f"{name:<48} {seconds:>9.3f} {ratio:>15}")


if __name__ == "__main__":
    main()
