"""Benchmark: pseudonymisation in an example-like study, as CI runs the example study.

    .venv/bin/python tests/benchmarks/bench_pseudonymise.py [--dir DIR]

The study is the repository's own example (config/, recruitment.csv, consent.csv: 13 Dutch
respondents, R04, R09 and R12 asked for anonymity, R09 allows no quotes), with the synthetic
dialogues of tests/example/ as approved transcripts and the coding plan as normalised codings
(what transcription, review and open coding would produce). In a fresh process each, it times:
the three whole-study stages (`aggregate`'s work; quotes of R04 and R12 pseudonymised, deduce
loaded for them), the same once more with nothing changed (skipped), and a REFI-QDA export
(every segment of R04, R09 and R12 pseudonymised). It prints what the detector (deduce or spaCy)
cost and how many texts it scanned (texts in the detection cache are not scanned again).
`--quality` prints recall and precision on the labelled sentences of tests/data/pseudonymisation/.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def generate(root: Path) -> None:
    """The example study's inputs with approved transcripts and normalised codings in out/."""
    import pandas as pd

    from tasks.core.transcripts import Segment, Transcript, save_transcript
    from tests.example.interviews import load_all

    shutil.copytree(ROOT / "config", root / "config")
    for name in ("recruitment.csv", "consent.csv"):
        shutil.copy(ROOT / name, root / name)
    for dialogue in load_all():
        rid = dialogue.respondent_id
        segments = tuple(
            Segment(f"{rid}-{n:04d}", 10.0 * n, 10.0 * n + 8, u.speaker, u.text, u.question_id)  # type: ignore[arg-type]
            for n, u in enumerate(dialogue.utterances, start=1)
        )
        meta = {"decision": "approved", "decided_on": "2022-03-30", "duration": 1800.0}
        save_transcript(root / "out" / "04_review" / "approved" / f"{rid}.json", Transcript(rid, segments, meta))
        rows = [
            (rid, f"{rid}-{n:04d}", code, "onderzoeker", "csv", "")
            for n, u in enumerate(dialogue.utterances, start=1)
            for code in u.codes
        ]
        frame = pd.DataFrame(rows, columns=["respondent_id", "segment_id", "code", "coder", "source", "note"])
        path = root / "out" / "05_open_coding" / f"{rid}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, lineterminator="\n")


def measure(root: Path, what: str) -> dict[str, Any]:
    """In this (fresh) process: `what` = stages | export; with deduce's load and scans counted."""
    import tasks.privacy.detect as detectors
    from tasks.core.catalog.recruitment import respondent_ids
    from tasks.core.study import Study

    spent = {"load_s": 0.0, "scan_s": 0.0, "scanned": 0}
    loads = {name: getattr(detectors, name) for name in ("_load_deduce", "_load_spacy")}
    detect = detectors.detect

    def timed(load: Any) -> Any:
        def run() -> Any:
            start = time.perf_counter()
            try:
                return load()
            finally:
                spent["load_s"] += time.perf_counter() - start

        return run

    def timed_detect(language: str, text: str) -> list[Any]:
        start = time.perf_counter()
        try:
            return detect(language, text)
        finally:
            spent["scan_s"] += time.perf_counter() - start
            spent["scanned"] += 1

    for name, load in loads.items():
        setattr(detectors, name, timed(load))
    detectors.detect = timed_detect  # type: ignore[assignment]
    study = Study.at(root)
    start = time.perf_counter()
    if what == "export":
        from tasks.exchange.qdpx_export import export_qdpx

        export_qdpx(study, root / "export.qdpx")
    else:
        from tasks.core.stage import Cohort, Pipeline
        from tasks.protocol import PROTOCOL, STUDY_STAGES, execute_study

        # the per-respondent stages are not run here: every respondent counts as coded
        Pipeline.cohort = lambda self, study: Cohort(respondent_ids(study))  # type: ignore[method-assign]
        assert PROTOCOL.study
        for stage in STUDY_STAGES:
            manifest = execute_study(study, stage)
            assert manifest.status == "done", (stage, manifest.detail)
    total = time.perf_counter() - start
    return {"what": what, "total_s": total, **spent, "deduce_loaded": "deduce" in sys.modules or "spacy" in sys.modules}


def quality() -> str:
    """The recall and precision table on the labelled sentences (the README's figures)."""
    from tests.tasks.privacy.evaluation import evaluate, evaluation_study, load, table

    root = Path(tempfile.mkdtemp(prefix="bench-pseudonymise-quality-"))
    return table({language: evaluate(evaluation_study(root / language, language), load(language)) for language in ("nl", "en")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where to generate (default: a temporary folder)")
    parser.add_argument("--measure", nargs=2, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--quality", action="store_true", help="recall and precision on tests/data/pseudonymisation/ only")
    args = parser.parse_args()
    if args.quality:
        print(quality())
        return
    if args.measure is not None:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    root = (args.dir or Path(tempfile.mkdtemp(prefix="bench-pseudonymise-"))) / "example"
    if root.exists():
        shutil.rmtree(root)
    generate(root)
    rows = []
    for label, what in (("aggregate (first run)", "stages"), ("aggregate (nothing changed)", "stages"), ("export qdpx", "export")):
        done = subprocess.run(
            [sys.executable, __file__, "--measure", str(root), what], check=True, capture_output=True, text=True
        )
        rows.append({"label": label, **json.loads(done.stdout.strip().splitlines()[-1])})
    print("| run | total (s) | detector loaded | detector load (s) | texts scanned | scanning, without the load (s) |")
    print("| --- | ---: | :---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['label']} | {r['total_s']:.2f} | {'yes' if r['deduce_loaded'] else 'no'} | {r['load_s']:.2f} | "
            f"{r['scanned']} | {r['scan_s'] - r['load_s']:.2f} |"
        )
    key = root / "pseudonymisation_key.csv"
    print(f"\nkey file: {len(key.read_text(encoding='utf-8').splitlines()) - 1} rows" if key.is_file() else "no key file")


if __name__ == "__main__":
    main()
