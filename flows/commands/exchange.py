"""`export qdpx|qdc FILE` and `import qdpx FILE`: REFI-QDA exchange with ATLAS.ti, MAXQDA, NVivo, QualCoder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli import StudyOption, app, fail_cleanly, out
from tasks.core.study import Study

export_app = typer.Typer(help="Export the study for other qualitative-analysis tools (REFI-QDA).", no_args_is_help=True)
import_app = typer.Typer(help="Import codings made in another qualitative-analysis tool (REFI-QDA).", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

FileArgument = Annotated[Path, typer.Argument(help="The file to write or read.", show_default=False)]


@export_app.command("qdpx")
@fail_cleanly
def export_qdpx(file: FileArgument, study_dir: StudyOption = Path(".")) -> None:
    """Write approved transcripts, codebook, codings and cases as a REFI-QDA project (.qdpx)."""
    from tasks.exchange.qdpx_export import export_qdpx as export

    summary = export(Study.at(study_dir), file)
    out.print(f"wrote {file}: {summary.line()}", markup=False, highlight=False)


@export_app.command("qdc")
@fail_cleanly
def export_qdc(file: FileArgument, study_dir: StudyOption = Path(".")) -> None:
    """Write the codebook as a REFI-QDA codebook (.qdc)."""
    from tasks.exchange.qdc_export import export_qdc as export

    codes = export(Study.at(study_dir), file)
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
    """Read codings from a REFI-QDA project (.qdpx) into codings/<id>.csv."""
    from tasks.exchange.qdpx_import import import_qdpx as read

    study = Study.at(study_dir)
    for line in read(study, file, replace=replace, coder=coder).lines(study):
        out.print(line, markup=False, highlight=False)
    out.print("next: interview-study run (or aggregate) to use the imported codings", highlight=False)
