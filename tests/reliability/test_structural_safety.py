"""Structural safety: outputs never land on the study's inputs.

The output folder (study.output_dir) is a dedicated folder inside the study that holds no input,
and the export commands never write over an input, the pipeline's records, a folder, or an
existing file without --force. Every refusal is one line, checked here word for word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import flows.commands  # noqa: F401 - registers the commands
from flows.cli import app
from tasks.core.config import INPUT_NAMES
from tasks.core.errors import ConfigError
from tasks.core.scaffold import create_study
from tasks.core.study import Study

runner = CliRunner()
ADVICE = "name a dedicated folder such as out"
OUTSIDE = "must be a folder inside the study folder, such as 'out'"


def with_output_dir(root: Path, value: str) -> Study:
    """A fresh study from the templates whose study.yaml sets output_dir to `value`."""
    create_study(root)
    path = root / "config" / "study.yaml"
    text = path.read_text(encoding="utf-8")
    assert "output_dir: out" in text
    path.write_text(text.replace("output_dir: out", f"output_dir: {json.dumps(value)}", 1), encoding="utf-8")
    return Study.at(root)


# output_dir ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (".", f"'.' is the study folder itself; {ADVICE}"),
        ("./", f"'./' is the study folder itself; {ADVICE}"),
        ("", f"is empty; {ADVICE}"),
        ("  ", f"is empty; {ADVICE}"),
        ("..", f"{OUTSIDE} (got '..')"),
        ("../elsewhere", f"{OUTSIDE} (got '../elsewhere')"),
        ("out/../../elsewhere", f"{OUTSIDE} (got 'out/../../elsewhere')"),
        ("/tmp/out", f"{OUTSIDE} (got '/tmp/out')"),
        ("config", f"'config' is an input of the study; {ADVICE}"),
        ("./config/", f"'./config/' is an input of the study; {ADVICE}"),
        ("config/out", f"'config/out' lies inside config, an input of the study; {ADVICE}"),
        ("audio", f"'audio' is an input of the study; {ADVICE}"),
        ("AUDIO/out", f"'AUDIO/out' lies inside audio, an input of the study; {ADVICE}"),
        ("review", f"'review' is an input of the study; {ADVICE}"),
        ("review/returned", f"'review/returned' lies inside review, an input of the study; {ADVICE}"),
        ("Review/Returned/out", f"'Review/Returned/out' lies inside review, an input of the study; {ADVICE}"),
        ("codings", f"'codings' is an input of the study; {ADVICE}"),
        ("recruitment.csv", f"'recruitment.csv' is an input of the study; {ADVICE}"),
        ("Recruitment.XLSX", f"'Recruitment.XLSX' is an input of the study; {ADVICE}"),
        ("consent.csv", f"'consent.csv' is an input of the study; {ADVICE}"),
        ("reviews.csv", f"'reviews.csv' is an input of the study; {ADVICE}"),
        ("pseudonymisation_key.csv", f"'pseudonymisation_key.csv' is an input of the study; {ADVICE}"),
        (".prefect", f"'.prefect' is an input of the study; {ADVICE}"),
        (".Prefect/out", f"'.Prefect/out' lies inside .prefect, an input of the study; {ADVICE}"),
    ],
)
def test_output_dir_is_refused(tmp_path: Path, value: str, problem: str) -> None:
    study = with_output_dir(tmp_path / "s", value)
    with pytest.raises(ConfigError) as caught:
        study.config  # noqa: B018 - reading it validates it
    assert caught.value.message == f"config/study.yaml: study.output_dir: {problem}"


@pytest.mark.parametrize("name", INPUT_NAMES)
def test_every_input_name_is_refused_as_output_dir(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="an input of the study"):
        with_output_dir(tmp_path / "s", name).config  # noqa: B018


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("out", "out"),
        ("results-2024", "results-2024"),
        ("./out/", "out"),
        ("audio-results", "audio-results"),
        ("outputs/run1", "outputs/run1"),
    ],
)
def test_output_dir_is_accepted(tmp_path: Path, value: str, normalised: str) -> None:
    study = with_output_dir(tmp_path / "s", value)
    assert study.config.study.output_dir == normalised
    assert study.catalog.out == study.root / normalised


def test_the_cli_stops_on_a_bad_output_dir(tmp_path: Path) -> None:
    root = with_output_dir(tmp_path / "s", ".").root
    result = runner.invoke(app, ["export", "qdc", str(tmp_path / "c.qdc"), "--study", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: config/study.yaml: study.output_dir: '.' is the study folder itself; {ADVICE}\n"
    )
    assert not (tmp_path / "c.qdc").exists()


# export targets -----------------------------------------------------------------------------------
@pytest.fixture
def study(tmp_path: Path) -> Study:
    """A study from the templates, with a recording, a returned review and a few records."""
    create_study(tmp_path / "study")
    study = Study.at(tmp_path / "study")
    (study.root / "audio" / "R01.ogg").write_bytes(b"OggS recording")
    (study.root / "review" / "returned" / "R01.docx").write_bytes(b"PK returned review")
    (study.root / "codings" / "R01.csv").write_text("segment_id,code,coder\n", encoding="utf-8")
    (study.root / ".prefect").mkdir()
    (study.root / ".prefect" / "prefect.db").write_bytes(b"SQLite")
    (study.root / "pseudonymisation_key.csv").write_text("placeholder,name\n", encoding="utf-8")
    (study.catalog.out / ".state").mkdir(parents=True)
    (study.catalog.out / ".state" / "consent__R01.json").write_text("{}", encoding="utf-8")
    return study


def export(study: Study, kind: str, file: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["export", kind, file, "--study", str(study.root), *extra])
    return result.exit_code, result.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("kind", "example"), [("qdpx", "study.qdpx"), ("qdc", "codebook.qdc")])
def test_a_folder_is_refused(study: Study, tmp_path: Path, kind: str, example: str) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    assert export(study, kind, str(folder), "--force") == (
        1,
        f"error: {folder}: is a folder; name a file such as {example}\n",
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["qdpx", "qdc"])
def test_an_existing_file_is_kept_without_force(study: Study, tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"earlier.{kind}"
    target.write_bytes(b"an earlier export \x00\xff")
    assert export(study, kind, str(target)) == (1, f"error: {target}: exists; pass --force to replace it\n")
    assert target.read_bytes() == b"an earlier export \x00\xff"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


@pytest.mark.parametrize(
    "typed",
    [
        "consent.csv",
        "recruitment.csv",
        "reviews.csv",
        "pseudonymisation_key.csv",
        "config/study.yaml",
        "config/new.qdc",
        "audio/R01.ogg",
        "audio/export.qdpx",
        "review/returned/R01.docx",
        "review/study.qdpx",
        "codings/R01.csv",
        ".prefect/prefect.db",
        "CONSENT.CSV",
        "Audio/R01.ogg",
        "./config/../consent.csv",
        "audio",
    ],
)
@pytest.mark.parametrize("kind", ["qdpx", "qdc"])
def test_an_input_is_refused_even_with_force(
    study: Study, monkeypatch: pytest.MonkeyPatch, kind: str, typed: str
) -> None:
    monkeypatch.chdir(study.root)
    before = snapshot(study.root)
    shown = str(Path(typed))  # as the user typed it (the CLI reads a path)
    for extra in ((), ("--force",)):
        assert export(study, kind, typed, *extra) == (
            1,
            f"error: {shown}: is an input of the study; write the export elsewhere\n",
        )
    assert snapshot(study.root) == before


def test_an_input_is_refused_by_absolute_path_and_through_a_link(study: Study, tmp_path: Path) -> None:
    before = snapshot(study.root)
    consent = study.root / "consent.csv"
    assert export(study, "qdc", str(consent), "--force") == (
        1,
        f"error: {consent}: is an input of the study; write the export elsewhere\n",
    )
    link = tmp_path / "link.qdc"
    link.symlink_to(study.root / "config" / "study.yaml")
    assert export(study, "qdc", str(link), "--force") == (
        1,
        f"error: {link}: is an input of the study; write the export elsewhere\n",
    )
    assert snapshot(study.root) == before


@pytest.mark.parametrize(
    ("typed", "records"),
    [
        ("out/.state/consent__R01.json", "out/.state"),
        ("out/.state/new.qdpx", "out/.state"),
        (".state/x.qdpx", ".state"),
    ],
)
def test_the_pipeline_records_are_refused(
    study: Study, monkeypatch: pytest.MonkeyPatch, typed: str, records: str
) -> None:
    monkeypatch.chdir(study.root)
    before = snapshot(study.root)
    assert export(study, "qdpx", typed, "--force") == (
        1,
        f"error: {typed}: lies inside {records}, the pipeline's records; write the export elsewhere\n",
    )
    assert snapshot(study.root) == before


def test_force_replaces_an_existing_export(tmp_path: Path) -> None:
    from tests.tasks.coded_study import write_coded_study

    study = write_coded_study(tmp_path / "study")
    for kind, name in (("qdpx", "study.qdpx"), ("qdc", "codebook.qdc")):
        target = study.catalog.out / "exports" / name  # inside the output folder is fine
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"stale")
        result = runner.invoke(app, ["export", kind, str(target), "--study", str(study.root), "--force"])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"wrote {target}: ")
        assert target.read_bytes().startswith(b"PK" if kind == "qdpx" else b"<?xml")
