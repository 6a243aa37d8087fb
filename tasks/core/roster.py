"""Who the respondents are (the rows of the recruitment log that responded), and the input rows
that belong to no respondent (bad ids, unknown ids), which status and run report separately."""

from __future__ import annotations

import importlib

from tasks.core.errors import StudyError
from tasks.core.study import Study

# Stage modules that can report rows belonging to no respondent, in stage order.
ROW_CHECKS = ("consent", "review", "open_coding")


def respondent_ids(study: Study) -> list[str]:
    """Ids of every respondent in the recruitment log (responded = yes), in file order."""
    from tasks.recruitment import read_log

    return list(read_log(study).respondents)


def problems(study: Study) -> list[str]:
    """One line per input row that no respondent's status can show."""
    from tasks.recruitment import read_log

    lines = list(read_log(study).row_errors)
    known = set(respondent_ids(study))
    for name in ROW_CHECKS:
        try:
            module = importlib.import_module(f"tasks.{name}")
        except ModuleNotFoundError:
            continue
        check = getattr(module, "row_problems", None)
        if check is None:
            continue
        try:
            lines += check(study, known)
        except StudyError as error:
            lines.append(error.message)
    return lines
