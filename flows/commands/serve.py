"""`serve`: keep the pipeline scheduled as a Prefect deployment (needs a running Prefect server)."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.app import StudyOption, app, fail_cleanly
from flows.session import open_and_check, out


@app.command()
@fail_cleanly
def serve(
    cron: Annotated[str, typer.Option("--cron", help="When to run, as cron: minute hour day month weekday.")],
    study_dir: StudyOption = ".",  # type: ignore[assignment]
    name: Annotated[
        str | None,
        typer.Option(help="Deployment name (default: the study folder's name).", show_default=False),
    ] = None,
    timezone: Annotated[
        str, typer.Option(help="Time zone of the cron expression, e.g. Europe/Amsterdam.")
    ] = "UTC",
) -> None:
    """Run the pipeline on a schedule, and serve on-demand runs and aggregations, until stopped."""
    from flows.settings import configure  # Prefect settings: only for this command

    study = open_and_check(study_dir)
    configure(study.root)
    from flows import serve as serving  # Prefect: only for this command

    schedule = serving.check_cron(cron, timezone)
    deployment_name = serving.check_name(name or serving.default_name(study.root))
    url = serving.require_server()
    deployments = serving.build_deployments(study.root, deployment_name, schedule)
    out.print(
        f"serving {deployments[0].full_name} ({cron}, {timezone}) and {deployments[1].full_name} on {url}",
        highlight=False,
    )
    out.print(
        f"extra run: prefect deployment run '{deployments[0].full_name}'; "
        f"aggregation: prefect deployment run '{deployments[1].full_name}'; stop with Ctrl+C",
        highlight=False,
    )
    serving.serve_study(deployments)
