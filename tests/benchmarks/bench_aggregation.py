"""Benchmark: axial coding, selective coding and aggregation on synthetic studies of 10, 100 and
1,000 respondents × 300 segments × ~3 codings per coded segment.

    .venv/bin/python tests/benchmarks/bench_aggregation.py [--sizes 10 100 1000] [--dir DIR]

Each size is generated once (approved transcripts and normalised codings, as open coding writes
them), then measured in a fresh process: the stages' `inputs` (what `status` and the skip check
cost) and `run` (the work), wall time and peak resident memory. Target at 1,000 respondents:
≤ 10 s and ≤ 1 GB, growing linearly.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tasks.core.files import write_text
from tasks.core.transcripts import Segment, Transcript, save_transcript
from tests.helpers import thesis_declared

SEGMENTS = 300
CATEGORIES = 6
CODES_PER_CATEGORY = 5
WORDS = [f"woord{i}" for i in range(400)] + ["data", "dashboard", "integraal", "wijkgericht", "privacy"]
SIZES = ("small", "medium", "large")
MODES = ("online", "in_person")
CHANNELS = ("linkedin", "network", "municipality_email")
ROLES = ("all_round", "wmo", "jeugd", "participatie")


def codebook_yaml() -> str:
    lines = ["categories:"]
    for c in range(CATEGORIES):
        lines += [f"  - id: cat{c}", f"    name: Category {c}", "    codes:"]
        for k in range(CODES_PER_CATEGORY):
            lines.append(f"      - {{id: c{c}_{k}, name: Code {c}.{k}, definition: d, keywords: [woord{c * 10 + k}]}}")
    lines.append("relations:")
    for c in range(CATEGORIES - 1):
        lines.append(f"  - {{from: c{c}_0, to: c{c + 1}_1, type: relates_to}}")
        lines.append(f"  - {{from: cat{c}, to: cat{c + 1}, type: causes}}")
    return "\n".join(lines) + "\n"


GUIDE = "questions:\n" + "".join(
    f"  - {{id: q{i}, topic: t{(i - 1) % 5 + 1}, phase: {'before' if i <= 5 else 'now'}, text: question {i}}}\n"
    for i in range(1, 11)
)


def generate(root: Path, n: int, seed: int = 7) -> None:
    """A study folder with n respondents, approved transcripts and normalised codings."""
    rng = np.random.default_rng(seed)
    write_text(root / "config" / "study.yaml", thesis_declared("study:\n  title: Benchmark\n  language: en\n"))
    write_text(root / "config" / "codebook.yaml", codebook_yaml())
    write_text(root / "config" / "interview_guide.yaml", GUIDE)
    ids = [f"R{i:04d}" for i in range(1, n + 1)]
    recruitment = pd.DataFrame(
        {
            "respondent_id": ids,
            "channel": rng.choice(CHANNELS, n),
            "contacted_on": "2024-01-02",
            "responded": "yes",
            "interview_date": "2024-02-01",
            "interview_mode": rng.choice(MODES, n),
            "municipality_size": rng.choice(SIZES, n),
            "role": rng.choice(ROLES, n),
            "name": [f"Persoon{i} Achternaam{i}" for i in range(n)],
            "email": [f"p{i}@example.org" for i in range(n)],
            "organisation": [f"Gemeente Plaats{i}" for i in range(n)],
        }
    )
    recruitment.to_csv(root / "recruitment.csv", index=False)
    consent = pd.DataFrame(
        {
            "respondent_id": ids, "consent_on": "2024-02-01", "recording": "yes", "transcription": "yes",
            "quotes": rng.choice(["yes", "yes", "no"], n), "anonymize": rng.choice(["yes", "no"], n), "withdrawn_on": "",
        }
    )
    consent.to_csv(root / "consent.csv", index=False)
    codes = [f"c{c}_{k}" for c in range(CATEGORIES) for k in range(CODES_PER_CATEGORY)]
    for rid in ids:
        _respondent(root, rid, rng, codes)


def _respondent(root: Path, rid: str, rng: np.random.Generator, codes: list[str]) -> None:
    lengths = rng.integers(8, 60, SEGMENTS)
    words = rng.choice(WORDS, int(lengths.sum()))
    texts = [" ".join(chunk) for chunk in np.split(words, np.cumsum(lengths)[:-1])]
    questions = [f"q{min(10, 1 + i * 10 // SEGMENTS)}" for i in range(SEGMENTS)]
    speakers = ["interviewer" if i % 5 == 0 else "respondent" for i in range(SEGMENTS)]
    segments = tuple(
        Segment(f"{rid}-{i + 1:04d}", 5.0 * i, 5.0 * i + 4.5, speakers[i], texts[i], questions[i])  # type: ignore[arg-type]
        for i in range(SEGMENTS)
    )
    save_transcript(root / "out" / "04_review" / "approved" / f"{rid}.json", Transcript(rid, segments, {"decision": "approved"}))
    per_segment = rng.integers(2, 5, SEGMENTS)  # 2–4 codes, ~3 on average
    seg = np.repeat(np.arange(SEGMENTS), per_segment)
    picked = np.concatenate([rng.choice(len(codes), k, replace=False) for k in per_segment])
    frame = pd.DataFrame(
        {
            "respondent_id": rid,
            "segment_id": [f"{rid}-{i + 1:04d}" for i in seg],
            "code": np.asarray(codes)[picked],
            "coder": rng.choice(["AB", "CD"], len(seg), p=[0.9, 0.1]),
            "source": "csv",
            "note": "",
        }
    ).drop_duplicates(["segment_id", "code", "coder"]).sort_values(["segment_id", "code", "coder"])
    path = root / "out" / "05_open_coding" / f"{rid}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def measure(root: Path) -> dict[str, float]:
    """In this (fresh) process: inputs and run of the three whole-study stages."""
    from tasks.aggregation.stage import STAGE as aggregation
    from tasks.axial_coding.stage import STAGE as axial
    from tasks.core.catalog.recruitment import respondent_ids
    from tasks.analysis.frames import load_coded
    from tasks.core.files import fingerprint
    from tasks.core.stage import Cohort
    from tasks.core.study import Study
    from tasks.analysis import quotes
    from tasks.selective_coding.stage import STAGE as selective

    # the stages import pandas, matplotlib and python-docx when they run (so that `status` stays
    # light); imported here first, the table times the work, not the imports
    for name in ("aggregation.agreement", "aggregation.methods", "analysis.plots", "aggregation.report", "selective_coding.storyline"):
        importlib.import_module(f"tasks.{name}")

    spent = {"pseudonymise": 0.0}
    for name in ("pseudonymise_texts", "strip_personal", "save_key"):
        setattr(quotes, name, _timed(getattr(quotes, name), spent))
    (root / "pseudonymisation_key.csv").unlink(missing_ok=True)  # start each measurement alike
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    study = Study.at(root)
    eligible = respondent_ids(study)
    cohort = Cohort(eligible)
    result: dict[str, float] = {"respondents": len(eligible), "baseline_mb": baseline}
    start = time.perf_counter()
    for stage in (axial, selective, aggregation):
        fingerprint(stage.inputs(study, cohort))
    result["inputs_s"] = time.perf_counter() - start
    total = 0.0
    cpu = time.process_time()
    for stage in (axial, selective, aggregation):
        start = time.perf_counter()
        outcome = stage.run(study, cohort)
        result[f"{stage.name}_s"] = time.perf_counter() - start
        total += result[f"{stage.name}_s"]
        assert outcome.status == "done", outcome.detail
    result["run_s"] = total
    result["cpu_s"] = time.process_time() - cpu
    result["pseudonymise_s"] = spent["pseudonymise"]
    result["codings"] = float(len(load_coded(study, eligible).rows))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _timed(function: Any, spent: dict[str, float]) -> Any:
    """`function`, adding its wall time to spent["pseudonymise"] (quotes' key file and detection)."""

    def timed(*args: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            spent["pseudonymise"] += time.perf_counter() - start

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--dir", type=Path, default=None, help="where to generate (default: a temporary folder)")
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return
    base = args.dir or Path(tempfile.mkdtemp(prefix="bench-aggregation-"))
    rows = []
    for n in args.sizes:
        root = base / f"study-{n}"
        if not (root / "config").is_dir():
            start = time.perf_counter()
            generate(root, n)
            print(f"generated {n} respondents in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, __file__, "--measure", str(root)], check=True, capture_output=True, text=True
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(table(rows))


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        ("| respondents | codings | inputs (s) | axial (s) | selective (s) | aggregation (s) | work (s) | work, CPU (s) "
        "| of which pseudonymise (s) | work without it, s per 100 resp. | peak RSS (MB) | above baseline (MB) |"),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['respondents']):,} | {int(r['codings']):,} | {r['inputs_s']:.2f} | {r['axial_coding_s']:.2f} | "
            f"{r['selective_coding_s']:.2f} | {r['aggregation_s']:.2f} | {r['run_s']:.2f} | {r['cpu_s']:.2f} | {r['pseudonymise_s']:.2f} | "
            f"{100 * (r['run_s'] - r['pseudonymise_s']) / r['respondents']:.2f} | {r['peak_mb']:.0f} | "
            f"{r['peak_mb'] - r['baseline_mb']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
