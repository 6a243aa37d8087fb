"""Prefect artifacts after each run: status tables and a run summary, from ids and counts only.

Prefect keeps artifacts in its database, so nothing here may carry a name, an e-mail address or
transcript text. Status details are therefore never copied: the summary uses respondent ids,
stage names, statuses, counts, and for `waiting` only who must act (a word from a fixed list).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from flows.stages import open_study, settle
from tasks.core.stage import StageStatus
from tasks.protocol import STAGES
from tasks.status import study_status

STATUS_KEY = "study-status"
COUNTS_KEY = "status-counts"
SUMMARY_KEY = "run-summary"
STATUSES = ("done", "waiting", "pending", "blocked", "excluded", "failed")
ACTORS = ("respondent", "researcher", "coder", "second coder", "interviewer")
STUDY_ROW = "_study"
MAX_IDS = 20


def publish_artifacts(study_dir: str, results: list[dict[str, Any]]) -> None:
    """Create the status tables and the run summary for the current flow run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    settle(study_dir)
    rows = study_status(open_study(study_dir))
    create_table_artifact(
        status_table(rows),
        key=STATUS_KEY,
        description="Status per respondent id and stage (details: `interview-study status`).",
    )
    create_table_artifact(
        count_table(rows), key=COUNTS_KEY, description="How many respondents are in each status, per stage."
    )
    create_markdown_artifact(
        run_summary(results, rows), key=SUMMARY_KEY, description="What this run did and what waits on whom."
    )


def status_table(rows: Iterable[StageStatus]) -> list[dict[str, str]]:
    """One row per respondent id: its status in every stage."""
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        table.setdefault(row.respondent_id, {"respondent_id": row.respondent_id})[row.stage] = row.status
    return list(table.values())


def count_table(rows: Iterable[StageStatus]) -> list[dict[str, Any]]:
    """One row per stage: how many respondents are in each status."""
    counts: dict[str, Counter[str]] = {stage: Counter() for stage in STAGES}
    for row in rows:
        counts[row.stage][row.status] += 1
    return [{"stage": stage, **{status: counts[stage][status] for status in STATUSES}} for stage in STAGES]


def run_summary(results: Sequence[dict[str, Any]], rows: Sequence[StageStatus]) -> str:
    """Markdown: per stage what ran and what was skipped, then who must act and what failed."""
    ran = sum(1 for result in results if result["ran"])
    reused = sum(1 for result in results if result["reused"])
    lines = [
        f"# Run summary: {ran} ran, {reused} skipped (inputs unchanged), {len(results) - ran - reused} not run",
        "",
        "| stage | ran | skipped | not run | done | waiting | excluded | failed | blocked | counts |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        _stage_line(stage, [r for r in results if r["stage"] == stage]) for stage in _stages_of(results)
    ]
    lines += _ran_section(results) + _waiting_section(rows) + _failed_section(rows)
    return "\n".join(lines) + "\n"


def _stages_of(results: Sequence[dict[str, Any]]) -> list[str]:
    present = {result["stage"] for result in results}
    return [stage for stage in STAGES if stage in present]


def _stage_line(stage: str, results: list[dict[str, Any]]) -> str:
    status = Counter(str(result["status"]) for result in results)
    ran = sum(1 for result in results if result["ran"])
    reused = sum(1 for result in results if result["reused"])
    totals: Counter[str] = Counter()
    for result in results:
        totals.update({str(key): int(value) for key, value in result["counts"].items()})
    counts = ", ".join(f"{key} {value}" for key, value in sorted(totals.items()))
    cells = [stage, ran, reused, len(results) - ran - reused]
    cells += [status[name] for name in ("done", "waiting", "excluded", "failed", "blocked")] + [counts]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _ran_section(results: Sequence[dict[str, Any]]) -> list[str]:
    lines = []
    for stage in _stages_of(results):
        ids = [_label(r["respondent_id"]) for r in results if r["stage"] == stage and r["ran"]]
        if ids:
            lines.append(f"- **{stage}**: {_ids(ids)}")
    return ["", "## Ran", ""] + (lines or ["- nothing: every input was unchanged"])


def _waiting_section(rows: Sequence[StageStatus]) -> list[str]:
    by_actor: dict[str, list[str]] = {}
    for row in rows:
        if row.status == "waiting":
            by_actor.setdefault(actor(row.detail), []).append(f"{row.respondent_id} ({row.stage})")
    if not by_actor:
        return []
    lines = [f"- **{who}**: {_ids(entries)}" for who, entries in sorted(by_actor.items())]
    return ["", "## Waiting on", ""] + lines


def _failed_section(rows: Sequence[StageStatus]) -> list[str]:
    failed = [f"{row.respondent_id} ({row.stage})" for row in rows if row.status == "failed"]
    if not failed:
        return []
    return ["", "## Failed", "", f"- {_ids(failed)}; the reasons: `interview-study status`"]


def actor(detail: str) -> str:
    """Who must act, from a waiting detail ("respondent: ..."); nothing else of it is kept."""
    head = detail.split(":", 1)[0].strip().lower()
    return head if head in ACTORS else "someone (see interview-study status)"


def _label(respondent_id: str) -> str:
    return "study report" if respondent_id == STUDY_ROW else respondent_id


def _ids(values: Sequence[str]) -> str:
    shown = ", ".join(values[:MAX_IDS])
    return shown if len(values) <= MAX_IDS else f"{shown} and {len(values) - MAX_IDS} more"
