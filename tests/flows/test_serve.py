"""Scheduling: cron and name checks, the refusal without a server, the deployments as Prefect stores them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.serve import build_deployments, check_cron, check_name, default_name
from tasks.core.errors import InputError
from tasks.core.study import Study

HINT = (
    "start one with 'PREFECT_HOME=<study>/.prefect PREFECT_SERVER_ANALYTICS_ENABLED=false prefect server start' "
    "and set PREFECT_API_URL=http://127.0.0.1:4200/api"
)


def test_cron_is_checked() -> None:
    schedule = check_cron("0 7 * * 1-5", "Europe/Amsterdam")
    assert (schedule.cron, schedule.timezone) == ("0 7 * * 1-5", "Europe/Amsterdam")
    with pytest.raises(InputError) as error:
        check_cron("every morning", "UTC")
    assert error.value.message == (
        "--cron: 'every morning' is not a cron expression; "
        "use five fields: minute hour day month weekday, e.g. '0 7 * * 1-5' (07:00 on weekdays)"
    )
    with pytest.raises(InputError, match=r"^--cron: '61 7 \* \* \*' is not a cron expression"):
        check_cron("61 7 * * *", "UTC")
    with pytest.raises(InputError) as error:
        check_cron("0 7 * * *", "Mars/Olympus")
    assert (
        error.value.message
        == "--timezone: 'Mars/Olympus' is not a time zone; use a name like Europe/Amsterdam or UTC"
    )


def test_deployment_names() -> None:
    assert check_name("pilot-2024") == "pilot-2024"
    assert default_name(Path("/data/Gemeente studie 2024")) == "Gemeente-studie-2024"
    assert default_name(Path("/data/___")) == "study"
    with pytest.raises(InputError) as error:
        check_name("a/b")
    assert (
        error.value.message
        == "--name: 'a/b' is not a usable name; use letters, digits, '.', '_' and '-' (at most 64)"
    )


def _serve(study: Path, api_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    command = [
        sys.executable,
        "-c",
        "from flows.cli import main; main()",
        "serve",
        "--cron",
        "0 7 * * *",
        "--study",
        str(study),
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_serve_refuses_without_a_server(small_study: Study) -> None:
    result = _serve(small_study.root, None)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: PREFECT_API_URL is not set: schedules and work pools need a running Prefect server; {HINT}\n"
    )
    result = _serve(small_study.root, "http://127.0.0.1:9/api")
    assert result.returncode == 1
    assert (
        result.stderr
        == "error: cannot reach the Prefect server at http://127.0.0.1:9/api; start it with 'prefect server start' "
        "or unset PREFECT_API_URL to use a temporary one\n"
    )


def test_deployments_carry_schedule_and_path_only(small_study: Study) -> None:
    study, aggregate = build_deployments(
        small_study.root, "pilot", check_cron("30 6 * * 1", "Europe/Amsterdam")
    )
    assert (study.full_name, aggregate.full_name) == (
        "interview-study/pilot",
        "interview-study-aggregate/pilot",
    )
    assert [(s.schedule.cron, s.schedule.timezone) for s in study.schedules or []] == [
        ("30 6 * * 1", "Europe/Amsterdam")
    ]  # type: ignore[union-attr]
    assert aggregate.schedules == []
    assert study.parameters == aggregate.parameters == {"study_dir": str(small_study.root)}
    assert (study.entrypoint, aggregate.entrypoint) == (
        "flows.serve.scheduled_pipeline",
        "flows.serve.scheduled_aggregate",
    )


@pytest.mark.usefixtures("prefect_harness")
def test_deployments_as_the_api_stores_them(small_study: Study) -> None:
    from prefect.client.orchestration import get_client

    for deployment in build_deployments(
        small_study.root, "pilot", check_cron("30 6 * * 1", "Europe/Amsterdam")
    ):
        deployment.apply()
    with get_client(sync_client=True) as client:
        study = client.read_deployment_by_name("interview-study/pilot")
        aggregate = client.read_deployment_by_name("interview-study-aggregate/pilot")
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in study.schedules] == [  # type: ignore[union-attr]
        ("30 6 * * 1", "Europe/Amsterdam", True)
    ]
    assert aggregate.schedules == []
    assert study.parameters == aggregate.parameters == {"study_dir": str(small_study.root)}
    assert sorted(study.parameter_openapi_schema["properties"]) == ["force", "study_dir", "until", "wait"]
    assert sorted(aggregate.parameter_openapi_schema["properties"]) == ["force", "study_dir", "wait"]
    assert study.tags == aggregate.tags == ["interview-study"]


@pytest.mark.usefixtures("prefect_harness")
def test_served_flows_run_under_the_lock(small_study: Study) -> None:
    from flows.serve import scheduled_aggregate, scheduled_pipeline
    from flows.study import without_heartbeat

    with without_heartbeat():
        results = scheduled_pipeline(str(small_study.root), until="consent")
        aggregated = scheduled_aggregate(str(small_study.root))
    assert [(r["stage"], r["respondent_id"], r["status"]) for r in results if r["stage"] == "consent"] == [
        ("consent", "R01", "done"),
        ("consent", "R02", "excluded"),
        ("consent", "R03", "waiting"),
        ("consent", "_study", "done"),
    ]
    assert [r["stage"] for r in aggregated] == ["axial_coding", "selective_coding", "aggregation"]
    assert (small_study.root / "out" / ".state" / "run.lock").exists()
