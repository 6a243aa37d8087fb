"""`init`: a new, empty study folder with config templates that validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.app import app, fail_cleanly
from flows.session import out
from tasks.core.scaffold import create_study


@app.command()
@fail_cleanly
def init(
    directory: Annotated[Path, typer.Argument(help="The folder to create (must be new or empty).")],
    language: Annotated[
        str, typer.Option("--language", help="The language of the templates and the interviews: en or nl.")
    ] = "en",
) -> None:
    """Create a new study folder with config templates, input tables and folders."""
    created = create_study(directory, language)
    out.print(f"created a study in {directory} ({len(created)} files); next: fill in recruitment.csv", highlight=False)
