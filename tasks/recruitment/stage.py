"""Recruitment stage: the validated recruitment log and the sampling report.

Reads `recruitment.csv` (or `recruitment.xlsx`). Personal columns (name, e-mail, organisation,
and any column the config does not name) never leave that file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tasks.core.catalog.consent import withdrawn_ids
from tasks.core.catalog.recruitment import Recruit, read_log, required_columns
from tasks.core.errors import InputError
from tasks.core.files import write_text
from tasks.core.manifest import Outcome
from tasks.core.sheets import write_csv
from tasks.core.study import Study

if TYPE_CHECKING:  # pandas costs ~0.5 s to import; status never needs it
    import pandas as pd

LOG_NAME = "recruitment_log.csv"


class RecruitmentStage:
    """Per respondent: the recruitment row is valid and the respondent responded."""

    name = "recruitment"
    version = "1"

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        log = read_log(study)
        config = study.config
        return {
            "row": log.raw.get(respondent_id),
            "attributes": [(a.name, config.allowed_values(a.name), a.required) for a in config.attributes],
            "channels": config.allowed_values("channel"),
            "modes": config.allowed_values("interview_mode"),
            "keep": config.recruitment.keep_columns,
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

    def inputs(self, study: Study) -> dict[str, Any]:
        log = read_log(study)
        return {
            "rows": log.raw,
            "withdrawn": sorted(withdrawn_ids(study)),
            "targets": study.config.sampling.targets,
            **study.config.declarations(),
            "keep": study.config.recruitment.keep_columns,
        }

    def run(self, study: Study) -> Outcome:
        log = read_log(study)
        withdrawn = withdrawn_ids(study)
        frame = log_frame(study, [r for rid, r in log.recruits.items() if rid not in withdrawn])
        path = study.catalog.recruitment_output
        paths = (
            write_csv(frame, path(LOG_NAME)),
            write_csv(sampling_report(study, frame), path("sampling_report.csv")),
            write_csv(channel_report(study, frame), path("channels.csv")),
            write_text(path("sampling_report.md"), render_summary(study, frame, len(withdrawn))),
        )
        return Outcome(
            "done",
            f"{int(frame['interviewed'].sum())} interviews of {len(frame)} contacts",
            outputs=paths,
            counts={"contacts": len(frame), "interviews": int(frame["interviewed"].sum()), "row_errors": len(log.row_errors)},
        )


def log_frame(study: Study, recruits: list[Recruit]) -> pd.DataFrame:
    """The validated log without personal columns: core columns, attributes, kept columns."""
    columns = [*dict.fromkeys([*required_columns(study.config), *study.config.recruitment.keep_columns])]
    records = [
        {
            **{name: r.attribute(name) for name in columns},
            "respondent_id": r.respondent_id,
            "contacted_on": r.contacted_on.isoformat(),
            "responded": "yes" if r.responded else "no",
            "interview_date": r.interview_date.isoformat() if r.interview_date else "",
            "interviewed": r.interview_date is not None,
        }
        for r in recruits
    ]
    import pandas as pd

    return pd.DataFrame.from_records(records, columns=[*columns, "interviewed"])


def sampling_attributes(study: Study) -> list[str]:
    """What the sampling report covers: every attribute and the interview mode, the channel when targeted."""
    config = study.config
    targeted = ["channel"] if "channel" in config.sampling.targets else []
    return [*config.attribute_names(), "interview_mode", *targeted]


def sampling_report(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Planned targets against achieved interviews, per attribute and value."""
    interviewed = frame[frame["interviewed"]]
    rows = []
    targets = study.config.sampling.targets
    for attribute in sampling_attributes(study):
        planned = targets.get(attribute, {})
        achieved = interviewed[attribute][interviewed[attribute] != ""].value_counts()
        values = list(planned) + study.config.ordered(attribute, [v for v in achieved.index if v not in planned])
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


def channel_report(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Contacts, responses, interviews and response rate per recruitment channel (in declared order)."""
    import pandas as pd

    grouped = frame.assign(responded_=frame["responded"] == "yes").groupby("channel", sort=False)
    report = pd.DataFrame(
        {
            "contacted": grouped.size(),
            "responded": grouped["responded_"].sum().astype(int),
            "interviewed": grouped["interviewed"].sum().astype(int),
        }
    )
    report = report.reindex(study.config.ordered("channel", list(report.index))).rename_axis("channel").reset_index()
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
    for row in channel_report(study, frame).itertuples():
        lines.append(f"| {row.channel} | {row.contacted} | {row.responded} | {row.response_rate:.0%} |")
    return "\n".join(lines) + "\n"


STAGE = RecruitmentStage()
REPORT = RecruitmentReport()
