"""`withdraw ID`: record a withdrawal in consent.csv and remove the respondent's derived data."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from flows.app import StudyOption, app, fail_cleanly
from flows.session import open_and_check, out
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.errors import InputError
from tasks.core.ids import check_respondent_id
from tasks.core.lock import study_lock
from tasks.withdrawal import withdraw as record_and_remove


@app.command()
@fail_cleanly
def withdraw(
    respondent_id: Annotated[str, typer.Argument(help="The respondent who withdraws.", show_default=False)],
    reason: Annotated[
        str | None, typer.Option(help="Why (written to consent.csv only, never to any output).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date of the withdrawal, YYYY-MM-DD (default: today).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before deleting the recording (scripts).")] = False,
    study_dir: StudyOption = ".",  # type: ignore[assignment]
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for a run on this study to finish.")] = 30.0,
) -> None:
    """Record a withdrawal and remove the respondent's derived data (and, if the study says so, the recording)."""
    study = open_and_check(study_dir)
    rid = check_respondent_id(respondent_id, "withdraw")
    on = _date(date)
    if rid not in respondent_ids(study):
        raise InputError(f"withdraw: {rid} is not a respondent in {study.catalog.recruitment_file.name}; check the id")
    recording = study.catalog.recording(rid)
    delete = study.config.review.delete_recording_on_withdrawal and recording is not None
    if delete and not yes:
        assert recording is not None
        delete = typer.confirm(f"Delete the recording {study.catalog.relative(recording)} too? This cannot be undone", default=False)
    with study_lock(study, wait):
        result = record_and_remove(study, rid, on, reason, delete_recording=delete)
    when = result.recorded.withdrawn_on.isoformat()
    first = f"already withdrawn on {when}" if result.recorded.already else f"withdrawn on {when}"
    out.print(
        f"{rid}: {first} ({study.catalog.consent_file.name} row {result.recorded.row}); "
        f"removed {len(result.removed)} derived file{'' if len(result.removed) == 1 else 's'}",
        markup=False,
        highlight=False,
    )
    if recording is not None:
        kept = "deleted" if result.recording_deleted else "kept"
        out.print(f"the recording {study.catalog.relative(recording)} was {kept}", markup=False, highlight=False)
    out.print("next: run 'interview-study aggregate' so that the results count n without them", highlight=False)


def _date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        shown = repr(value) if len(value) <= 20 else "the value"
        raise InputError(f"--date: {shown} is not a date; write it as 2024-04-05") from None
    if day > dt.date.today():
        raise InputError(f"--date: {day.isoformat()} is in the future; give the day the respondent withdrew")
    return day
