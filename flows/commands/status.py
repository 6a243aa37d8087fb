"""`status`: every respondent × stage, read from disk; never starts Prefect. Problems of the config
and the input tables come first, on stderr, one line each. A large study shows the counts per stage
and the respondents who need action (overdue reviews first) unless `--all` is given."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.app import StudyOption, app, fail_cleanly
from flows.commands.exchange import check_target
from flows.session import err, out
from tasks.check import input_problems
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.errors import InputError
from tasks.core.ids import check_respondent_id
from tasks.core.stage import StageStatus
from tasks.core.study import Study
from tasks.protocol import STAGES
from tasks.status import (
    FORMATS,
    STATUSES,
    SUMMARY_COLUMNS,
    WHO,
    Selection,
    action,
    matrix,
    needing_action,
    overdue_first,
    overdue_since,
    render,
    render_records,
    study_status,
    summary,
    write_xlsx,
)
from tasks.status import approved as approved_rows

STYLE = {
    "done": "green",
    "waiting": "yellow",
    "pending": "cyan",
    "blocked": "dim",
    "excluded": "magenta",
    "failed": "bold red",
}
LARGE = 40  # respondents; above this the default table shows the summary and who needs action
ACTION_WORDS = {
    "overdue": ("overdue review", "overdue reviews"),
    "failed": ("failed", "failed"),
    "researcher": ("waiting on the researcher", "waiting on the researcher"),
    "respondent": ("waiting on the respondent", "waiting on the respondent"),
}


@app.command()
@fail_cleanly
def status(
    file: Annotated[
        Path | None, typer.Argument(help="The workbook to write, with --format xlsx.", show_default=False)
    ] = None,
    study_dir: StudyOption = ".",  # type: ignore[assignment]
    stage: Annotated[str | None, typer.Option(help=f"Only this stage: {', '.join(STAGES)}.")] = None,
    approved: Annotated[bool, typer.Option("--approved", help="Only respondents with an approved transcript.")] = False,
    statuses: Annotated[
        list[str] | None, typer.Option("--status", help=f"Only rows in this status (repeatable): {', '.join(STATUSES)}.")
    ] = None,
    who: Annotated[str | None, typer.Option("--who", help="Only rows waiting on the researcher or the respondent.")] = None,
    respondents: Annotated[
        list[str] | None, typer.Option("--respondent", help="Only this respondent (repeatable).")
    ] = None,
    counts: Annotated[bool, typer.Option("--summary", help="Counts per stage and who needs action.")] = False,
    every: Annotated[bool, typer.Option("--all", help="Every row, however large the study.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json, or xlsx FILE.")] = "table",
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists (never an input of the study).")] = False,
) -> None:
    """Show where every respondent stands in every stage."""
    _check_arguments(fmt, stage, statuses or [], who, file)
    study = Study.at(study_dir)
    selection = Selection(statuses or (), (who,) if who else (), _known(study, respondents or []))
    if file is not None:
        check_target(study, file, force, "status.xlsx")
    show_problems(study)
    rows = selection.of(approved_rows(study) if approved else study_status(study, stage))
    if file is not None:
        write_xlsx(rows, file)
        out.print(f"wrote {file}: {len(rows)} rows, {len({r.respondent_id for r in rows})} respondents", markup=False, highlight=False)
    elif fmt != "table":
        records = summary(rows) if counts else [row.to_json() for row in rows]
        columns = ("stage", *SUMMARY_COLUMNS) if counts else ("respondent_id", "stage", "status", "detail")
        text = render_records(records, columns, fmt) if counts else render(rows, fmt)
        sys.stdout.write(text if fmt == "csv" else text + "\n")  # as it is: Rich would lay out a large text first
    elif counts or (_large(rows) and not every and not selection and not approved):
        _print_summary(study, rows, collapsed=not counts)
    else:
        _print_table(study, rows, approved, every=bool(selection))


def _check_arguments(fmt: str, stage: str | None, statuses: Sequence[str], who: str | None, file: Path | None) -> None:
    if fmt not in FORMATS:
        raise InputError(f"--format: unknown format {fmt!r}; use table, csv, json or xlsx")
    if stage is not None and stage not in STAGES:
        raise InputError(f"--stage: unknown stage {stage!r}; use one of {', '.join(STAGES)}")
    for value in statuses:
        if value not in STATUSES:
            raise InputError(f"--status: unknown status {value!r}; use one of {', '.join(STATUSES)}")
    if who is not None and who not in WHO:
        raise InputError(f"--who: {who!r} is neither researcher nor respondent")
    if fmt == "xlsx" and file is None:
        raise InputError("--format xlsx: name the workbook to write, e.g. interview-study status --format xlsx status.xlsx")
    if fmt != "xlsx" and file is not None:
        raise InputError(f"{file}: only --format xlsx writes a file; add --format xlsx or leave the file out")


def _known(study: Study, values: Sequence[str]) -> list[str]:
    ids = [check_respondent_id(value, "--respondent") for value in values]
    roster = set(respondent_ids(study)) if ids else set()
    unknown = [rid for rid in ids if rid not in roster]
    if unknown:
        raise InputError(f"--respondent: {unknown[0]} is not in the recruitment log; check the id")
    return ids


def _large(rows: Sequence[StageStatus]) -> bool:
    return len({row.respondent_id for row in rows}) > LARGE


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


def _print_table(study: Study, rows: list[StageStatus], approved: bool, every: bool) -> None:
    """Respondents × stages (overdue reviews first), the counts, and what the others wait for."""
    rows = overdue_first(rows)
    stages, grid = matrix(rows)
    table = Table(title=study.config.study.title if not approved else "Approved transcripts")
    table.add_column("respondent")
    for name in stages:
        table.add_column(name)
    for rid, cells in grid.items():
        table.add_row(rid, *(_cell(cells[name].status) if name in cells else "" for name in stages))
    out.print(table)
    _print_details(rows, every=every or len(stages) == 1)


def _print_summary(study: Study, rows: list[StageStatus], collapsed: bool) -> None:
    """Counts per stage, then each respondent who needs action, one line each, overdue first."""
    people = len({row.respondent_id for row in rows})
    table = Table(title=f"{study.config.study.title}: {people} respondent{'s' if people != 1 else ''}")
    table.add_column("stage")
    for name in SUMMARY_COLUMNS:
        table.add_column(name, justify="right")
    for record in summary(rows):
        table.add_row(record["stage"], *(_count(record[name]) for name in SUMMARY_COLUMNS))
    out.print(table)
    acting = needing_action(rows)
    kinds = Counter(action(row) for row in acting)
    parts = [f"{kinds[kind]} {ACTION_WORDS[kind][kinds[kind] != 1]}" for kind in ACTION_WORDS if kinds[kind]]
    if not acting:
        out.print("Needs action: nobody", highlight=False)
    else:
        out.print(f"Needs action: {len(acting)} of {people} ({', '.join(parts)})", highlight=False)
    for row in acting:
        _print_row(row)
    if collapsed:
        out.print(f"Shown: the counts and who needs action; all {people} respondents, every stage: interview-study status --all", highlight=False)


def _cell(value: str) -> str:
    return f"[{STYLE[value]}]{value}[/]"


def _count(value: int) -> str:
    return str(value) if value else "[dim]0[/]"


def _print_row(row: StageStatus) -> None:
    state = f"{row.status} (overdue)" if overdue_since(row) else row.status
    out.print(f"  {row.respondent_id} {row.stage}: {state}: {row.detail}", markup=False, highlight=False)


def _print_details(rows: list[StageStatus], every: bool) -> None:
    """Under the table: what each non-done cell is waiting for, first problem per respondent
    (every row's detail when one stage or a selection is shown)."""
    counts: Counter[str] = Counter(row.status for row in rows)
    out.print(", ".join(f"{counts[s]} {s}" for s in STYLE if counts[s]), highlight=False)
    shown: set[str] = set()
    for row in rows:
        interesting = every or row.status in ("failed", "waiting", "excluded", "pending")
        if not interesting or (row.respondent_id in shown and not every) or not row.detail:
            continue
        shown.add(row.respondent_id)
        _print_row(row)
