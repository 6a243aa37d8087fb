"""Faults of the machine, not of the inputs: a full disk or an unwritable output folder ends in one
line saying so (retried at the next run), and `status` needs to write nothing."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import tasks.core.manifest as manifest_module
import tasks.recruitment.stage as recruitment
from tasks.core.study import Study
from tasks.protocol import execute_respondent, respondent_statuses
from tasks.status import study_status


def refuse(code: int, where: Path):  # type: ignore[no-untyped-def]
    def write(*args: object, **kwargs: object) -> None:
        raise OSError(code, "refused", str(where))

    return write


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        (errno.ENOSPC, "disk full while writing out/01_recruitment/x.csv; free some space and run again"),
        (errno.EROFS, "cannot write to out/01_recruitment/x.csv: the disk is read-only; choose a writable output_dir"),
        (errno.EACCES, "cannot write to out/01_recruitment/x.csv: permission denied; make the output folder writable"),
    ],
)
def test_a_stage_that_cannot_write_fails_with_one_line_and_is_retried(
    small_study: Study, monkeypatch: pytest.MonkeyPatch, code: int, detail: str
) -> None:
    target = small_study.root / "out" / "01_recruitment" / "x.csv"
    monkeypatch.setattr(recruitment.STAGE, "run", refuse(code, target))
    manifest = execute_respondent(small_study, "recruitment", "R01")
    assert (manifest.status, manifest.detail) == ("failed", detail)
    monkeypatch.undo()
    again = execute_respondent(Study.at(small_study.root), "recruitment", "R01")
    assert (again.status, again.reused) == ("done", False)  # not kept as a failure: room again, runs again


def test_an_unreadable_input_is_named_as_such(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recruitment.STAGE, "run", refuse(errno.EACCES, small_study.root / "audio" / "R01.wav"))
    manifest = execute_respondent(small_study, "recruitment", "R01")
    assert manifest.detail == "cannot read audio/R01.wav: permission denied; give your user read access to it"


def test_a_manifest_that_cannot_be_written_is_reported_not_raised(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "write_json", refuse(errno.ENOSPC, small_study.root / "out" / ".state" / "x.json"))
    manifest = execute_respondent(small_study, "recruitment", "R01")
    assert (manifest.status, manifest.detail) == (
        "failed", "disk full while writing out/.state/x.json; free some space and run again"
    )


def test_status_works_when_nothing_can_be_written(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    execute_respondent(small_study, "recruitment", "R01")
    monkeypatch.setattr(manifest_module, "write_json", refuse(errno.EROFS, small_study.root / "out"))
    study = Study.at(small_study.root)
    rows = study_status(study)
    assert [(r.stage, r.status) for r in rows if r.respondent_id == "R01"][:2] == [
        ("recruitment", "done"), ("consent", "pending")
    ]
    assert respondent_statuses(study, "R01")[0].status == "done"


def test_a_failed_aggregation_leaves_the_previous_results_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    import tasks.aggregation.work as work
    from tests.tasks.coding_fixtures import install_fakes, run_aggregate, run_pipeline, write_study

    root = tmp_path / "study"
    install_fakes(monkeypatch)
    write_study(root)
    run_pipeline(root)
    results = root / "out" / "results"

    def snapshot() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(results.iterdir()) if p.is_file()}

    before = snapshot()
    assert {"code_frequencies.csv", "results.xlsx", "report.docx"} <= set(before)

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("the report could not be built")

    monkeypatch.setattr(work, "build_report", broken)
    (root / "codings" / "R03.csv").write_text("segment_id;code;coder\nR03-0002;silos;AB\n", encoding="utf-8")
    manifests = run_aggregate(root)
    assert manifests["aggregation"].status == "failed"
    assert manifests["aggregation"].detail.startswith("unexpected error (ValueError) in aggregation;")
    assert snapshot() == before  # new tables were written, then put back with the old report
    assert not (root / "out" / ".state" / "kept").exists() or not any((root / "out" / ".state" / "kept").rglob("*.*"))


# The command as a process (issue 14): its exit code, the other respondents' hashes, no marker ----
def recoded(root: Path) -> Path:
    """R03 gets one more code, so that open coding (R03) and the whole-study stages have work."""
    with open(root / "codings" / "R03.csv", "a", encoding="utf-8") as codings:
        codings.write("R03-0001,prevention,onderzoeker\n")
    return root


def results_digests(root: Path) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "out" / "results").iterdir())}


@pytest.mark.slow
def test_a_full_disk_while_aggregating_ends_in_one_line_and_keeps_the_results(copied: Path) -> None:
    from tests.reliability.contained import REJECTED, assert_contained, fault, personal_data

    before = results_digests(recoded(copied))
    outcome = assert_contained(
        copied, "run", code=REJECTED, others=("R01", "R02"), markers=personal_data(copied),
        inject=fault(copied / "out" / "results", "ENOSPC"),
    )
    assert outcome.errors == ["aggregation: disk full while writing out/results/code_frequencies.csv; free some space and run again"]
    assert results_digests(copied) == before  # the previous report, tables and workbook, together


@pytest.mark.slow
def test_a_read_only_output_folder_ends_in_one_line(copied: Path) -> None:
    from tests.reliability.contained import REJECTED, assert_contained, fault, personal_data

    outcome = assert_contained(
        recoded(copied), "run", code=REJECTED, others=("R01", "R02", "R03"), markers=personal_data(copied),
        inject=fault(copied / "out", "EROFS"),
    )
    assert outcome.errors == [
        "cannot write to out/logs/pipeline.log: the disk is read-only; choose a writable output_dir"
    ]


def test_status_of_a_read_only_study(copied: Path) -> None:
    from tests.reliability.contained import DONE, assert_contained, fault, personal_data

    outcome = assert_contained(
        copied, "status", "--format", "csv", code=DONE, others=("R01", "R02", "R03"), markers=personal_data(copied),
        inject=fault(copied, "EROFS"),
    )
    assert outcome.stdout.count(",done,") == 24, outcome.stdout


def test_a_damaged_prefect_database_is_named_at_once(copied: Path) -> None:
    from tests.reliability.contained import REJECTED, assert_contained, personal_data

    (recoded(copied) / ".prefect" / "prefect.db").write_bytes(b"overwritten by a sync tool " * 100)
    outcome = assert_contained(copied, "run", code=REJECTED, others=("R01", "R02", "R03"), markers=personal_data(copied))
    assert outcome.errors == [
        ".prefect/prefect.db: the Prefect database is not an SQLite database; rename it (e.g. to prefect.db.broken) "
        "and run again: only the run history is lost, the study's outputs stay"
    ]


def test_a_temporary_file_is_named_as_the_output_it_would_become(tmp_path: Path) -> None:
    from tasks.core.errors import storage_problem

    for temporary, shown in ((".code_frequencies.csv.tmp-378ag07l.csv", "code_frequencies.csv"),
                             (".report.docx.tmp-a_b9x2kq.docx", "report.docx"), (".lock.tmp-a_b9x2kq", "lock")):
        error = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "results" / temporary))
        problem = storage_problem(error, tmp_path)
        assert problem is not None
        assert problem.message == f"disk full while writing out/results/{shown}; free some space and run again"
