"""`run` and `aggregate`: start the Prefect flows under the study's lock, then say what is left to do.

Exit 0 when everything that could run did (respondents waiting on a person are normal); exit 1,
after all other work is done, when a stage failed for a respondent or input was rejected, ending
with one line per problem.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.app import StudyOption, app, fail_cleanly
from flows.session import err, open_and_check, out, prefect_session
from tasks.check import run_verdict
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.errors import InputError
from tasks.core.ids import check_respondent_id
from tasks.core.lock import study_lock
from tasks.core.manifest import load_manifest
from tasks.core.study import Study
from tasks.protocol import PROTOCOL, STAGES

WaitOption = Annotated[
    float, typer.Option("--wait", help="Seconds to wait for another run on this study to finish.")
]


@app.command()
@fail_cleanly
def run(
    study_dir: StudyOption = ".",  # type: ignore[assignment]
    respondent: Annotated[
        list[str] | None, typer.Option("--respondent", "-r", help="Only these respondents (repeatable).")
    ] = None,
    until: Annotated[str, typer.Option(help=f"Stop after this stage: {', '.join(STAGES)}.")] = "aggregation",
    force: Annotated[bool, typer.Option(help="Redo the work even where inputs are unchanged.")] = False,
    wait: WaitOption = 30.0,
    work_pool: Annotated[
        str | None,
        typer.Option(help="Run each respondent as a flow run on this Prefect work pool (needs a server and workers)."),
    ] = None,
    max_in_flight: Annotated[
        int | None,
        typer.Option(
            "--max-in-flight", min=1, help="With --work-pool: flow runs submitted at a time (default: one per online worker, or 4)."
        ),
    ] = None,
) -> None:
    """Run the pipeline over the study; unchanged work is skipped."""
    study = open_and_check(study_dir)
    if until not in STAGES:
        raise InputError(f"--until: unknown stage {until!r}; use one of {', '.join(STAGES)}")
    everyone = respondent_ids(study)  # an unreadable recruitment log stops here, before Prefect starts
    ids = _selected(study, respondent)
    with study_lock(study, wait):
        stages = PROTOCOL.until(until)
        if not force and not PROTOCOL.has_work(study, ids or everyone, stages):
            conclude(study, from_disk(study, ids or everyone, stages), nothing_to_do=True)
            return
        with prefect_session(study.root):
            results = _run_flows(study, ids, until, force, work_pool, max_in_flight)
    conclude(study, results)


def _run_flows(
    study: Study, ids: list[str] | None, until: str, force: bool, work_pool: str | None, max_in_flight: int | None
) -> list[dict[str, Any]]:
    """The study flow here, or each respondent's stages on a work pool; their results."""
    if work_pool:
        from flows.pool import run_on_pool  # Prefect: only when a run starts

        return run_on_pool(str(study.root), work_pool, ids, until, force, max_in_flight)
    from flows.study import results_of, study_pipeline  # Prefect: only when a run starts

    return results_of(study_pipeline(str(study.root), ids, until, force, return_state=True))


@app.command()
@fail_cleanly
def aggregate(
    study_dir: StudyOption = ".",  # type: ignore[assignment]
    force: Annotated[bool, typer.Option(help="Redo the work even where codings are unchanged.")] = False,
    wait: WaitOption = 30.0,
) -> None:
    """Rerun axial coding, selective coding and aggregation from the current codings."""
    study = open_and_check(study_dir)
    with study_lock(study, wait):
        stages = (PROTOCOL.respondent_names[-1], *PROTOCOL.study_names)  # open coding of the recoded, then the rest
        everyone = respondent_ids(study)
        if not force and not PROTOCOL.has_work(study, everyone, stages):
            coding = [r for r in from_disk(study, everyone, stages[:1]) if r["status"] == "failed"]  # as the flow reports
            conclude(study, coding + from_disk(study, [], PROTOCOL.study_names), nothing_to_do=True)
            return
        with prefect_session(study.root):
            from flows.study import aggregate_pipeline, results_of  # Prefect: only when a run starts

            results = results_of(aggregate_pipeline(str(study.root), force, return_state=True))
    conclude(study, results)


def from_disk(study: Study, ids: list[str], stages: tuple[str, ...]) -> list[dict[str, Any]]:
    """What a run with nothing to do would report, read from the manifests (no flow started)."""
    results = [
        {"stage": row.stage, "respondent_id": rid, "status": row.status, "ran": False, "reused": True, "counts": {}}
        for rid in ids
        for row in PROTOCOL.respondent_statuses(study, rid)
        if row.stage in stages
    ]
    for name in PROTOCOL.study_names:
        manifest = load_manifest(study, name, None) if name in stages else None
        if manifest is not None:
            results.append(
                {"stage": name, "respondent_id": "_study", "status": manifest.status, "ran": False, "reused": True, "counts": manifest.counts}
            )
    return results


def _selected(study: Any, respondent: list[str] | None) -> list[str] | None:
    if not respondent:
        return None
    known = set(respondent_ids(study))
    ids = [check_respondent_id(value, "--respondent") for value in respondent]
    unknown = [rid for rid in ids if rid not in known]
    if unknown:
        raise InputError(f"--respondent: {unknown[0]} is not in the recruitment log; check the id")
    return ids


def print_summary(results: list[dict[str, Any]]) -> None:
    """One line per stage: how many ran, were reused, and ended in each status."""
    by_stage: dict[str, Counter[str]] = {}
    for result in results:
        if result["respondent_id"] == "_study" and result["stage"] in ("recruitment", "consent"):
            continue  # the study-level report of a per-respondent stage: not a respondent
        counter = by_stage.setdefault(result["stage"], Counter())
        counter["ran" if result["ran"] else "skipped"] += 1
        counter[result["status"]] += 1
    for stage in STAGES:
        if stage not in by_stage:
            continue
        counter = by_stage[stage]
        statuses = ", ".join(f"{counter[s]} {s}" for s in ("done", "waiting", "excluded", "failed", "blocked") if counter[s])
        out.print(f"{stage:<17} ran {counter['ran']:>3}, skipped {counter['skipped']:>3}   {statuses}", highlight=False)
    out.print("See where everyone stands: interview-study status", highlight=False)


def conclude(study: Study, results: list[dict[str, Any]], nothing_to_do: bool = False) -> None:
    """The summary, where the report is, then each problem as one line and exit 1 if there is any."""
    print_summary(results)
    if nothing_to_do:
        out.print("Nothing changed since the last run: every stage is current (no flow was started).", highlight=False)
    report = study.catalog.result("report.docx")
    made = any(r["stage"] == STAGES[-1] and r["status"] == "done" for r in results)
    if made and report.is_file():
        out.print(f"Report: {_shown(report)}", markup=False, highlight=False)
    verdict = run_verdict(Study.at(study.root), results)  # read anew: the run changed the files
    if verdict.clean:
        return
    err.print(f"{verdict.message}; fix these and run again:", markup=False, highlight=False)
    for line in verdict.lines:
        err.print(f"error: {line}", markup=False, highlight=False)
    raise typer.Exit(1)


def _shown(path: Path) -> str:
    """The path as the user reaches it from where they are: relative inside the current folder."""
    try:
        return str(path.relative_to(Path(os.getcwd()).resolve()))
    except ValueError:
        return str(path)
