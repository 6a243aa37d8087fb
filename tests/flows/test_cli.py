"""The command line: help everywhere, one-line errors, status formats, the lock, no Prefect for status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from typer.core import TyperOption
from typer.main import get_command
from typer.testing import CliRunner

import flows.commands  # noqa: F401 - registers the commands
from flows.cli import app
from tasks.protocol import execute_respondent
from tasks.core.study import Study

runner = CliRunner()


def all_commands() -> list[tuple[str, Any]]:
    """Every command and sub-command of the app, by its full name."""
    found = []

    def visit(prefix: str, command: Any) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            full = f"{prefix} {name}".strip()
            found.append((full, sub))
            visit(full, sub)

    visit("", get_command(app))
    return found


@pytest.mark.parametrize("name", [name for name, _ in all_commands()])
def test_every_command_has_help(name: str) -> None:
    command = dict(all_commands())[name]
    assert command.help and command.help.strip(), f"{name} has no help text"
    for parameter in command.params:
        if isinstance(parameter, TyperOption):
            assert parameter.help, f"{name} {parameter.opts[0]} has no help text"


def test_contract_commands_exist() -> None:
    names = {name for name, _ in all_commands()}
    assert {"run", "status", "aggregate", "init"} <= names


def test_status_json_contract(small_study: Study) -> None:
    for rid in ("R01", "R02", "R03"):
        execute_respondent(small_study, "recruitment", rid)
        execute_respondent(small_study, "consent", rid)
    result = runner.invoke(app, ["status", "--study", str(small_study.root), "--stage", "consent", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"respondent_id": "R01", "stage": "consent", "status": "done",
         "detail": "consented: recording, transcription, quotes"},
        {"respondent_id": "R02", "stage": "consent", "status": "excluded", "detail": "no consent for transcription"},
        {"respondent_id": "R03", "stage": "consent", "status": "waiting",
         "detail": "researcher: no consent recorded; add a row for R03 to consent.csv once signed"},
    ]


def test_status_approved_is_an_empty_list_before_review(small_study: Study) -> None:
    result = runner.invoke(app, ["status", "--study", str(small_study.root), "--approved", "--format", "json"])
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_status_table_lists_every_stage(small_study: Study) -> None:
    result = runner.invoke(app, ["status", "--study", str(small_study.root)])
    assert result.exit_code == 0
    for word in ("recruitment", "consent", "transcription", "review", "open_coding", "axial_coding",
                 "selective_coding", "aggregation", "R01", "R02", "R03"):
        assert word in result.stdout
    assert "C01" not in result.stdout  # contacted, did not respond: not a respondent


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["status", "--format", "xml"], "error: --format: unknown format 'xml'; use table, csv, json or xlsx\n"),
        (["status", "--stage", "coding"], "error: --stage: unknown stage 'coding'; use one of recruitment, consent, "
         "transcription, review, open_coding, axial_coding, selective_coding, aggregation\n"),
        (["run", "--respondent", "../R01"], "error: --respondent: '../R01' is not a respondent id; use letters, "
         "digits, '-' or '_' (start with a letter or digit, at most 32 characters)\n"),
        (["run", "--respondent", "R99"], "error: --respondent: R99 is not in the recruitment log; check the id\n"),
        (["run", "--until", "coding"], "error: --until: unknown stage 'coding'; use one of recruitment, consent, "
         "transcription, review, open_coding, axial_coding, selective_coding, aggregation\n"),
    ],
)
def test_bad_arguments_give_one_line(small_study: Study, arguments: list[str], message: str) -> None:
    result = runner.invoke(app, [*arguments, "--study", str(small_study.root)])
    assert (result.exit_code, result.stderr) == (1, message)


def test_not_a_study_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--study", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path}: no config/ folder here; pass --study DIR or create one with 'interview-study init DIR'\n"
    )


def test_config_error_stops_run_before_prefect(small_study: Study) -> None:
    (small_study.root / "config" / "study.yaml").write_text("study: {title: x, colour: blue}\n", encoding="utf-8")
    result = runner.invoke(app, ["run", "--study", str(small_study.root)])
    assert (result.exit_code, result.stderr) == (
        1,
        "error: config/study.yaml: study.colour: unknown key; remove it or check its spelling\n",
    )


def test_second_run_waits_for_the_lock_then_exits_clearly(small_study: Study) -> None:
    lock_path = small_study.catalog.state_dir / "run.lock"
    lock_path.parent.mkdir(parents=True)
    with FileLock(str(lock_path)):
        result = runner.invoke(app, ["run", "--study", str(small_study.root), "--wait", "0.2"])
    assert (result.exit_code, result.stderr) == (
        1,
        "error: out/.state/run.lock: another run is working on this study; waited 0.2 s; try again when it "
        "has finished (or pass --wait SECONDS)\n",
    )


def test_init_creates_a_study_that_validates(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    study = Study.at(tmp_path / "new")
    assert study.config and study.codebook and study.guide
    for name in ("recruitment.csv", "consent.csv", "reviews.csv", ".gitignore"):
        assert (study.root / name).is_file()
    for folder in ("audio", "review/returned", "codings"):
        assert (study.root / folder).is_dir()
    assert "/out/" in (study.root / ".gitignore").read_text()
    again = runner.invoke(app, ["init", str(tmp_path / "new")])
    assert (again.exit_code, again.stderr) == (1, f"error: {tmp_path / 'new'}: folder is not empty; choose a new folder\n")


def test_status_does_not_import_prefect(small_study: Study) -> None:
    code = (
        "import sys\n"
        "from flows.cli import main\n"
        f"sys.argv = ['interview-study', 'status', '--study', {str(small_study.root)!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('PREFECT' if any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules) else 'CLEAN')\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip().endswith("CLEAN")


def test_status_loads_neither_pandas_nor_whisper_nor_docx(small_study: Study) -> None:
    (small_study.root / "codings" / "R01.docx").write_bytes(b"PK not opened by status")
    code = (
        "import sys\n"
        "from flows.cli import main\n"
        f"sys.argv = ['interview-study', 'status', '--study', {str(small_study.root)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('prefect', 'pandas', 'whisper', 'faster_whisper', 'docx', 'av')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.splitlines()[-1] == "[]"


def test_status_shows_the_input_problems_above_the_table(small_study: Study) -> None:
    path = small_study.catalog.recruitment_file
    path.write_text(path.read_text(encoding="utf-8").replace("2024-03-20,in_person", "2024-03-20,fax"), encoding="utf-8")
    with small_study.catalog.consent_file.open("a", encoding="utf-8") as file:
        file.write("R99,2024-03-20,yes,yes,yes,no,\n")
    (small_study.root / "reviews.csv").write_text("respondent_id,decision,decided_on\nR01,aproved,2024-04-01\n")
    result = runner.invoke(app, ["status", "--study", str(small_study.root)])
    assert (result.exit_code, result.stderr) == (
        0,
        "problem: recruitment.csv row 3, column interview_mode: 'fax' is not one of online | in_person\n"
        "problem: consent.csv row 4, column respondent_id: R99 is not a respondent in the recruitment log; "
        "add them there or remove the row\n"
        "problem: reviews.csv row 2, column decision: 'aproved' is not one of approved | approved_with_changes | declined\n",
    )
    assert "R02" in result.stdout and "pending" in result.stdout


def test_status_reports_every_config_problem_and_stops_at_an_unusable_study_yaml(small_study: Study) -> None:
    config = small_study.root / "config"
    (config / "study.yaml").write_text("study: {title: x, colour: blue}\n", encoding="utf-8")
    (config / "interview_guide.yaml").write_text("topics: {}\nquestions: []\nextra: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["status", "--study", str(small_study.root)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "problem: config/interview_guide.yaml: extra: unknown key; remove it or check its spelling\n"
        "error: config/study.yaml: study.colour: unknown key; remove it or check its spelling\n",
    )


def test_an_unexpected_error_in_status_names_the_study_log_that_holds_the_traceback(
    small_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise KeyError("boom in status")

    monkeypatch.setattr("flows.commands.status.study_status", broken)
    result = runner.invoke(app, ["status", "--study", str(small_study.root)])
    log = small_study.catalog.log_file
    assert (result.exit_code, result.stderr) == (
        2,
        f"unexpected error (KeyError); the traceback is in {log}; please report it\n",
    )
    text = log.read_text(encoding="utf-8")
    assert "ERROR interview_study: unexpected error in interview-study status\nTraceback (most recent call last):" in text
    assert text.rstrip().endswith("KeyError: 'boom in status'")


def test_an_unexpected_error_where_the_study_log_cannot_be_written_goes_to_the_user_log(
    small_study: Study, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("flows.commands.status.study_status", lambda *args: 1 / 0)
    (small_study.root / "out").write_text("a file where the output folder should be")
    result = runner.invoke(app, ["status", "--study", str(small_study.root)])
    log = tmp_path / "cache" / "interview-study" / "interview-study.log"
    assert (result.exit_code, result.stderr) == (
        2,
        f"unexpected error (ZeroDivisionError); the traceback is in {log}; please report it\n",
    )
    assert log.read_text(encoding="utf-8").rstrip().endswith("ZeroDivisionError: division by zero")


def test_an_unexpected_error_in_init_goes_to_the_user_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom in init")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("flows.commands.init.create_study", broken)
    result = runner.invoke(app, ["init", str(tmp_path / "new")])
    log = tmp_path / "cache" / "interview-study" / "interview-study.log"
    assert (result.exit_code, result.stderr) == (2, f"unexpected error (RuntimeError); the traceback is in {log}; please report it\n")
    text = log.read_text(encoding="utf-8")
    assert "ERROR interview_study: unexpected error in interview-study init\nTraceback (most recent call last):" in text
    assert text.rstrip().endswith("RuntimeError: boom in init")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache"]  # nothing in the current folder


def test_an_unexpected_error_in_export_names_the_study_log(
    small_study: Study, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("boom in export")

    monkeypatch.setattr("flows.commands.exchange.check_target", broken)
    result = runner.invoke(app, ["export", "qdpx", str(tmp_path / "study.qdpx"), "--study", str(small_study.root)])
    log = small_study.catalog.log_file
    assert (result.exit_code, result.stderr) == (2, f"unexpected error (ValueError); the traceback is in {log}; please report it\n")
    assert log.read_text(encoding="utf-8").rstrip().endswith("ValueError: boom in export")
