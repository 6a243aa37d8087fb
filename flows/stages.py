"""The thin Prefect layer around the stages: tasks take ids and paths and return manifests."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.core.manifest import Manifest, hash_cache
from tasks.core.stage import execute_report, execute_respondent, execute_study, implementation, work_to_do
from tasks.core.study import RESPONDENT_STAGES, Study

_studies: dict[str, Study] = {}
_lock = threading.Lock()


def open_study(study_dir: str, fresh: bool = False) -> Study:
    """One Study object per run and process, so the tables are parsed once, not once per task."""
    with _lock:
        if fresh and study_dir in _studies:
            hash_cache(_studies[study_dir]).save()
        if fresh or study_dir not in _studies:
            _studies[study_dir] = Study.at(Path(study_dir))
        return _studies[study_dir]


def summary(manifest: Manifest) -> dict[str, Any]:
    """What a task hands back to the flow: ids, status, whether work was done, counts."""
    return {
        "stage": manifest.stage,
        "respondent_id": manifest.respondent_id,
        "status": manifest.status,
        "reused": manifest.reused,
        "ran": bool(manifest.fingerprint) and not manifest.reused,
        "counts": manifest.counts,
    }


@task(task_run_name="{stage}-{respondent_id}", persist_result=False, cache_policy=NO_CACHE)
def respondent_stage(study_dir: str, stage: str, respondent_id: str, force: bool = False) -> dict[str, Any]:
    """Run one stage for one respondent (skipped when its inputs are unchanged)."""
    return summary(execute_respondent(open_study(study_dir), stage, respondent_id, force))


@task(task_run_name="{stage}-report", persist_result=False, cache_policy=NO_CACHE)
def stage_report(study_dir: str, stage: str, force: bool = False) -> dict[str, Any]:
    """Write a per-respondent stage's study-level report (sampling report, consent overview)."""
    module = implementation(stage)
    report = getattr(__import__(f"tasks.{stage}", fromlist=["REPORT"]), "REPORT", None) if module else None
    if report is None:
        return {"stage": stage, "respondent_id": "_study", "status": "done", "reused": True, "ran": False, "counts": {}}
    return summary(execute_report(open_study(study_dir), report, force))


@task(task_run_name="{stage}", persist_result=False, cache_policy=NO_CACHE)
def study_stage(study_dir: str, stage: str, force: bool = False) -> dict[str, Any]:
    """Run a whole-study stage (axial, selective coding, aggregation) over eligible respondents."""
    if implementation(stage) is None:
        return {"stage": stage, "respondent_id": "_study", "status": "blocked", "reused": False, "ran": False, "counts": {}}
    return summary(execute_study(open_study(study_dir), stage, force))


@task(task_run_name="open_coding-refresh", persist_result=False, cache_policy=NO_CACHE)
def refresh_open_coding(study_dir: str) -> list[dict[str, Any]]:
    """Open coding again where a respondent's codings changed (the recoding loop of `aggregate`).

    Only open coding runs (skipped where nothing changed); earlier stages are never started.
    """
    from tasks.core.roster import respondent_ids

    study = open_study(study_dir)
    return [summary(execute_respondent(study, "open_coding", rid)) for rid in respondent_ids(study)]


def plan(study_dir: str, respondent_id: str, stages: tuple[str, ...], force: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """The respondent's stages to submit as tasks, and summaries of the current ones skipped.

    Deciding from disk first means a run with nothing new starts no task for the respondent.
    """
    wanted = tuple(stage for stage in stages if stage in RESPONDENT_STAGES)
    if force:
        return list(wanted), []
    to_run, current = work_to_do(open_study(study_dir), respondent_id, wanted)
    skipped = [
        {"stage": s.stage, "respondent_id": s.respondent_id, "status": s.status, "reused": True, "ran": False, "counts": {}}
        for s in current
    ]
    return to_run, skipped


def save_hashes(study_dir: str) -> None:
    hash_cache(open_study(study_dir)).save()
