"""The study flows: they read like the study protocol and hold no logic of their own."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, cast

from prefect import State, flow
from prefect.context import SettingsContext
from prefect.futures import wait
from prefect.states import Failed

from flows.artifacts import publish_artifacts
from flows.stages import (
    open_study,
    plan,
    refresh_open_coding,
    respondent_stage,
    save_hashes,
    settle,
    stage_report,
    study_stage,
)
from tasks.check import run_verdict
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.files import sweep_temporaries
from tasks.protocol import PROTOCOL

Results = list[dict[str, Any]]


@flow(name="interview-study", flow_run_name="study-run", persist_result=False, validate_parameters=True)
def study_pipeline(
    study_dir: str,
    respondents: list[str] | None = None,
    until: str = "aggregation",
    force: bool = False,
) -> Results | State[Results]:
    """Move every respondent of the study through the stages; one respondent's failure stops no other."""
    study = open_study(study_dir, fresh=True)
    sweep_temporaries(study.catalog.out)  # what a killed run left half-written is never mistaken for output
    ids = respondents or respondent_ids(study)
    stages = PROTOCOL.until(until)
    plans = [plan(study_dir, rid, stages, force) for rid in ids]
    chains = [_respondent_chain(study_dir, rid, to_run, force) for rid, (to_run, _) in zip(ids, plans)]
    reports = [stage_report.submit(study_dir, report.name, force) for report in PROTOCOL.reports]
    wait([future for chain in chains for future in chain] + reports)
    results = [summary for _, skipped in plans for summary in skipped]
    results += [future.result() for chain in chains for future in chain]
    results += [future.result() for future in reports]
    settle(study_dir)  # the study stages see what the respondent stages wrote
    results += _study_stages(study_dir, [s for s in stages if s in PROTOCOL.study_names], force)
    save_hashes(study_dir)
    publish_artifacts(study_dir, results)
    return finished(study_dir, results)


@flow(name="interview-study-aggregate", flow_run_name="aggregate", persist_result=False)
def aggregate_pipeline(study_dir: str, force: bool = False) -> Results | State[Results]:
    """Rerun axial coding, selective coding and aggregation from the current codings only."""
    open_study(study_dir, fresh=True)
    refreshed = refresh_open_coding(study_dir)
    results = [r for r in refreshed if r["ran"] or r["status"] == "failed"]  # recoded or still failing
    settle(study_dir)
    results += _study_stages(study_dir, list(PROTOCOL.study_names), force)
    save_hashes(study_dir)
    publish_artifacts(study_dir, results)
    return finished(study_dir, results)


class RunProblems(Exception):
    """A run that did all it could and left problems (a respondent failed, input was rejected). It
    carries the run's results; its message holds counts and ids only."""

    def __init__(self, message: str, results: Results) -> None:
        super().__init__(message)
        self.results = results


def finished(study_dir: str, results: Results) -> Results | State[Results]:
    """The results, or a Failed state when a respondent failed or input was rejected, so that Prefect
    notifies; its message holds counts and ids only (the command prints each problem in full)."""
    verdict = run_verdict(open_study(study_dir), results)
    if verdict.clean:
        return results
    return Failed(message=verdict.message, data=RunProblems(verdict.message, results))


def results_of(state: State[Any]) -> Results:
    """The results of a finished flow run, also of one that ended Failed for its problems; an
    exception that stopped the flow is raised again."""
    data = state.result(raise_on_failure=False)
    if isinstance(data, RunProblems):
        return data.results
    if isinstance(data, BaseException):
        raise data
    return cast(Results, data)


def _respondent_chain(study_dir: str, rid: str, stages: list[str], force: bool) -> list[Any]:
    futures: list[Any] = []
    for stage in stages:
        futures.append(respondent_stage.submit(study_dir, stage, rid, force, wait_for=futures[-1:]))  # type: ignore[call-overload]
    return futures


def _study_stages(study_dir: str, stages: list[str], force: bool) -> list[dict[str, Any]]:
    return [study_stage(study_dir, stage, force) for stage in stages]


@contextlib.contextmanager
def without_heartbeat() -> Iterator[None]:
    """Prefect's per-flow heartbeat thread costs ~1 s per flow call; runs here are short and local."""
    context = SettingsContext.get()
    assert context is not None
    settings = context.settings
    quiet = settings.model_copy(update={"flows": settings.flows.model_copy(update={"heartbeat_frequency": None})})
    with SettingsContext(profile=context.profile, settings=quiet):
        yield
