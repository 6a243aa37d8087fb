"""The recruitment log as every stage reads it: validated rows, respondents, row errors.

Reads `recruitment.csv` (or `recruitment.xlsx`). Personal columns (name, e-mail, organisation,
and any column the config does not name) never leave that file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tasks.core.config import CORE_COLUMNS, StudyConfig
from tasks.core.errors import InputError, StudyError, where
from tasks.core.study import Study
from tasks.core.tables import Row, RowLog, parse_choice, parse_date, parse_yes_no, read_table

LOG_NAME = "recruitment_log.csv"


@dataclass(frozen=True)
class Recruit:
    respondent_id: str
    channel: str
    contacted_on: dt.date
    responded: bool
    interview_date: dt.date | None
    interview_mode: str | None
    attributes: dict[str, str] = field(default_factory=dict)  # the declared attributes, by name
    extra: dict[str, str] = field(default_factory=dict)  # recruitment.keep_columns

    def attribute(self, name: str) -> str:
        """channel, interview_mode, a declared attribute or a kept column, as text ("" when empty)."""
        if name == "channel":
            return self.channel
        if name == "interview_mode":
            return self.interview_mode or ""
        return self.attributes.get(name, self.extra.get(name, ""))


def required_columns(config: StudyConfig) -> tuple[str, ...]:
    """The columns recruitment.csv must hold: the core ones, then one per declared attribute."""
    return (*CORE_COLUMNS, *config.attribute_names())


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
    required = required_columns(study.config)
    table = read_table(path, label, required, per_row=True)
    keep = tuple(study.config.recruitment.keep_columns)
    log = RecruitmentLog(label)
    for row in table.rows:
        rid = log.admit(row)
        if rid is None:
            continue
        if rid in log.raw:
            log.row_errors.append(
                f"{where(label, row.number, 'respondent_id')}: {rid} appears twice; keep one row per respondent"
            )
            continue
        log.raw[rid] = {name: row.get(name) for name in dict.fromkeys((*required, *keep))}
        try:
            log.recruits[rid] = _validate(study, label, row, rid, keep)
        except StudyError as error:
            log.errors[rid] = error.message
    study.cache.recruitment_log = log
    return log


def _validate(study: Study, label: str, row: Row, rid: str, keep: tuple[str, ...]) -> Recruit:
    row.check()
    n = row.number
    config = study.config
    responded = parse_yes_no(row.get("responded"), label, n, "responded")
    interview_text = row.get("interview_date")
    interview_date = parse_date(interview_text, label, n, "interview_date") if interview_text else None
    modes = config.allowed_values("interview_mode") or ()
    mode_text = row.get("interview_mode")
    mode = parse_choice(mode_text, modes, label, n, "interview_mode") if mode_text else None
    if interview_date is not None and mode is None:
        raise InputError(f"{where(label, n, 'interview_mode')}: empty for a held interview; write {_either(modes)}")
    contacted_on = parse_date(row.get("contacted_on"), label, n, "contacted_on")
    if interview_date is not None and interview_date < contacted_on:
        raise InputError(f"{where(label, n, 'interview_date')}: before contacted_on; check both dates")
    if interview_date is not None and not responded:
        raise InputError(f"{where(label, n, 'responded')}: 'no' but an interview_date is given; check the row")
    channel = parse_choice(row.get("channel"), config.allowed_values("channel") or (), label, n, "channel")
    return Recruit(
        respondent_id=rid,
        channel=channel,
        contacted_on=contacted_on,
        responded=responded,
        interview_date=interview_date,
        interview_mode=mode,
        attributes={a.name: _attribute(config, row, a.name, a.required and responded, label) for a in config.attributes},
        extra={name: row.get(name) for name in keep},
    )


def _attribute(config: StudyConfig, row: Row, name: str, required: bool, label: str) -> str:
    """A declared attribute's value: one of its values (when it lists them), filled when required."""
    text = row.get(name)
    allowed = config.allowed_values(name)
    if not text:
        if required:
            advice = f"write one of {' | '.join(allowed)}" if allowed else f"write the respondent's {name}"
            raise InputError(f"{where(label, row.number, name)}: empty; {advice}")
        return ""
    return text if allowed is None else parse_choice(text, allowed, label, row.number, name)


def _either(values: tuple[str, ...]) -> str:
    """online or in_person; online, in_person or phone."""
    return " or ".join([", ".join(values[:-1]), values[-1]]) if len(values) > 1 else "".join(values)


def recruit(study: Study, respondent_id: str) -> Recruit | None:
    """The validated recruitment record of one respondent (None when its row is invalid)."""
    return read_log(study).recruits.get(respondent_id)


def respondent_ids(study: Study) -> list[str]:
    """Ids of every respondent in the recruitment log (responded = yes), in file order."""
    return list(read_log(study).respondents)
