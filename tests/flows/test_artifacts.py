"""Artifacts: tables and a run summary, read back from Prefect's API; ids and counts only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flows.artifacts import actor, count_table, run_summary, status_table
from tasks.core.stage import StageStatus
from tasks.core.study import Study


def _result(
    stage: str, rid: str, status: str, ran: bool, reused: bool, counts: dict[str, int] | None = None
) -> dict[str, Any]:
    return {
        "stage": stage,
        "respondent_id": rid,
        "status": status,
        "ran": ran,
        "reused": reused,
        "counts": counts or {},
    }


def test_actor_keeps_only_a_known_role() -> None:
    assert (
        actor(
            "respondent: review sent 2024-03-20 (12 days ago); save the returned file as review/returned/R01.docx"
        )
        == "respondent"
    )
    assert actor("Researcher: add a row") == "researcher"
    assert actor("Anna de Vries: must sign") == "someone (see interview-study status)"
    assert actor("") == "someone (see interview-study status)"


def test_tables_from_status_rows() -> None:
    rows = [
        StageStatus("R01", "recruitment", "done", "interviewed"),
        StageStatus("R01", "consent", "waiting", "researcher: add a row"),
        StageStatus("R02", "recruitment", "done"),
        StageStatus("R02", "consent", "excluded", "no consent"),
    ]
    assert status_table(rows) == [
        {"respondent_id": "R01", "recruitment": "done", "consent": "waiting"},
        {"respondent_id": "R02", "recruitment": "done", "consent": "excluded"},
    ]
    counts = count_table(rows)
    assert counts[0] == {
        "stage": "recruitment",
        "done": 2,
        "waiting": 0,
        "pending": 0,
        "blocked": 0,
        "excluded": 0,
        "failed": 0,
    }
    assert counts[1] == {
        "stage": "consent",
        "done": 0,
        "waiting": 1,
        "pending": 0,
        "blocked": 0,
        "excluded": 1,
        "failed": 0,
    }
    assert [row["stage"] for row in counts][-1] == "aggregation"


def test_run_summary_markdown() -> None:
    results = [
        _result("transcription", "R01", "done", True, False, {"segments": 40}),
        _result("transcription", "R02", "done", False, True, {"segments": 12}),
        _result("transcription", "R03", "excluded", False, False),
        _result("review", "R01", "waiting", True, False),
        _result("aggregation", "_study", "blocked", False, False),
    ]
    rows = [
        StageStatus(
            "R01", "review", "waiting", "respondent: save the returned file as review/returned/R01.docx"
        ),
        StageStatus("R04", "consent", "waiting", "researcher: no consent recorded; add a row for R04"),
        StageStatus("R05", "review", "waiting", "respondent: send it"),
        StageStatus("R06", "transcription", "failed", "audio/R06.wav: not audio"),
    ]
    assert run_summary(results, rows) == (
        "# Run summary: 2 ran, 1 skipped (inputs unchanged), 2 not run\n"
        "\n"
        "| stage | ran | skipped | not run | done | waiting | excluded | failed | blocked | counts |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
        "| transcription | 1 | 1 | 1 | 2 | 0 | 1 | 0 | 0 | segments 52 |\n"
        "| review | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |  |\n"
        "| aggregation | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |  |\n"
        "\n"
        "## Ran\n"
        "\n"
        "- **transcription**: R01\n"
        "- **review**: R01\n"
        "\n"
        "## Waiting on\n"
        "\n"
        "- **researcher**: R04 (consent)\n"
        "- **respondent**: R01 (review), R05 (review)\n"
        "\n"
        "## Failed\n"
        "\n"
        "- R06 (transcription); the reasons: `interview-study status`\n"
    )


def test_long_id_lists_are_cut() -> None:
    results = [_result("consent", f"R{n:03d}", "done", True, False) for n in range(25)]
    summary = run_summary(results, [])
    assert (
        "- **consent**: R000, R001, R002, R003, R004, R005, R006, R007, R008, R009, R010, R011, R012, R013, R014, R015, R016, R017, R018, R019 and 5 more\n"
        in summary
    )


@pytest.mark.usefixtures("prefect_harness")
def test_flow_run_publishes_artifacts(small_study: Study, personal: tuple[str, ...]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.study import study_pipeline, without_heartbeat

    with without_heartbeat():
        state = study_pipeline(str(small_study.root), until="consent", return_state=True)
    assert state.is_completed()
    flow_run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    by_key = {artifact.key: artifact for artifact in artifacts}
    assert sorted(by_key) == ["run-summary", "status-counts", "study-status"]
    assert by_key["study-status"].type == "table"
    table = json.loads(str(by_key["study-status"].data))
    assert [row["respondent_id"] for row in table] == ["R01", "R02", "R03"]
    assert [row["consent"] for row in table] == ["done", "excluded", "waiting"]
    assert table[0]["transcription"] == "pending"  # the run stopped after consent
    counts = {row["stage"]: row for row in json.loads(str(by_key["status-counts"].data))}
    assert counts["consent"] == {
        "stage": "consent",
        "done": 1,
        "waiting": 1,
        "pending": 0,
        "blocked": 0,
        "excluded": 1,
        "failed": 0,
    }
    summary = str(by_key["run-summary"].data)
    assert summary.startswith("# Run summary: 8 ran, 0 skipped (inputs unchanged), 0 not run\n")
    assert "| consent | 4 | 0 | 0 | 2 | 1 | 1 | 0 | 0 |" in summary
    assert "- **consent**: R01, R02, R03, study report\n" in summary
    assert "- **researcher**: R03 (consent)\n" in summary
    everything = json.dumps([artifact.model_dump(mode="json") for artifact in artifacts])
    assert not [word for word in personal if word in everything]


@pytest.mark.usefixtures("prefect_harness")
def test_rerun_summary_says_skipped(small_study: Study) -> None:
    from prefect.artifacts import Artifact

    from flows.study import study_pipeline, without_heartbeat

    with without_heartbeat():
        study_pipeline(str(small_study.root), until="consent")
        study_pipeline(str(small_study.root), until="consent")
    latest = Artifact.get("run-summary")
    assert latest is not None
    assert str(latest.data).startswith("# Run summary: 0 ran, 8 skipped (inputs unchanged), 0 not run\n")
    assert "- nothing: every input was unchanged\n" in str(latest.data)
