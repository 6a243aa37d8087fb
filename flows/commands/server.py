"""`server start|stop|status`: the study's own Prefect server in the background, so that commands
connect at once instead of starting a temporary server each time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows import server as background
from flows.app import StudyOption, app, fail_cleanly
from flows.session import err, open_and_check, out
from flows.settings import running

server_app = typer.Typer(
    help="Keep the study's own Prefect server and warm runner in the background (faster run and aggregate, run history).",
    no_args_is_help=True,
)
app.add_typer(server_app, name="server")


@server_app.command("start")
@fail_cleanly
def start(
    study_dir: StudyOption = ".",  # type: ignore[assignment]
    idle_minutes: Annotated[
        float, typer.Option("--idle-minutes", help="Stop the server after this long without a command.")
    ] = 30.0,
) -> None:
    """Start the study's Prefect server and its warm runner (or say where they run)."""
    study = open_and_check(study_dir)
    with err.status("starting the study's Prefect server and its warm runner (up to a minute) ..."):
        server, started = background.start(study.root, idle_minutes)
    verb = "started" if started else "already running"
    out.print(f"Prefect server {verb} at {server.url} (stops after {server.idle_minutes:g} idle minutes)", highlight=False)
    out.print(_runner_line(study.root), highlight=False)


def _runner_line(study_root: Path) -> str:
    if background.runner_up(study_root):
        return "run and aggregate are handed to its warm runner (Prefect and the stages already loaded)"
    return "its warm runner is not up (yet): run and aggregate start in their own process"


@server_app.command("stop")
@fail_cleanly
def stop(study_dir: StudyOption = ".") -> None:  # type: ignore[assignment]
    """Stop the study's Prefect server and its warm runner."""
    study = open_and_check(study_dir)
    out.print("Prefect server stopped" if background.stop(study.root) else "no Prefect server was running", highlight=False)


@server_app.command("status")
@fail_cleanly
def status(study_dir: StudyOption = ".") -> None:  # type: ignore[assignment]
    """Say whether the study's Prefect server runs, and where."""
    study = open_and_check(study_dir)
    server = running(study.root)
    out.print(f"Prefect server running at {server.url}" if server else "no Prefect server running", highlight=False)
    if server:
        out.print(_runner_line(study.root), highlight=False)
