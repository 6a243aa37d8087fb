"""Who the respondents are: the rows of the recruitment log that responded."""

from __future__ import annotations

from tasks.core.study import Study


def respondent_ids(study: Study) -> list[str]:
    """Ids of every respondent in the recruitment log (responded = yes), in file order."""
    from tasks.recruitment import read_log

    return list(read_log(study).respondents)
