"""How a stage is run and skipped, and how its status is derived from disk.

A stage module exposes `STAGE`, an object with a `name`, a `version`, `inputs(...)` (a JSON-able
description of everything its output depends on: content hashes of files, settings) and
`run(...)` (the work, returning an Outcome). This module runs it when the fingerprint of its
inputs changed and derives `done/waiting/blocked/excluded/failed/pending` from the manifests.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from tasks.core.errors import StudyError
from tasks.core.files import fingerprint
from tasks.core.manifest import (
    Manifest,
    Outcome,
    Status,
    load_manifest,
    outputs_intact,
    record,
)
from tasks.core.study import RESPONDENT_STAGES, STAGES, STUDY_STAGES, Study

log = logging.getLogger("interview_study")


class RespondentStage(Protocol):
    name: str
    version: str

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]: ...

    def run(self, study: Study, respondent_id: str) -> Outcome: ...


class StudyStage(Protocol):
    name: str
    version: str

    def inputs(self, study: Study, eligible: list[str]) -> dict[str, Any]: ...

    def run(self, study: Study, eligible: list[str]) -> Outcome: ...


@dataclass(frozen=True)
class StageStatus:
    respondent_id: str
    stage: str
    status: Status
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "respondent_id": self.respondent_id,
            "stage": self.stage,
            "status": self.status,
            "detail": self.detail,
        }


def implementation(stage: str) -> Any | None:
    """The stage module's STAGE object, or None while the stage is not part of this version."""
    try:
        module = importlib.import_module(f"tasks.{stage}")
    except ModuleNotFoundError as error:
        if error.name == f"tasks.{stage}":
            return None
        raise
    return getattr(module, "STAGE", None)


def current_fingerprint(stage: Any, study: Study, subject: Any) -> str:
    return fingerprint({"stage": stage.name, "version": stage.version, "inputs": stage.inputs(study, subject)})


def guarded(study: Study, label: str, work: Any) -> Outcome:
    """Run `work()`; expected errors become a failed outcome with their one-line message.

    Unexpected errors are logged with their traceback to the study's local log (which may hold
    personal data and never reaches Prefect) and reported by type only.
    """
    try:
        outcome: Outcome = work()
        return outcome
    except StudyError as error:
        return Outcome("failed", error.message)
    except Exception as error:  # noqa: BLE001 - one respondent's crash must not stop the others
        log.exception("unexpected error in %s", label)
        return Outcome(
            "failed",
            f"unexpected error ({type(error).__name__}) in {label}; "
            f"see {study.config.study.output_dir}/logs/pipeline.log and report it",
            meta={"unexpected": True},
        )


def execute_respondent(study: Study, stage_name: str, respondent_id: str, force: bool = False) -> Manifest:
    """Run one respondent's stage unless its inputs are unchanged; returns its manifest."""
    stage = implementation(stage_name)
    gate = _gate(study, stage_name, respondent_id)
    if gate is not None:
        return gate
    if stage is None:
        return Manifest(stage_name, respondent_id, "blocked", "this stage is not available in this version", "")
    return _run_or_reuse(study, stage, respondent_id, respondent_id, f"{stage_name} of {respondent_id}", force)


def execute_study(study: Study, stage_name: str, force: bool = False) -> Manifest:
    """Run a whole-study stage over the eligible respondents unless nothing changed."""
    stage = implementation(stage_name)
    eligible = eligible_respondents(study)
    index = STAGES.index(stage_name)
    if index > STAGES.index(STUDY_STAGES[0]):
        before = load_manifest(study, STAGES[index - 1], None)
        if before is None or before.status != "done":
            return Manifest(stage_name, "_study", "blocked", f"{STAGES[index - 1]} is not done", "")
    return _run_or_reuse(study, stage, None, eligible, stage_name, force, included=eligible)


def execute_report(study: Study, report: Any, force: bool = False) -> Manifest:
    """Run a stage's study-level report (e.g. the sampling report) unless nothing changed."""
    return _run_or_reuse(study, report, None, [], f"{report.name} report", force)


def _run_or_reuse(
    study: Study, stage: Any, rid: str | None, subject: Any, label: str, force: bool, included: list[str] | None = None
) -> Manifest:
    """The one place where work is skipped (same fingerprint, outputs intact) or done and recorded."""
    fp = _safe_fingerprint(study, stage, subject)
    if isinstance(fp, Outcome):
        return record(study, stage.name, rid, "", fp)
    previous = load_manifest(study, stage.name, rid)
    if not force and previous is not None and _reusable(study, previous, fp):
        return _reused(previous)
    outcome = guarded(study, label, lambda: stage.run(study, subject))
    if included is not None:  # status tells who is in the study-wide results
        outcome.meta.setdefault("included", included)
    return record(study, stage.name, rid, fp, outcome)


def _safe_fingerprint(study: Study, stage: Any, subject: Any) -> str | Outcome:
    result = guarded(study, f"{stage.name} inputs", lambda: Outcome("done", current_fingerprint(stage, study, subject)))
    return result.detail if result.status == "done" else result


def _reusable(study: Study, previous: Manifest | None, fp: str) -> bool:
    return (
        previous is not None
        and previous.fingerprint == fp
        and previous.status in ("done", "waiting", "excluded", "failed")
        and not previous.meta.get("unexpected")  # a crash may be transient: try again
        and outputs_intact(study, previous)
    )


def _reused(manifest: Manifest) -> Manifest:
    return Manifest(**{**manifest.to_json(), "reused": True})


def _gate(study: Study, stage_name: str, respondent_id: str) -> Manifest | None:
    """A not-run manifest when an earlier stage stops this one (not saved: status derives it)."""
    index = RESPONDENT_STAGES.index(stage_name)
    if index == 0:
        return None
    earlier = respondent_statuses(study, respondent_id, until=RESPONDENT_STAGES[index - 1])[-1]
    if earlier.status == "done":
        return None
    status: Status = "excluded" if earlier.status == "excluded" else "blocked"
    detail = earlier.detail if status == "excluded" else f"{earlier.stage} is not done ({earlier.status})"
    return Manifest(stage_name, respondent_id, status, detail, "")


def respondent_statuses(study: Study, respondent_id: str, until: str | None = None) -> list[StageStatus]:
    """The per-respondent stages' statuses, derived from manifests and the current inputs."""
    statuses: list[StageStatus] = []
    previous: StageStatus | None = None
    for stage_name in RESPONDENT_STAGES:
        current = _derive(study, stage_name, respondent_id, previous)
        statuses.append(current)
        previous = current
        if stage_name == until:
            break
    return statuses


def _derive(study: Study, stage_name: str, rid: str, previous: StageStatus | None) -> StageStatus:
    if previous is not None and previous.status == "excluded":
        return StageStatus(rid, stage_name, "excluded", previous.detail)
    if previous is not None and previous.status != "done":
        return StageStatus(rid, stage_name, "blocked", f"{previous.stage} is not done ({previous.status})")
    stage = implementation(stage_name)
    if stage is None:
        return StageStatus(rid, stage_name, "blocked", "this stage is not available in this version")
    manifest = load_manifest(study, stage_name, rid)
    if manifest is None:
        return StageStatus(rid, stage_name, "pending", "not run yet")
    fp = _safe_fingerprint(study, stage, rid)
    if isinstance(fp, Outcome):
        return StageStatus(rid, stage_name, "failed", fp.detail)
    if manifest.fingerprint != fp:
        return StageStatus(rid, stage_name, "pending", "inputs changed since the last run")
    # optional: a stage may word its stored detail for today (e.g. "sent 2024-03-20 (12 days ago)")
    live = getattr(stage, "live_detail", None)
    detail = live(study, rid, manifest) if callable(live) else manifest.detail
    return StageStatus(rid, stage_name, manifest.status, detail)


def eligible_respondents(study: Study) -> list[str]:
    """Respondents whose open coding is done (so: consented, approved, not withdrawn)."""
    from tasks.core.roster import respondent_ids

    return [
        rid
        for rid in respondent_ids(study)
        if respondent_statuses(study, rid)[-1].status == "done"
    ]


def study_statuses(study: Study, rid: str, last: StageStatus, eligible: list[str]) -> list[StageStatus]:
    """Axial coding, selective coding and aggregation as they concern one respondent."""
    statuses: list[StageStatus] = []
    previous = last
    fresh: dict[str, bool] = study._cache.setdefault("study_fresh", {})  # type: ignore[assignment]
    for stage_name in STUDY_STAGES:
        if previous.status == "excluded":
            current = StageStatus(rid, stage_name, "excluded", previous.detail)
        elif previous.status != "done":
            current = StageStatus(rid, stage_name, "blocked", f"{previous.stage} is not done ({previous.status})")
        else:
            current = _derive_study(study, stage_name, rid, eligible, fresh)
        statuses.append(current)
        previous = current
    return statuses


def _derive_study(
    study: Study, stage_name: str, rid: str, eligible: list[str], fresh: dict[str, bool]
) -> StageStatus:
    stage = implementation(stage_name)
    if stage is None:
        return StageStatus(rid, stage_name, "blocked", "this stage is not available in this version")
    manifest = load_manifest(study, stage_name, None)
    if manifest is None:
        return StageStatus(rid, stage_name, "pending", "not run yet; run 'interview-study aggregate'")
    if stage_name not in fresh:
        fp = _safe_fingerprint(study, stage, eligible)
        fresh[stage_name] = isinstance(fp, str) and fp == manifest.fingerprint
    if not fresh[stage_name] or rid not in manifest.meta.get("included", []):
        return StageStatus(rid, stage_name, "pending", "codings changed; run 'interview-study aggregate'")
    return StageStatus(rid, stage_name, manifest.status, manifest.detail)


def work_to_do(study: Study, respondent_id: str, stages: tuple[str, ...]) -> tuple[list[str], list[StageStatus]]:
    """Which of a respondent's stages a run must start, and the statuses of the ones it can skip.

    A run starts at the first stage that is pending (or failed unexpectedly, which is retried);
    every later stage follows it, since its inputs may change. Stages before it, and all stages
    when none has work, are current: a no-change run then starts no task at all.
    """
    statuses = [s for s in respondent_statuses(study, respondent_id) if s.stage in stages]
    for index, status in enumerate(statuses):
        if status.status == "pending" or (status.status == "failed" and _crashed(study, status)):
            return [s.stage for s in statuses[index:]], statuses[:index]
    return [], statuses


def _crashed(study: Study, status: StageStatus) -> bool:
    manifest = load_manifest(study, status.stage, status.respondent_id)
    return manifest is None or bool(manifest.meta.get("unexpected"))
