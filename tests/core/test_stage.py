"""The stage engine: work is skipped when inputs are unchanged, and status is derived from disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.core.files import atomic_path, write_text
from tasks.core.manifest import load_manifest
from tasks.protocol import execute_respondent, respondent_statuses
from tasks.status import render, study_status
from tasks.core.study import Study


def test_second_execution_reuses_the_manifest(small_study: Study) -> None:
    first = execute_respondent(small_study, "recruitment", "R01")
    again = execute_respondent(Study.at(small_study.root), "recruitment", "R01")
    assert (first.reused, again.reused, again.fingerprint) == (False, True, first.fingerprint)


def test_editing_one_row_reruns_only_that_respondent(small_study: Study) -> None:
    for rid in ("R01", "R03"):
        execute_respondent(small_study, "recruitment", rid)
    path = small_study.catalog.recruitment_file
    path.write_text(path.read_text().replace("R03,network", "R03,linkedin"), encoding="utf-8")
    study = Study.at(small_study.root)
    assert [s.status for s in respondent_statuses(study, "R03", until="recruitment")] == ["pending"]
    assert respondent_statuses(study, "R03", until="recruitment")[0].detail == "inputs changed since the last run"
    assert [s.status for s in respondent_statuses(study, "R01", until="recruitment")] == ["done"]
    assert execute_respondent(study, "recruitment", "R01").reused
    assert not execute_respondent(study, "recruitment", "R03").reused


def test_editing_a_personal_column_changes_nothing(small_study: Study) -> None:
    execute_respondent(small_study, "recruitment", "R01")
    path = small_study.catalog.recruitment_file
    path.write_text(path.read_text().replace("Jan Jansen", "Jan Janssen"), encoding="utf-8")
    assert execute_respondent(Study.at(small_study.root), "recruitment", "R01").reused


def test_status_of_a_small_study(small_study: Study) -> None:
    for rid in ("R01", "R02", "R03"):
        execute_respondent(small_study, "recruitment", rid)
        execute_respondent(small_study, "consent", rid)
    rows = study_status(Study.at(small_study.root), "consent")
    assert [(r.respondent_id, r.status, r.detail) for r in rows] == [
        ("R01", "done", "consented: recording, transcription, quotes"),
        ("R02", "excluded", "no consent for transcription"),
        ("R03", "waiting", "researcher: no consent recorded; add a row for R03 to consent.csv once signed"),
    ]
    assert render(rows[:1], "csv") == (
        "respondent_id,stage,status,detail\nR01,consent,done,\"consented: recording, transcription, quotes\"\n"
    )


def test_status_before_any_run(small_study: Study) -> None:
    rows = study_status(small_study)
    assert len(rows) == 3 * 8
    assert [(r.stage, r.status, r.detail) for r in rows[:3]] == [
        ("recruitment", "pending", "not run yet"),
        ("consent", "blocked", "recruitment is not done (pending)"),
        ("transcription", "blocked", "consent is not done (blocked)"),
    ]


def test_a_deleted_output_makes_the_stage_run_again(small_study: Study) -> None:
    from tasks.recruitment.stage import REPORT
    from tasks.protocol import execute_report

    execute_report(small_study, REPORT)
    (small_study.catalog.stage_dir("recruitment") / "channels.csv").unlink()
    again = execute_report(Study.at(small_study.root), REPORT)
    assert not again.reused
    assert (small_study.catalog.stage_dir("recruitment") / "channels.csv").is_file()


def test_a_damaged_manifest_means_run_again(small_study: Study) -> None:
    execute_respondent(small_study, "recruitment", "R01")
    path = small_study.catalog.state_dir / "recruitment" / "R01.json"
    path.write_text("{half", encoding="utf-8")
    assert load_manifest(small_study, "recruitment", "R01") is None
    assert not execute_respondent(Study.at(small_study.root), "recruitment", "R01").reused


def test_atomic_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "table.csv"
    write_text(target, "old\n")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.csv"]


def test_unexpected_errors_are_reported_by_type_only(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    import tasks.recruitment.stage as recruitment

    def explode(study: Study, rid: str) -> None:
        raise ValueError("Jan Jansen said something private")

    monkeypatch.setattr(recruitment.STAGE, "run", explode)
    manifest = execute_respondent(small_study, "recruitment", "R01")
    assert manifest.status == "failed"
    assert manifest.detail == (
        "unexpected error (ValueError) in recruitment of R01; see out/logs/pipeline.log and report it"
    )
