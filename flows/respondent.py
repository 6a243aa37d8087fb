"""One respondent's stages as a flow of its own: the unit of work that a work pool's workers pick up."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.session import setup_logging
from flows.stages import open_study, respondent_stage, save_hashes
from tasks.core.ids import check_respondent_id
from tasks.protocol import PROTOCOL


@flow(
    name="interview-study-respondent",
    flow_run_name="respondent-{respondent_id}",
    persist_result=False,
    validate_parameters=True,
)
def respondent_pipeline(
    study_dir: str, respondent_id: str, until: str = "open_coding", force: bool = False
) -> list[dict[str, Any]]:
    """Move one respondent through the per-respondent stages, in order, up to `until`."""
    rid = check_respondent_id(respondent_id, "respondent_id")
    _log_to_study(study_dir)
    results = [respondent_stage(study_dir, stage, rid, force) for stage in stages_until(until)]
    save_hashes(study_dir)
    return results


def stages_until(until: str) -> tuple[str, ...]:
    """The per-respondent stages up to `until` (all five when `until` is a whole-study stage)."""
    wanted = PROTOCOL.until(until)
    return tuple(stage for stage in PROTOCOL.respondent_names if stage in wanted)


def _log_to_study(study_dir: str) -> None:
    """On a worker too, tracebacks go to the study's own log file, never to Prefect."""
    study = open_study(study_dir, fresh=True)
    setup_logging(study.root, study.config.study.output_dir)
