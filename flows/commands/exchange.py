"""`export qdpx|qdc FILE` and `import qdpx FILE`: REFI-QDA exchange with ATLAS.ti, MAXQDA, NVivo, QualCoder."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Annotated

import typer

from flows.app import StudyOption, app, fail_cleanly
from flows.session import err, out
from tasks.core.config import input_of
from tasks.core.errors import InputError
from tasks.core.study import Study

export_app = typer.Typer(help="Export the study for other qualitative-analysis tools (REFI-QDA).", no_args_is_help=True)
import_app = typer.Typer(help="Import codings made in another qualitative-analysis tool (REFI-QDA).", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

FileArgument = Annotated[Path, typer.Argument(help="The file to write or read.", show_default=False)]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace FILE if it exists (never an input of the study).")
]


def check_target(study: Study, file: Path, force: bool, example: str) -> None:
    """Refuse to write an export over an input of the study, the pipeline's records, a folder,
    or (without --force) an existing file. Checked before any work; messages show FILE as typed."""
    relative = _within(study.root, file)
    if relative is not None:
        if input_of(relative) is not None:
            raise InputError(f"{file}: is an input of the study; write the export elsewhere")
        for state in (PurePath(".state"), PurePath(study.config.study.output_dir, ".state")):
            if _folded(relative)[: len(state.parts)] == _folded(state):
                raise InputError(
                    f"{file}: lies inside {state.as_posix()}, the pipeline's records; write the export elsewhere"
                )
    if file.is_dir():
        raise InputError(f"{file}: is a folder; name a file such as {example}")
    if (file.exists() or file.is_symlink()) and not force:
        raise InputError(f"{file}: exists; pass --force to replace it")


def _within(root: Path, file: Path) -> PurePath | None:
    """`file` relative to the study folder, or None outside it; resolved, so no link or `..` hides
    an input, and compared by identity, so a study folder typed in another case is still found."""
    target = file.resolve()
    for folder in (target, *target.parents):
        if folder == root or (folder.exists() and os.path.samefile(folder, root)):
            return target.relative_to(folder)
    return None


def _folded(path: PurePath) -> tuple[str, ...]:
    return tuple(part.casefold() for part in path.parts)


@export_app.command("qdpx")
@fail_cleanly
def export_qdpx(file: FileArgument, study_dir: StudyOption = Path("."), force: ForceOption = False) -> None:
    """Write approved transcripts, codebook, codings and cases as a REFI-QDA project (.qdpx)."""
    from tasks.exchange.qdpx_export import export_qdpx as export  # lxml, pandas: only for this command

    study = Study.at(study_dir)
    check_target(study, file, force, "study.qdpx")
    summary = export(study, file)
    out.print(f"wrote {file}: {summary.line()}", markup=False, highlight=False)


@export_app.command("qdc")
@fail_cleanly
def export_qdc(file: FileArgument, study_dir: StudyOption = Path("."), force: ForceOption = False) -> None:
    """Write the codebook as a REFI-QDA codebook (.qdc)."""
    from tasks.exchange.qdc_export import export_qdc as export  # lxml: only for this command

    study = Study.at(study_dir)
    check_target(study, file, force, "codebook.qdc")
    codes = export(study, file)
    out.print(f"wrote {file}: {codes} codes", markup=False, highlight=False)


@import_app.command("qdpx")
@fail_cleanly
def import_qdpx(
    file: FileArgument,
    study_dir: StudyOption = Path("."),
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite codings/<id>.csv files that differ from the import.")
    ] = False,
    coder: Annotated[str, typer.Option(help="Coder for codings that name no user.")] = "unknown",
) -> None:
    """Read codings from a REFI-QDA project (.qdpx) into codings/<id>.csv; exits 1, writing nothing, on a problem."""
    from tasks.exchange.qdpx_import import import_qdpx as read  # lxml, pandas: only for this command

    study = Study.at(study_dir)
    report = read(study, file, replace=replace, coder=coder)
    for problem in report.problems:
        err.print(f"error: {problem}", markup=False, highlight=False)
    for line in report.lines(study):
        out.print(line, markup=False, highlight=False)
    if report.problems:
        raise typer.Exit(1)
    out.print("next: interview-study run (or aggregate) to use the imported codings", highlight=False)
