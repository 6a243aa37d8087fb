"""`check`: every problem of the study, one line each, before anything runs; never writes in the
study and never starts Prefect."""

from __future__ import annotations

import typer

from flows.app import StudyOption, app, fail_cleanly
from flows.session import out
from tasks.check import check_study
from tasks.core.study import Study


@app.command()
@fail_cleanly
def check(study_dir: StudyOption = ".") -> None:  # type: ignore[assignment]
    """List every problem of the config, input tables, recordings and codings; exit 1 if there is any."""
    findings = check_study(Study.at(study_dir))
    for line in findings.lines:
        out.print(line, markup=False, highlight=False)
    out.print(findings.summary, markup=False, highlight=False)
    if findings.lines:
        raise typer.Exit(1)
