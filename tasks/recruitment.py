"""Recruitment stage: the validated recruitment log and the sampling report.

Reads `recruitment.csv` (or `recruitment.xlsx`). Personal columns (name, e-mail, organisation,
and any column the config does not name) never leave that file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tasks.core.errors import InputError, StudyError, where
from tasks.core.files import atomic_path, write_text
from tasks.core.ids import check_respondent_id
from tasks.core.manifest import Outcome
from tasks.core.study import Study
from tasks.core.tables import RowLog, Row, parse_choice, parse_date, parse_yes_no, read_table
from tasks.core.config import CHANNELS, MODES, SIZES

if TYPE_CHECKING:  # pandas costs ~0.5 s to import; status never needs it
    import pandas as pd

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
    cached = study._cache.get("recruitment_log")
    if isinstance(cached, RecruitmentLog):
        return cached
    path = study.recruitment_file
    label = path.name
    table = read_table(path, label, REQUIRED, per_row=True)
    keep = tuple(study.config.recruitment.keep_columns)
    log = RecruitmentLog(label)
    for row in table.rows:
        try:
            rid = check_respondent_id(row.get("respondent_id"), where(label, row.number, "respondent_id"))
        except StudyError as error:
            log.row_errors.append(error.message)
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
    study._cache["recruitment_log"] = log
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


class RecruitmentStage:
    """Per respondent: the recruitment row is valid and the respondent responded."""

    name = "recruitment"
    version = "1"

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        log = read_log(study)
        return {
            "row": log.raw.get(respondent_id),
            "roles": study.config.recruitment.roles,
            "keep": study.config.recruitment.keep_columns,
        }

    def run(self, study: Study, respondent_id: str) -> Outcome:
        log = read_log(study)
        if respondent_id not in log.raw:
            raise InputError(f"{log.label}: no row for {respondent_id}; add the respondent to the log")
        if respondent_id in log.errors:
            return Outcome("failed", log.errors[respondent_id])
        record = log.recruits[respondent_id]
        if record.interview_date is None:
            return Outcome("done", "responded; interview not held yet")
        return Outcome("done", f"interviewed {record.interview_date.isoformat()} ({record.interview_mode})")


class RecruitmentReport:
    """The study-level outputs: validated log without personal columns, sampling report."""

    name = "recruitment"
    version = "1"

    def inputs(self, study: Study, eligible: list[str]) -> dict[str, Any]:
        from tasks.consent import withdrawn_ids

        log = read_log(study)
        return {
            "rows": log.raw,
            "withdrawn": sorted(withdrawn_ids(study)),
            "targets": study.config.sampling.targets,
            "keep": study.config.recruitment.keep_columns,
        }

    def run(self, study: Study, eligible: list[str]) -> Outcome:
        from tasks.consent import withdrawn_ids

        log = read_log(study)
        withdrawn = withdrawn_ids(study)
        frame = log_frame(study, [r for rid, r in log.recruits.items() if rid not in withdrawn])
        out = study.stage_dir("recruitment")
        paths = (
            _write_csv(frame, out / LOG_NAME),
            _write_csv(sampling_report(study, frame), out / "sampling_report.csv"),
            _write_csv(channel_report(frame), out / "channels.csv"),
            write_text(out / "sampling_report.md", render_summary(study, frame, len(withdrawn))),
        )
        return Outcome(
            "done",
            f"{int(frame['interviewed'].sum())} interviews of {len(frame)} contacts",
            outputs=paths,
            counts={"contacts": len(frame), "interviews": int(frame["interviewed"].sum()), "row_errors": len(log.row_errors)},
        )


def log_frame(study: Study, recruits: list[Recruit]) -> pd.DataFrame:
    keep = study.config.recruitment.keep_columns
    records = [
        {
            "respondent_id": r.respondent_id,
            "channel": r.channel,
            "contacted_on": r.contacted_on.isoformat(),
            "responded": "yes" if r.responded else "no",
            "interview_date": r.interview_date.isoformat() if r.interview_date else "",
            "interview_mode": r.interview_mode or "",
            "municipality_size": r.municipality_size,
            "role": r.role,
            **{name: r.extra.get(name, "") for name in keep},
            "interviewed": r.interview_date is not None,
        }
        for r in recruits
    ]
    columns = [*REQUIRED, *keep, "interviewed"]
    import pandas as pd

    return pd.DataFrame.from_records(records, columns=columns)


def sampling_report(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Planned targets against achieved interviews, per attribute and value."""
    interviewed = frame[frame["interviewed"]]
    rows = []
    targets = study.config.sampling.targets
    for attribute in ("municipality_size", "role", "interview_mode"):
        planned = targets.get(attribute, {})
        achieved = interviewed[attribute].value_counts()
        values = list(planned) + [v for v in sorted(achieved.index) if v not in planned]
        for value in values:
            plan = planned.get(value)
            got = int(achieved.get(value, 0))
            rows.append(
                {
                    "attribute": attribute,
                    "value": value,
                    "planned": "" if plan is None else plan,
                    "achieved": got,
                    "difference": "" if plan is None else got - plan,
                }
            )
    import pandas as pd

    return pd.DataFrame(rows, columns=["attribute", "value", "planned", "achieved", "difference"])


def channel_report(frame: pd.DataFrame) -> pd.DataFrame:
    """Contacts, responses, interviews and response rate per recruitment channel."""
    import pandas as pd

    grouped = frame.assign(responded_=frame["responded"] == "yes").groupby("channel", sort=True)
    report = pd.DataFrame(
        {
            "contacted": grouped.size(),
            "responded": grouped["responded_"].sum().astype(int),
            "interviewed": grouped["interviewed"].sum().astype(int),
        }
    ).reset_index()
    report["response_rate"] = (report["responded"] / report["contacted"]).round(3)
    return report


def render_summary(study: Study, frame: pd.DataFrame, withdrawn: int) -> str:
    lines = [f"# Recruitment: {study.config.study.title}", ""]
    lines.append(f"{int(frame['interviewed'].sum())} interviews held of {len(frame)} contacts.")
    if withdrawn:
        lines.append(f"{withdrawn} withdrawn respondent(s) are left out of every table.")
    lines += ["", "| attribute | value | planned | achieved |", "| --- | --- | --- | --- |"]
    for row in sampling_report(study, frame).itertuples():
        lines.append(f"| {row.attribute} | {row.value} | {row.planned} | {row.achieved} |")
    lines += ["", "| channel | contacted | responded | response rate |", "| --- | --- | --- | --- |"]
    for row in channel_report(frame).itertuples():
        lines.append(f"| {row.channel} | {row.contacted} | {row.responded} | {row.response_rate:.0%} |")
    return "\n".join(lines) + "\n"


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n")
    return path


STAGE = RecruitmentStage()
REPORT = RecruitmentReport()
