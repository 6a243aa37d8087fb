"""The recruitment log as every stage reads it: validated rows, respondents, row errors.

Reads `recruitment.csv` (or `recruitment.xlsx`). Personal columns (name, e-mail, organisation,
and any column the config does not name) never leave that file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tasks.core.config import CHANNELS, MODES, SIZES
from tasks.core.errors import InputError, StudyError, where
from tasks.core.ids import CaseTwins, check_respondent_id
from tasks.core.study import Study
from tasks.core.tables import Row, RowLog, parse_choice, parse_date, parse_yes_no, read_table

REQUIRED = (
    "respondent_id",
    "channel",
    "contacted_on",
    "responded",
    "interview_date",
    "interview_mode",
    "municipality_size",
    "role",
)
LOG_NAME = "recruitment_log.csv"


@dataclass(frozen=True)
class Recruit:
    respondent_id: str
    channel: str
    contacted_on: dt.date
    responded: bool
    interview_date: dt.date | None
    interview_mode: str | None
    municipality_size: str
    role: str
    extra: dict[str, str] = field(default_factory=dict)

    def attribute(self, name: str) -> str:
        value = getattr(self, name, None) if name in REQUIRED else self.extra.get(name)
        return "" if value is None else str(value)


@dataclass
class RecruitmentLog(RowLog):
    recruits: dict[str, Recruit] = field(default_factory=dict)

    @property
    def respondents(self) -> dict[str, dict[str, str]]:
        """Respondents (responded = yes, or a row too broken to tell) by id, in file order."""
        return {
            rid: raw
            for rid, raw in self.raw.items()
            if rid in self.errors or self.recruits[rid].responded
        }


def read_log(study: Study) -> RecruitmentLog:
    """Parse and validate the recruitment log once per study object."""
    if study.cache.recruitment_log is not None:
        return study.cache.recruitment_log
    path = study.catalog.recruitment_file
    label = path.name
    table = read_table(path, label, REQUIRED, per_row=True)
    keep = tuple(study.config.recruitment.keep_columns)
    log = RecruitmentLog(label)
    twins = CaseTwins(label)
    for row in table.rows:
        try:
            rid = check_respondent_id(row.get("respondent_id"), where(label, row.number, "respondent_id"))
        except StudyError as error:
            log.row_errors.append(error.message)
            continue
        twin = twins.problem(rid, row.number)
        if twin is not None:
            log.row_errors.append(twin)
            continue
        if rid in log.raw:
            log.row_errors.append(
                f"{where(label, row.number, 'respondent_id')}: {rid} appears twice; keep one row per respondent"
            )
            continue
        log.raw[rid] = {name: row.get(name) for name in (*REQUIRED, *keep)}
        try:
            log.recruits[rid] = _validate(study, label, row, rid, keep)
        except StudyError as error:
            log.errors[rid] = error.message
    study.cache.recruitment_log = log
    return log


def _validate(study: Study, label: str, row: Row, rid: str, keep: tuple[str, ...]) -> Recruit:
    row.check()
    n = row.number
    responded = parse_yes_no(row.get("responded"), label, n, "responded")
    interview_text = row.get("interview_date")
    interview_date = parse_date(interview_text, label, n, "interview_date") if interview_text else None
    mode_text = row.get("interview_mode")
    mode = parse_choice(mode_text, MODES, label, n, "interview_mode") if mode_text else None
    if interview_date is not None and mode is None:
        raise InputError(f"{where(label, n, 'interview_mode')}: empty for a held interview; write online or in_person")
    contacted_on = parse_date(row.get("contacted_on"), label, n, "contacted_on")
    if interview_date is not None and interview_date < contacted_on:
        raise InputError(f"{where(label, n, 'interview_date')}: before contacted_on; check both dates")
    if interview_date is not None and not responded:
        raise InputError(f"{where(label, n, 'responded')}: 'no' but an interview_date is given; check the row")
    role = row.get("role")
    roles = study.config.allowed_values("role")
    if roles is not None and role:
        role = parse_choice(role, roles, label, n, "role")
    if responded and not role:
        raise InputError(f"{where(label, n, 'role')}: empty; write the respondent's role")
    return Recruit(
        respondent_id=rid,
        channel=parse_choice(row.get("channel"), CHANNELS, label, n, "channel"),
        contacted_on=contacted_on,
        responded=responded,
        interview_date=interview_date,
        interview_mode=mode,
        municipality_size=parse_choice(row.get("municipality_size"), SIZES, label, n, "municipality_size"),
        role=role,
        extra={name: row.get(name) for name in keep},
    )


def recruit(study: Study, respondent_id: str) -> Recruit | None:
    """The validated recruitment record of one respondent (None when its row is invalid)."""
    return read_log(study).recruits.get(respondent_id)




def respondent_ids(study: Study) -> list[str]:
    """Ids of every respondent in the recruitment log (responded = yes), in file order."""
    return list(read_log(study).respondents)
