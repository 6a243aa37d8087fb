"""Scale-out: each respondent's stages as a flow run on a Prefect work pool, the study stages here.

Workers (`prefect worker start --pool NAME --type process`) may run on any machine that reaches
the Prefect server and sees the study folder at the same path. Flow runs return nothing through
Prefect: what each respondent's run did is read back from the manifests it left in the study
folder, like `status` does, so no result storage has to be shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from prefect import State, flow
from prefect.deployments import run_deployment

from flows.artifacts import publish_artifacts
from flows.respondent import respondent_pipeline, stages_until
from flows.serve import check_name, require_server
from flows.session import out
from flows.settings import FORCED
from flows.stages import open_study, save_hashes, settle, stage_report, study_stage
from flows.study import Results, finished, results_of
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.errors import InputError
from tasks.core.manifest import load_manifest, manifest_path
from tasks.core.study import Study
from tasks.protocol import PROTOCOL, STAGES, STUDY_STAGES

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments.runner import RunnerDeployment

POLL_SECONDS = 1.0
DEFAULT_IN_FLIGHT = 4  # flow runs in flight when no worker is online yet (else one per online worker)
RETRIES = 5
BACKOFF_SECONDS = 0.5
T = TypeVar("T")
Stamp = tuple[int, int] | None


@flow(
    name="interview-study", flow_run_name="study-run-on-pool", persist_result=False, validate_parameters=True
)
def pooled_pipeline(
    study_dir: str,
    deployment: str,
    respondents: list[str] | None = None,
    until: str = "aggregation",
    force: bool = False,
    max_in_flight: int = DEFAULT_IN_FLIGHT,
) -> Results | State[Results]:
    """The study pipeline with the stages of every respondent that has work as a flow run on a work
    pool (at most `max_in_flight` at a time); then the study stages."""
    study = open_study(study_dir, fresh=True)
    ids = respondents or respondent_ids(study)
    stages = stages_until(until)
    before = stamps(study, ids, stages)
    pending = with_work(study, ids, stages, force)
    reports = [stage_report.submit(study_dir, report.name, force) for report in PROTOCOL.reports]
    unfinished = dispatch(deployment, study_dir, pending, until, force, max_in_flight)
    settle(study_dir)  # the workers wrote on disk; read it anew
    results = respondent_results(open_study(study_dir), ids, stages, before, unfinished)
    results += [future.result() for future in reports]
    results += [
        study_stage(study_dir, stage, force)
        for stage in STUDY_STAGES
        if STAGES.index(stage) <= STAGES.index(until)
    ]
    save_hashes(study_dir)
    publish_artifacts(study_dir, results)
    return finished(study_dir, results)


def run_on_pool(
    study_dir: str, work_pool: str, ids: list[str] | None, until: str, force: bool, max_in_flight: int | None = None
) -> list[dict[str, Any]]:
    """Check the server, deploy the respondent flow on the pool, run the study with it."""
    require_server()
    deployment, online = deploy_respondents(check_name(work_pool, "--work-pool"))
    if not online:
        out.print(
            f"no worker is online for pool {work_pool} yet; start one: prefect worker start --pool {work_pool} --type process",
            highlight=False,
        )
    cap = max_in_flight or online or DEFAULT_IN_FLIGHT
    return results_of(pooled_pipeline(study_dir, deployment, ids, until, force, cap, return_state=True))


def with_work(study: Study, ids: list[str], stages: tuple[str, ...], force: bool) -> list[str]:
    """The respondents whose per-respondent stages have work, decided from disk as a local run
    decides: a run with two new recordings in a study of 300 submits two flow runs."""
    if force:
        return list(ids)
    return [rid for rid in ids if PROTOCOL.work_to_do(study, rid, stages)[0]]


def dispatch(deployment: str, study_dir: str, ids: list[str], until: str, force: bool, cap: int) -> dict[str, str]:
    """Submit one flow run per respondent, keeping at most `cap` in flight, and wait for them all;
    returns the respondents whose run did not complete.

    Interrupted (Ctrl+C), it cancels the runs not yet ended (and submits no more), so that none
    starts later outside the study's lock.
    """
    return _follow({}, list(ids), lambda rid: _submit_one(deployment, study_dir, rid, until, force), cap)


def submit(deployment: str, study_dir: str, ids: list[str], until: str, force: bool) -> dict[str, UUID]:
    """One flow run per respondent on the pool; returns at once (the workers pick them up)."""
    return {rid: _submit_one(deployment, study_dir, rid, until, force) for rid in ids}


def wait_for(runs: dict[str, UUID]) -> dict[str, str]:
    """Wait until these flow runs have ended (cancelling the rest when interrupted)."""
    return _follow(dict(runs), [], runs.__getitem__, len(runs))


def _follow(waiting: dict[str, UUID], queue: list[str], start: Callable[[str], UUID], cap: int) -> dict[str, str]:
    """Start queued respondents' runs while fewer than `cap` are in flight, until all have ended."""
    from prefect.client.orchestration import get_client

    unfinished: dict[str, str] = {}
    with get_client(sync_client=True) as client:
        try:
            while queue or waiting:
                while queue and len(waiting) < max(cap, 1):
                    rid = queue.pop(0)
                    waiting[rid] = start(rid)
                _pause()
                _retrying(lambda: _collect(client, waiting, unfinished), "reading the flow runs' states")
        except BaseException:
            _cancel(client, list(waiting.values()))
            raise
    return unfinished


def _submit_one(deployment: str, study_dir: str, rid: str, until: str, force: bool) -> UUID:
    parameters = {"study_dir": study_dir, "respondent_id": rid, "until": until, "force": force}

    def call() -> UUID:
        flow_run = run_deployment(deployment, parameters=parameters, timeout=0, flow_run_name=f"respondent-{rid}")
        return cast("FlowRun", flow_run).id

    return _retrying(call, f"submitting {rid}'s flow run")


def _retrying(call: Callable[[], T], doing: str) -> T:
    """`call()`, tried again with backoff when the Prefect API answers 429/5xx or drops the connection."""
    import httpx

    for attempt in range(RETRIES):
        try:
            return call()
        except httpx.HTTPStatusError as error:
            code = error.response.status_code
            if code != 429 and code < 500:
                raise
            last = f"answered {code}"
        except httpx.TransportError as error:
            last = f"dropped the connection ({type(error).__name__})"
        _backoff(BACKOFF_SECONDS * 2**attempt)
    raise InputError(f"the Prefect server {last} {RETRIES} times while {doing}; check the server and run again")


def _backoff(seconds: float) -> None:
    time.sleep(seconds)


def _pause() -> None:
    time.sleep(POLL_SECONDS)


def _collect(client: Any, waiting: dict[str, UUID], unfinished: dict[str, str]) -> None:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    found = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(waiting.values())))
    )
    states = {flow_run.id: flow_run.state for flow_run in found}
    for rid, run_id in list(waiting.items()):
        state = states.get(run_id)
        if state is not None and state.is_final():
            del waiting[rid]
            if not state.is_completed():
                unfinished[rid] = state.type.value


def _cancel(client: Any, run_ids: list[UUID]) -> None:
    """Runs not started yet are cancelled at once; running ones are stopped by their worker."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.states import Cancelled, Cancelling

    message = "interview-study run was interrupted"
    for flow_run in client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=run_ids))):
        running = flow_run.state is not None and flow_run.state.is_running()
        client.set_flow_run_state(
            flow_run.id, Cancelling(message=message) if running else Cancelled(message=message)
        )


def stamps(study: Study, ids: list[str], stages: tuple[str, ...]) -> dict[tuple[str, str], Stamp]:
    """Which manifest files exist, and which version of each (a rewrite changes inode or mtime)."""
    return {(rid, stage): _stamp(manifest_path(study, stage, rid)) for rid in ids for stage in stages}


def _stamp(path: Path) -> Stamp:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_mtime_ns)


def respondent_results(
    study: Study,
    ids: list[str],
    stages: tuple[str, ...],
    before: dict[tuple[str, str], Stamp],
    unfinished: dict[str, str],
) -> list[dict[str, Any]]:
    """The summaries the flow runs would have returned, read from the manifests they wrote."""
    results = []
    for rid in ids:
        derived = {row.stage: row.status for row in PROTOCOL.respondent_statuses(study, rid, until=stages[-1])}
        for stage in stages:
            manifest = load_manifest(study, stage, rid)
            ran = _stamp(manifest_path(study, stage, rid)) != before[(rid, stage)]
            status = derived[stage]
            if rid in unfinished and not ran and status == "pending":
                status = "failed"  # its flow run crashed or was cancelled before this stage
            reused = not ran and manifest is not None and manifest.status == status
            counts = manifest.counts if manifest is not None else {}
            results.append(
                {
                    "stage": stage,
                    "respondent_id": rid,
                    "status": status,
                    "ran": ran,
                    "reused": reused,
                    "counts": counts,
                }
            )
    return results


def deploy_respondents(work_pool: str) -> tuple[str, int]:
    """Register the per-respondent flow on the pool (created if missing); returns its name and online workers."""
    from prefect.types.entrypoint import EntrypointType

    online = _ensure_pool(work_pool)
    deployment = cast(
        "RunnerDeployment",
        respondent_pipeline.to_deployment(
            work_pool,
            work_pool_name=work_pool,
            entrypoint_type=EntrypointType.MODULE_PATH,
            job_variables={"env": worker_environment()},
            tags=["interview-study"],
        ),
    )
    deployment.apply()
    return deployment.full_name, online


def worker_environment() -> dict[str, str]:
    """The privacy settings, enforced in every flow run a worker starts, whatever its own settings."""
    return {**FORCED, "PREFECT_LOGGING_LEVEL": "WARNING"}


def _ensure_pool(work_pool: str) -> int:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.client.schemas.filters import WorkerFilter, WorkerFilterStatus
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(work_pool)
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            client.create_work_pool(
                WorkPoolCreate(name=work_pool, type="process", base_job_template=template)
            )
        online = WorkerFilter(status=WorkerFilterStatus(any_=["ONLINE"]))
        return len(client.read_workers_for_work_pool(work_pool, worker_filter=online))
