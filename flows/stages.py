"""The thin Prefect layer around the stages: tasks take ids and paths and return manifests."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.manifest import Manifest, hash_cache
from tasks.core.study import Study
from tasks.protocol import PROTOCOL

_studies: dict[str, Study] = {}
_lock = threading.Lock()


def open_study(study_dir: str, fresh: bool = False) -> Study:
    """The study of this run, shared by its tasks so that the tables are parsed once, not once per
    task. `fresh=True` begins a run: the config is read again and the run cache starts empty."""
    with _lock:
        if fresh or study_dir not in _studies:
            _studies[study_dir] = Study.at(Path(study_dir))
        return _studies[study_dir]


def settle(study_dir: str) -> None:
    """Make what the tasks wrote visible to what runs next: the hash cache is saved and the run
    cache forgotten, so the whole-study stages read the respondent stages' new outputs."""
    with _lock:
        study = _studies.get(study_dir)
        if study is not None:
            hash_cache(study).save()
            study.cache.forget()


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
    return summary(PROTOCOL.execute_respondent(open_study(study_dir), stage, respondent_id, force))


@task(task_run_name="{stage}-report", persist_result=False, cache_policy=NO_CACHE)
def stage_report(study_dir: str, stage: str, force: bool = False) -> dict[str, Any]:
    """Write a per-respondent stage's study-level report (sampling report, consent overview)."""
    report = next(report for report in PROTOCOL.reports if report.name == stage)
    return summary(PROTOCOL.execute_report(open_study(study_dir), report, force))


@task(task_run_name="{stage}", persist_result=False, cache_policy=NO_CACHE)
def study_stage(study_dir: str, stage: str, force: bool = False) -> dict[str, Any]:
    """Run a whole-study stage (axial, selective coding, aggregation) over eligible respondents."""
    return summary(PROTOCOL.execute_study(open_study(study_dir), stage, force))


@task(task_run_name="open_coding-refresh", persist_result=False, cache_policy=NO_CACHE)
def refresh_open_coding(study_dir: str) -> list[dict[str, Any]]:
    """Open coding again where a respondent's codings changed (the recoding loop of `aggregate`).

    Only open coding runs (skipped where nothing changed); earlier stages are never started.
    """
    study = open_study(study_dir)
    last = PROTOCOL.respondent_names[-1]
    return [summary(PROTOCOL.execute_respondent(study, last, rid)) for rid in respondent_ids(study)]


def plan(study_dir: str, respondent_id: str, stages: tuple[str, ...], force: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """The respondent's stages to submit as tasks, and summaries of the current ones skipped.

    Deciding from disk first means a run with nothing new starts no task for the respondent.
    """
    wanted = tuple(stage for stage in stages if stage in PROTOCOL.respondent_names)
    if force:
        return list(wanted), []
    to_run, current = PROTOCOL.work_to_do(open_study(study_dir), respondent_id, wanted)
    skipped = [
        {"stage": s.stage, "respondent_id": s.respondent_id, "status": s.status, "reused": True, "ran": False, "counts": {}}
        for s in current
    ]
    return to_run, skipped


def save_hashes(study_dir: str) -> None:
    hash_cache(open_study(study_dir)).save()
