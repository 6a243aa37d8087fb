"""`run` and `aggregate`: honest exit codes (DESIGN.md). 0 when everything that could run did; 1 after
all other work when a stage failed or input was rejected, ending with one line per problem; 2 for an
unexpected error, naming the log file that holds its traceback. The Prefect flow run of a run with
problems ends Failed, with counts and ids only."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

import flows.commands  # noqa: F401 - registers the commands
from flows.cli import app
from tasks.core.study import Study

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("prefect_harness")

SMALL_CONSENT = (
    "recruitment       ran   3, skipped   0   3 done\n"
    "consent           ran   3, skipped   0   1 done, 1 waiting, 1 excluded\n"
    "See where everyone stands: interview-study status\n"
)


def invoke(study: Study, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--study", str(study.root)])
    return result.exit_code, result.stdout, result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_clean_run_exits_0(small_study: Study) -> None:
    assert invoke(small_study, "run", "--until", "consent") == (0, SMALL_CONSENT, "")


def test_a_run_with_nothing_to_do_starts_no_flow(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke(small_study, "run", "--until", "consent")[0] == 0
    import flows.session

    def no_prefect(root: Path) -> None:
        raise AssertionError("a Prefect session was started")

    monkeypatch.setattr(flows.session, "prefect_session", no_prefect)
    monkeypatch.setattr("flows.commands.run.prefect_session", no_prefect)
    code, stdout, stderr = invoke(small_study, "run", "--until", "consent")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [
        "recruitment       ran   0, skipped   3   3 done",
        "consent           ran   0, skipped   3   1 done, 1 waiting, 1 excluded",
        "See where everyone stands: interview-study status",
        "Nothing changed since the last run: every stage is current (no flow was started).",
    ]
    monkeypatch.undo()
    with small_study.catalog.consent_file.open("a", encoding="utf-8") as file:
        file.write("R03,2024-03-21,yes,yes,no,no,\n")  # R03 signs: work again, a flow runs
    code, stdout, _ = invoke(small_study, "run", "--until", "consent")
    assert stdout.splitlines()[1] == "consent           ran   1, skipped   2   2 done, 1 excluded"


def test_a_rejected_input_row_exits_1_after_the_work(small_study: Study) -> None:
    with small_study.catalog.consent_file.open("a", encoding="utf-8") as file:
        file.write("R99,2024-03-20,yes,yes,yes,no,\n")
    assert invoke(small_study, "run", "--until", "consent") == (
        1,
        SMALL_CONSENT,
        "1 input problem; fix these and run again:\n"
        "error: consent.csv row 4, column respondent_id: R99 is not a respondent in the recruitment log; "
        "add them there or remove the row\n",
    )


def test_a_failed_respondent_exits_1_and_the_others_are_done(small_study: Study) -> None:
    edit(small_study.catalog.recruitment_file, "2024-03-20,in_person,", "2024-03-20,fax,")
    code, stdout, stderr = invoke(small_study, "run", "--until", "consent")
    assert (code, stdout, stderr) == (
        1,
        "recruitment       ran   3, skipped   0   2 done, 1 failed\n"
        "consent           ran   2, skipped   1   1 done, 1 waiting, 1 blocked\n"
        "See where everyone stands: interview-study status\n",
        "1 respondent failed (R02); fix these and run again:\n"
        "error: R02 recruitment: recruitment.csv row 3, column interview_mode: 'fax' is not one of online | in_person\n",
    )


def test_a_full_run_ends_with_where_the_report_is(coded_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(coded_study.root)
    code, stdout, stderr = invoke(coded_study, "run")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-2:] == [
        "See where everyone stands: interview-study status",
        "Report: out/results/report.docx",
    ]


def test_an_unknown_code_exits_1_and_the_report_says_who_is_left_out(coded_study: Study) -> None:
    edit(coded_study.catalog.codings_dir / "R02.csv", "R02-0003,example_code", "R02-0003,no_such_code")
    code, stdout, stderr = invoke(coded_study, "run")
    assert (code, stderr) == (
        1,
        "1 respondent failed (R02); fix these and run again:\n"
        "error: R02 open_coding: codings/R02.csv row 2, column code: unknown code 'no_such_code'; "
        "use a code id or name from config/codebook.yaml\n",
    )
    assert "open_coding       ran   3, skipped   0   2 done, 1 failed\n" in stdout
    assert f"Report: {coded_study.catalog.result('report.docx')}\n" in stdout
    assert coded_study.catalog.result("left_out.csv").read_text(encoding="utf-8") == (
        "respondent_id,reason\nR02,open coding is failed\n"
    )
    report = docx.Document(str(coded_study.catalog.result("report.docx")))
    left_out = [p.text for p in report.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert [text.split(":")[0] for text in left_out if text.startswith("R0")] == ["R02"]  # the left-out list


def test_a_mistyped_review_decision_exits_1(coded_study: Study) -> None:
    edit(coded_study.catalog.reviews_file, "R03,approved", "R03,aproved")
    code, _, stderr = invoke(coded_study, "run")
    assert (code, stderr) == (
        1,
        "1 respondent failed (R03); fix these and run again:\n"
        "error: R03 review: reviews.csv row 4, column decision: 'aproved' is not one of approved | "
        "approved_with_changes | declined\n",
    )


def test_aggregate_exits_1_while_a_coding_names_an_unknown_code(coded_study: Study) -> None:
    assert invoke(coded_study, "run")[0] == 0
    edit(coded_study.catalog.codings_dir / "R01.csv", "R01-0003,example_code", "R01-0003,no_such_code")
    code, stdout, stderr = invoke(coded_study, "aggregate")
    assert (code, stderr) == (
        1,
        "1 respondent failed (R01); fix these and run again:\n"
        "error: R01 open_coding: codings/R01.csv row 2, column code: unknown code 'no_such_code'; "
        "use a code id or name from config/codebook.yaml\n",
    )
    assert stdout.startswith("open_coding       ran   1, skipped   0   1 failed\n")
    again = invoke(coded_study, "aggregate")  # unchanged, still failing: still exit 1
    assert (again[0], again[2]) == (code, stderr)


def test_an_unexpected_error_exits_2_naming_the_log_with_the_traceback(
    small_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(folder: Path) -> None:
        raise RuntimeError("boom in the flow")

    monkeypatch.setattr("flows.study.sweep_temporaries", broken)
    log = small_study.catalog.log_file
    assert invoke(small_study, "run", "--until", "consent") == (
        2,
        "",
        f"unexpected error (RuntimeError); the traceback is in {log}; please report it\n",
    )
    text = log.read_text(encoding="utf-8")
    assert "ERROR interview_study: unexpected error in interview-study run\nTraceback (most recent call last):" in text
    assert text.rstrip().endswith("RuntimeError: boom in the flow")


def test_the_flow_run_of_a_run_with_problems_ends_failed_with_counts_and_ids(small_study: Study) -> None:
    from prefect.client.orchestration import get_client

    from flows.study import RunProblems, results_of, study_pipeline, without_heartbeat

    edit(small_study.catalog.recruitment_file, "2024-03-20,in_person,", "2024-03-20,fax,")
    with small_study.catalog.consent_file.open("a", encoding="utf-8") as file:
        file.write("R99,2024-03-20,yes,yes,yes,no,\n")
    with without_heartbeat():
        state = study_pipeline(str(small_study.root), until="consent", return_state=True)
    assert (state.is_failed(), state.message) == (True, "1 respondent failed (R02); 1 input problem")
    with get_client(sync_client=True) as client:
        stored = client.read_flow_run(state.state_details.flow_run_id).state
    assert stored is not None
    assert (stored.type.value, stored.message) == ("FAILED", "1 respondent failed (R02); 1 input problem")
    statuses = {(r["stage"], r["respondent_id"]): r["status"] for r in results_of(state)}
    assert (statuses[("recruitment", "R02")], statuses[("consent", "R01")]) == ("failed", "done")
    with without_heartbeat(), pytest.raises(RunProblems) as raised:  # called plainly, the flow says why
        study_pipeline(str(small_study.root), until="consent")
    assert (str(raised.value), len(raised.value.results)) == ("1 respondent failed (R02); 1 input problem", len(statuses))


def test_the_flow_run_of_a_clean_run_completes(small_study: Study) -> None:
    from flows.study import study_pipeline, without_heartbeat

    with without_heartbeat():
        state = study_pipeline(str(small_study.root), until="consent", return_state=True)
    assert state.is_completed()
