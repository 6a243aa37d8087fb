"""How a stage is run and skipped, and how its status is derived from disk.

A stage is an object with a `name`, a `version`, `inputs(...)` (a JSON-able description of
everything its output depends on: content hashes of files, settings) and `run(...)` (the work,
returning an Outcome). The protocol (`tasks.protocol`) lists them in order in a `Pipeline`; this
module runs a stage when the fingerprint of its inputs changed and derives
`done/waiting/blocked/excluded/failed/pending` from the manifests. It knows no stage by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from tasks.core.catalog.recruitment import read_log, respondent_ids
from tasks.core.errors import InputError, StudyError, storage_problem
from tasks.core.files import fingerprint
from tasks.core.forget import forget
from tasks.core.keep import KeptOutputs
from tasks.core.manifest import (
    STUDY_KEY,
    Manifest,
    Outcome,
    Status,
    load_manifest,
    outputs_intact,
    record,
    save_manifest,
)
from tasks.core.study import Study

log = logging.getLogger("interview_study")


@dataclass(frozen=True)
class Cohort:
    """Who a whole-study stage works on: the eligible respondents (open coding done: consented,
    approved, not withdrawn) and the roster's others, each with the reason they are left out."""

    eligible: list[str]
    left_out: list[tuple[str, str]] = field(default_factory=list)


class RespondentStage(Protocol):
    name: str
    version: str

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]: ...

    def run(self, study: Study, respondent_id: str) -> Outcome: ...


class StudyStage(Protocol):
    name: str
    version: str

    def inputs(self, study: Study, cohort: Cohort) -> dict[str, Any]: ...

    def run(self, study: Study, cohort: Cohort) -> Outcome: ...


class Report(Protocol):
    """A per-respondent stage's study-level output (the sampling report, the consent overview)."""

    name: str
    version: str

    def inputs(self, study: Study) -> dict[str, Any]: ...

    def run(self, study: Study) -> Outcome: ...


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


def guarded(study: Study, label: str, work: Callable[[], Outcome]) -> Outcome:
    """Run `work()`; expected errors become a failed outcome with their one-line message.

    Unexpected errors are logged with their traceback to the study's local log (which may hold
    personal data and never reaches Prefect) and reported by type only.
    """
    try:
        return work()
    except StudyError as error:
        return Outcome("failed", error.message)
    except OSError as error:
        problem = storage_problem(error, study.root, study.catalog.out)
        if problem is None:
            return _crash(study, label, error)
        return Outcome("failed", problem.message, meta={"unexpected": True})  # retried once there is room
    except Exception as error:  # noqa: BLE001 - one respondent's crash must not stop the others
        return _crash(study, label, error)


def _crash(study: Study, label: str, error: Exception) -> Outcome:
    log.exception("unexpected error in %s", label)
    return Outcome(
        "failed",
        f"unexpected error ({type(error).__name__}) in {label}; "
        f"see {study.config.study.output_dir}/logs/pipeline.log and report it",
        meta={"unexpected": True},
    )


@dataclass
class Pipeline:
    """The stages in order: per respondent first, then whole-study; and the study-level reports."""

    respondent: tuple[RespondentStage, ...]
    study: tuple[StudyStage, ...]
    reports: tuple[Report, ...] = ()
    forget_hooks: tuple[Callable[[Study, str], object], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return self.respondent_names + self.study_names

    @property
    def respondent_names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.respondent)

    @property
    def study_names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.study)

    def until(self, last: str) -> tuple[str, ...]:
        """The stage names up to and including `last`."""
        if last not in self.names:
            raise InputError(f"until: unknown stage {last!r}; use one of {', '.join(self.names)}")
        return self.names[: self.names.index(last) + 1]

    def respondent_stage(self, name: str) -> RespondentStage:
        return next(stage for stage in self.respondent if stage.name == name)

    def study_stage(self, name: str) -> StudyStage:
        return next(stage for stage in self.study if stage.name == name)

    # running -------------------------------------------------------------------------------
    def execute_respondent(self, study: Study, name: str, respondent_id: str, force: bool = False) -> Manifest:
        """Run one respondent's stage unless its inputs are unchanged; returns its manifest."""
        gate = self._gate(study, name, respondent_id)
        if gate is not None:
            return gate
        stage = self.respondent_stage(name)

        def work() -> Outcome:
            outcome = stage.run(study, respondent_id)
            if outcome.retracts is not None:
                self._retract(study, respondent_id, outcome.retracts, name, outcome.detail)
            later = self.respondent_names[self.respondent_names.index(name) + 1 :]
            if outcome.forgets_later and later:
                self.forget(study, respondent_id, later[0])
            return outcome

        return _run_or_reuse(
            study, stage, respondent_id, lambda: stage.inputs(study, respondent_id), work, f"{name} of {respondent_id}", force
        )

    def forget(self, study: Study, rid: str, from_stage: str) -> list[Path]:
        """Remove the respondent's outputs from `from_stage` on, and every whole-study output that
        included them; then whatever the protocol's hooks keep elsewhere (the pseudonymisation key)."""
        stages = self.respondent_names[self.respondent_names.index(from_stage):]
        reports = [report.name for report in self.reports] if from_stage == self.respondent_names[0] else []
        removed = forget(study, rid, stages, [*self.study_names, *reports])
        for hook in self.forget_hooks:
            hook(study, rid)
        return removed

    def _retract(self, study: Study, rid: str, from_stage: str, current: str, detail: str) -> None:
        """Forget the respondent's outputs from `from_stage` on and record the stages before
        `current` as excluded (same fingerprint: the next run does not redo them)."""
        names = self.respondent_names
        earlier = [load_manifest(study, name, rid) for name in names[names.index(from_stage) : names.index(current)]]
        self.forget(study, rid, from_stage)
        for manifest in earlier:
            if manifest is not None:
                save_manifest(study, replace(manifest, status="excluded", detail=detail, outputs={}, counts={}, meta={}))

    def execute_study(self, study: Study, name: str, force: bool = False) -> Manifest:
        """Run a whole-study stage over the eligible respondents unless nothing changed."""
        stage = self.study_stage(name)
        cohort = self.cohort(study)
        index = self.study_names.index(name)
        if index > 0:
            before = load_manifest(study, self.study_names[index - 1], None)
            if before is None or before.status != "done":
                return Manifest(name, STUDY_KEY, "blocked", f"{self.study_names[index - 1]} is not done", "")
        return _run_or_reuse(
            study, stage, None, lambda: stage.inputs(study, cohort), lambda: stage.run(study, cohort),
            name, force, included=cohort.eligible,
        )

    def execute_report(self, study: Study, report: Report, force: bool = False) -> Manifest:
        """Run a study-level report unless nothing changed."""
        return _run_or_reuse(
            study, report, None, lambda: report.inputs(study), lambda: report.run(study), f"{report.name} report", force
        )

    def _gate(self, study: Study, name: str, respondent_id: str) -> Manifest | None:
        """A not-run manifest when an earlier stage stops this one (not saved: status derives it)."""
        index = self.respondent_names.index(name)
        if index == 0:
            return None
        earlier = self.respondent_statuses(study, respondent_id, until=self.respondent_names[index - 1])[-1]
        if earlier.status == "done":
            return None
        status: Status = "excluded" if earlier.status == "excluded" else "blocked"
        detail = earlier.detail if status == "excluded" else f"{earlier.stage} is not done ({earlier.status})"
        return Manifest(name, respondent_id, status, detail, "")

    # status --------------------------------------------------------------------------------
    def respondent_statuses(self, study: Study, respondent_id: str, until: str | None = None) -> list[StageStatus]:
        """The per-respondent stages' statuses, derived from manifests and the current inputs."""
        statuses: list[StageStatus] = []
        previous: StageStatus | None = None
        for stage in self.respondent:
            current = _derive(study, stage, respondent_id, previous)
            statuses.append(current)
            previous = current
            if stage.name == until:
                break
        return statuses

    def eligible(self, study: Study) -> list[str]:
        """Respondents whose open coding is done (so: consented, approved, not withdrawn)."""
        return self.cohort(study).eligible

    def cohort(self, study: Study) -> Cohort:
        """The eligible respondents and, for each other respondent, why they are not counted."""
        eligible: list[str] = []
        left_out: list[tuple[str, str]] = []
        for rid in respondent_ids(study):
            first = next((s for s in self.respondent_statuses(study, rid) if s.status != "done"), None)
            if first is None:
                eligible.append(rid)
            elif first.status == "excluded":
                left_out.append((rid, first.detail))
            else:
                left_out.append((rid, f"{first.stage.replace('_', ' ')} is {first.status}"))
        return Cohort(eligible, left_out)

    def study_statuses(self, study: Study, rid: str, last: StageStatus) -> list[StageStatus]:
        """The whole-study stages as they concern one respondent."""
        statuses: list[StageStatus] = []
        previous = last
        cohort: Cohort | None = None
        for stage in self.study:
            if previous.status == "excluded":
                current = StageStatus(rid, stage.name, "excluded", previous.detail)
            elif previous.status != "done":
                current = StageStatus(rid, stage.name, "blocked", f"{previous.stage} is not done ({previous.status})")
            else:
                if cohort is None and stage.name not in study.cache.study_fresh:
                    cohort = self.cohort(study)
                current = _derive_study(study, stage, rid, cohort)
            statuses.append(current)
            previous = current
        return statuses

    def work_to_do(self, study: Study, respondent_id: str, stages: Sequence[str]) -> tuple[list[str], list[StageStatus]]:
        """Which of a respondent's stages a run must start, and the statuses of the ones it can skip.

        A run starts at the first stage that is pending (or failed unexpectedly, which is retried);
        every later stage follows it, since its inputs may change. Stages before it, and all stages
        when none has work, are current: a no-change run then starts no task at all.
        """
        statuses = [s for s in self.respondent_statuses(study, respondent_id) if s.stage in stages]
        for index, status in enumerate(statuses):
            if status.status == "pending" or (status.status == "failed" and _crashed(study, status)):
                return [s.stage for s in statuses[index:]], statuses[:index]
        return [], statuses

    def has_work(self, study: Study, ids: Sequence[str], stages: Sequence[str]) -> bool:
        """Whether a run of `stages` for these respondents would do anything: a respondent stage
        pending (or to retry), a report or a whole-study stage whose inputs or outputs changed.
        Decided from disk, so that a run with nothing to do starts no Prefect flow at all."""
        wanted = [name for name in self.respondent_names if name in stages]
        if any(self.work_to_do(study, rid, wanted)[0] for rid in ids):
            return True
        for report in self.reports:
            if not _current(study, report, None, partial(report.inputs, study)):
                return True
        cohort: Cohort | None = None
        for index, stage in enumerate(self.study):
            if stage.name not in stages or (index and not _done(load_manifest(study, self.study_names[index - 1], None))):
                continue  # blocked by the stage before it, as execute_study decides: nothing to run
            cohort = cohort or self.cohort(study)
            if not _current(study, stage, None, partial(stage.inputs, study, cohort)):
                return True
        return False

    def problems(self, study: Study) -> list[str]:
        """One line per input row that no respondent's status can show (bad or unknown ids)."""
        lines = list(read_log(study).row_errors)
        known = set(respondent_ids(study))
        for stage in self.respondent:
            check = getattr(stage, "row_problems", None)
            if check is None:
                continue
            try:
                lines += check(study, known)
            except StudyError as error:
                lines.append(error.message)
        return lines


def _run_or_reuse(
    study: Study,
    stage: Any,
    rid: str | None,
    inputs: Callable[[], dict[str, Any]],
    work: Callable[[], Outcome],
    label: str,
    force: bool,
    included: list[str] | None = None,
) -> Manifest:
    """The one place where work is skipped (same fingerprint, outputs intact) or done and recorded."""
    fp = _safe_fingerprint(study, stage, inputs)
    if isinstance(fp, Outcome):
        return record(study, stage.name, rid, "", fp)
    previous = load_manifest(study, stage.name, rid)
    if not force and previous is not None and _reusable(study, previous, fp):
        return _reused(previous)
    folder = study.catalog.stage_dir(stage.name) if included is not None else None
    with KeptOutputs(study, stage.name, previous if previous and previous.status == "done" else None, folder) as kept:
        outcome = guarded(study, label, work)
        if outcome.status == "failed" and previous is not None and previous.status == "done":
            kept.restore()  # the previous set stays whole; the failed run leaves nothing half-new
    if included is not None:  # status tells who is in the study-wide results
        outcome.meta.setdefault("included", included)
    try:
        return record(study, stage.name, rid, fp, outcome)
    except OSError as error:  # the manifest itself could not be written: report it, unsaved
        problem = storage_problem(error, study.root, study.catalog.out)
        if problem is None:
            raise
        return Manifest(stage.name, rid or STUDY_KEY, "failed", problem.message, "", meta={"unexpected": True})


def _done(manifest: Manifest | None) -> bool:
    return manifest is not None and manifest.status == "done"


def _current(study: Study, stage: Any, rid: str | None, inputs: Callable[[], dict[str, Any]]) -> bool:
    """True when running the stage now would reuse its manifest (what `_run_or_reuse` decides)."""
    fp = _safe_fingerprint(study, stage, inputs)
    previous = load_manifest(study, stage.name, rid)
    return isinstance(fp, str) and previous is not None and _reusable(study, previous, fp)


def _fingerprint(stage: Any, inputs: dict[str, Any]) -> str:
    return fingerprint({"stage": stage.name, "version": stage.version, "inputs": inputs})


def _safe_fingerprint(study: Study, stage: Any, inputs: Callable[[], dict[str, Any]]) -> str | Outcome:
    result = guarded(study, f"{stage.name} inputs", lambda: Outcome("done", _fingerprint(stage, inputs())))
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


def _derive(study: Study, stage: RespondentStage, rid: str, previous: StageStatus | None) -> StageStatus:
    name = stage.name
    if previous is not None and previous.status == "excluded":
        return StageStatus(rid, name, "excluded", previous.detail)
    if previous is not None and previous.status != "done":
        return StageStatus(rid, name, "blocked", f"{previous.stage} is not done ({previous.status})")
    manifest = load_manifest(study, name, rid)
    if manifest is None:
        return StageStatus(rid, name, "pending", "not run yet")
    fp = _safe_fingerprint(study, stage, lambda: stage.inputs(study, rid))
    if isinstance(fp, Outcome):
        return StageStatus(rid, name, "failed", fp.detail)
    if manifest.fingerprint != fp:
        return StageStatus(rid, name, "pending", "inputs changed since the last run")
    # optional: a stage may word its stored detail for today (e.g. "sent 2024-03-20 (12 days ago)")
    live = getattr(stage, "live_detail", None)
    detail = live(study, rid, manifest) if callable(live) else manifest.detail
    return StageStatus(rid, name, manifest.status, detail)


def _derive_study(study: Study, stage: StudyStage, rid: str, cohort: Cohort | None) -> StageStatus:
    manifest = load_manifest(study, stage.name, None)
    if manifest is None:
        return StageStatus(rid, stage.name, "pending", "not run yet; run 'interview-study aggregate'")
    fresh = study.cache.study_fresh
    if stage.name not in fresh:
        assert cohort is not None
        fp = _safe_fingerprint(study, stage, lambda: stage.inputs(study, cohort))
        fresh[stage.name] = isinstance(fp, str) and fp == manifest.fingerprint
    if not fresh[stage.name] or rid not in manifest.meta.get("included", []):
        return StageStatus(rid, stage.name, "pending", "codings changed; run 'interview-study aggregate'")
    return StageStatus(rid, stage.name, manifest.status, manifest.detail)


def _crashed(study: Study, status: StageStatus) -> bool:
    manifest = load_manifest(study, status.stage, status.respondent_id)
    return manifest is None or bool(manifest.meta.get("unexpected"))
