"""Scheduling: the study pipeline as a Prefect deployment on a cron schedule, plus an aggregation one.

Deployments keep their parameters in Prefect's database, so they hold only the study folder's
path. The served flows take the study's lock, like `interview-study run` does, so a scheduled run,
a run triggered from the UI and a run from the command line never interleave.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from prefect import flow

from flows.session import open_and_check
from flows.study import Results, aggregate_pipeline, study_pipeline
from tasks.core.errors import ConfigError, InputError
from tasks.core.lock import study_lock

if TYPE_CHECKING:
    from prefect import State
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.deployments.runner import RunnerDeployment

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LOCK_WAIT = 3600.0
SERVER_HINT = (
    "start one with 'PREFECT_HOME=<study>/.prefect PREFECT_SERVER_ANALYTICS_ENABLED=false prefect server start' "
    "and set PREFECT_API_URL=http://127.0.0.1:4200/api"
)


@flow(name="interview-study", flow_run_name="study-run", persist_result=False, validate_parameters=True)
def scheduled_pipeline(
    study_dir: str, until: str = "aggregation", force: bool = False, wait: float = LOCK_WAIT
) -> Results | State[Results]:
    """The study pipeline under the study's lock, as the schedule or the Prefect UI starts it (Failed
    when a respondent failed or input was rejected, so that Prefect's notifications fire)."""
    study = _open(study_dir)
    with study_lock(study, wait):
        return study_pipeline.fn(str(study.root), None, until, force)


@flow(
    name="interview-study-aggregate",
    flow_run_name="aggregate",
    persist_result=False,
    validate_parameters=True,
)
def scheduled_aggregate(study_dir: str, force: bool = False, wait: float = LOCK_WAIT) -> Results | State[Results]:
    """Axial coding, selective coding and aggregation under the study's lock, started from Prefect."""
    study = _open(study_dir)
    with study_lock(study, wait):
        return aggregate_pipeline.fn(str(study.root), force)


def _open(study_dir: str) -> Any:
    return open_and_check(Path(study_dir))


def check_cron(expression: str, timezone: str) -> CronSchedule:
    """The schedule, or a one-line error for a bad cron expression or time zone."""
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=expression, timezone="UTC")
    except ValidationError:
        raise InputError(
            f"--cron: {expression!r} is not a cron expression; "
            "use five fields: minute hour day month weekday, e.g. '0 7 * * 1-5' (07:00 on weekdays)"
        ) from None
    try:
        return CronSchedule(cron=expression, timezone=timezone)
    except ValidationError:
        raise InputError(
            f"--timezone: {timezone!r} is not a time zone; use a name like Europe/Amsterdam or UTC"
        ) from None


def check_name(name: str, option: str = "--name") -> str:
    """A deployment or work pool name that is safe in a command line and a URL."""
    if not NAME.match(name):
        raise InputError(
            f"{option}: {name!r} is not a usable name; use letters, digits, '.', '_' and '-' (at most 64)"
        )
    return name


def default_name(study_root: Path) -> str:
    """The study folder's name, made safe for a deployment name."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", study_root.name).strip("-._")[:64]
    return cleaned or "study"


def require_server() -> str:
    """The API URL of a running Prefect server; the temporary server cannot keep a schedule."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise ConfigError(
            f"PREFECT_API_URL is not set: schedules and work pools need a running Prefect server; {SERVER_HINT}"
        )
    with get_client(sync_client=True) as client:
        failure = client.api_healthcheck()
    if failure is not None:
        raise ConfigError(f"PREFECT_API_URL={url}: no Prefect server answers there; {SERVER_HINT}")
    return str(url)


def build_deployments(study_root: Path, name: str, schedule: CronSchedule) -> list[RunnerDeployment]:
    """The scheduled study pipeline and the unscheduled aggregation, for one study folder."""
    from prefect.types.entrypoint import EntrypointType

    parameters = {"study_dir": str(study_root)}
    common: dict[str, Any] = {
        "parameters": parameters,
        "tags": ["interview-study"],
        "entrypoint_type": EntrypointType.MODULE_PATH,
    }
    return [
        cast("RunnerDeployment", scheduled_pipeline.to_deployment(name, schedules=[schedule], **common)),
        cast("RunnerDeployment", scheduled_aggregate.to_deployment(name, **common)),
    ]


def serve_study(deployments: list[RunnerDeployment]) -> None:
    """Register the deployments and run their flow runs here, one at a time, until interrupted."""
    from prefect import serve

    serve(*deployments, limit=1, print_starting_message=False)
