"""`status`: every respondent × stage, read from disk; never starts Prefect. Problems of the config
and the input tables come first, on stderr, one line each."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer
from rich.table import Table

from flows.app import StudyOption, app, fail_cleanly
from flows.session import err, out
from tasks.check import input_problems
from tasks.core.errors import InputError
from tasks.core.study import Study
from tasks.protocol import STAGES
from tasks.status import FORMATS, matrix, render, study_status
from tasks.status import approved as approved_rows

STYLE = {
    "done": "green",
    "waiting": "yellow",
    "pending": "cyan",
    "blocked": "dim",
    "excluded": "magenta",
    "failed": "bold red",
}


@app.command()
@fail_cleanly
def status(
    study_dir: StudyOption = ".",  # type: ignore[assignment]
    stage: Annotated[str | None, typer.Option(help=f"Only this stage: {', '.join(STAGES)}.")] = None,
    approved: Annotated[bool, typer.Option("--approved", help="Only respondents with an approved transcript.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Show where every respondent stands in every stage."""
    if fmt not in FORMATS:
        raise InputError(f"--format: unknown format {fmt!r}; use table, csv or json")
    if stage is not None and stage not in STAGES:
        raise InputError(f"--stage: unknown stage {stage!r}; use one of {', '.join(STAGES)}")
    study = Study.at(study_dir)
    show_problems(study)
    rows = approved_rows(study) if approved else study_status(study, stage)
    if fmt != "table":
        out.print(render(rows, fmt), end="" if fmt == "csv" else "\n", markup=False, highlight=False)
        return
    stages, grid = matrix(rows)
    table = Table(title=study.config.study.title if not approved else "Approved transcripts")
    table.add_column("respondent")
    for name in stages:
        table.add_column(name)
    for rid, cells in grid.items():
        table.add_row(rid, *(_cell(cells[name].status) for name in stages if name in cells))
    out.print(table)
    _print_details(rows, single=len(stages) == 1)


def show_problems(study: Study) -> None:
    """Every problem of the config and the input tables, one line each; an unusable study.yaml
    (nothing can be shown without it) ends the command with its own line."""
    lines = input_problems(study)
    unusable = next((line for line in lines if line.startswith("config/study.yaml")), None)
    for line in lines:
        if line != unusable:
            err.print(f"problem: {line}", markup=False, highlight=False)
    if unusable is not None:
        raise InputError(unusable)


def _cell(value: str) -> str:
    return f"[{STYLE[value]}]{value}[/]"


def _print_details(rows: list, single: bool) -> None:  # type: ignore[type-arg]
    """Under the table: what each non-done cell is waiting for, first problem per respondent."""
    counts = Counter(row.status for row in rows)
    out.print(", ".join(f"{counts[s]} {s}" for s in STYLE if counts[s]), highlight=False)
    shown: set[str] = set()
    for row in rows:
        interesting = single or row.status in ("failed", "waiting", "excluded", "pending")
        if not interesting or row.respondent_id in shown or not row.detail:
            continue
        shown.add(row.respondent_id)
        out.print(f"  {row.respondent_id} {row.stage}: {row.status}: {row.detail}", markup=False, highlight=False)
