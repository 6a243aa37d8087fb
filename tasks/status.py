"""Where every respondent stands, derived from the inputs and manifests on disk (no Prefect)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.manifest import hash_cache
from tasks.core.stage import StageStatus
from tasks.core.study import Study
from tasks.protocol import PROTOCOL, STAGES

FORMATS = ("table", "csv", "json")


def study_status(study: Study, stage: str | None = None) -> list[StageStatus]:
    """Every respondent × stage (or one stage), in roster and stage order."""
    ids = respondent_ids(study)
    chains = {rid: PROTOCOL.respondent_statuses(study, rid) for rid in ids}
    rows: list[StageStatus] = []
    for rid in ids:
        chain = chains[rid]
        full = chain + PROTOCOL.study_statuses(study, rid, chain[-1])
        rows += [row for row in full if stage is None or row.stage == stage]
    hash_cache(study).save()
    return rows


def approved(study: Study) -> list[StageStatus]:
    """The review rows of respondents whose transcript is approved."""
    return [row for row in study_status(study, "review") if row.status == "done"]


def render(rows: Sequence[StageStatus], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["respondent_id", "stage", "status", "detail"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(row.to_json() for row in rows)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def matrix(rows: Sequence[StageStatus]) -> tuple[list[str], dict[str, dict[str, StageStatus]]]:
    """Respondents × stages, for the table view."""
    stages = [stage for stage in STAGES if any(row.stage == stage for row in rows)]
    grid: dict[str, dict[str, StageStatus]] = {}
    for row in rows:
        grid.setdefault(row.respondent_id, {})[row.stage] = row
    return stages, grid
