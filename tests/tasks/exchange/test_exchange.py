"""REFI-QDA exchange: project and codebook export (schema-valid, stable), import, round trip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from typer.testing import CliRunner

from tasks.core.errors import InputError
from tasks.core.study import Study
from tasks.exchange.common import PROJECT_NS, find_spans, load_approved, render_source
from tasks.exchange.qdc_export import export_qdc
from tasks.exchange.qdpx_export import build_project, export_qdpx, zip_bytes
from tasks.exchange.qdpx_import import import_qdpx
from tests.tasks.coded_study import CODINGS, write_coded_study

SHARED = Path(__file__).resolve().parents[4] / "shared" / "refi-qda"
BUNDLED = Path(__file__).resolve().parents[3] / "tasks" / "exchange" / "schemas"
NS = {"p": PROJECT_NS}


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return write_coded_study(tmp_path / "study")


def assert_valid(data: bytes, schema: str) -> etree._Element:
    document = etree.parse(io.BytesIO(data))
    folders = [folder for folder in (BUNDLED, SHARED) if (folder / schema).is_file()]
    assert folders, "no schema to validate against"
    for folder in folders:
        checker = etree.XMLSchema(etree.parse(str(folder / schema)))
        assert checker.validate(document), checker.error_log
    return document.getroot()


def project_of(path: Path) -> tuple[etree._Element, dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return assert_valid(files["project.qde"], "Project.xsd"), files


def test_bundled_schemas_are_the_shared_ones() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is not part of this checkout")
    for name in ("Project.xsd", "Codebook.xsd"):
        assert (BUNDLED / name).read_bytes() == (SHARED / name).read_bytes()


def test_source_text_marks_segments_and_spans_are_code_points(study: Study) -> None:
    text, spans = render_source(load_approved(study, "R01"))
    assert text.splitlines()[1] == "[R01-0002] respondent: We werken integraal, über alle kokers heen 🙂."
    assert text.splitlines()[3] == "[R01-0004] respondent: Het datateam is klein. Maar goed."
    assert [(s.segment_id, s.start, s.end) for s in spans] == [
        ("R01-0001", 24, 48), ("R01-0002", 72, 117), ("R01-0003", 142, 154), ("R01-0004", 178, 211),
    ]
    assert text[72:117] == "We werken integraal, über alle kokers heen 🙂."
    assert find_spans(text) == spans
    assert find_spans(text.replace("\n", "\r\n"))[1].start == 73


def test_project_export_is_valid_and_complete(study: Study, tmp_path: Path) -> None:
    summary = export_qdpx(study, tmp_path / "study.qdpx")
    assert summary.line() == "2 transcripts, 4 codes, 8 codings by 2 coder(s)"
    root, files = project_of(tmp_path / "study.qdpx")
    assert sorted(files) == [
        "project.qde",
        "sources/420c07f8-adc5-5f25-91c5-043eb761653e.txt",
        "sources/85d4407c-bfa8-5b5c-b2e4-4a9f0246625d.txt",
    ]
    assert [u.get("name") for u in root.findall("p:Users/p:User", NS)] == ["AB", "CD"]
    categories = root.findall("p:CodeBook/p:Codes/p:Code", NS)
    assert [(c.get("name"), c.get("isCodable")) for c in categories] == [
        ("Organisatie", "false"), ("Kwaliteit van data", "false"),
    ]
    codes = categories[0].findall("p:Code", NS)
    assert [(c.get("name"), c.get("isCodable"), c.findtext("p:Description", namespaces=NS)) for c in codes] == [
        ("Over kokers heen", "true", "Samenwerken over domeinen heen."),
        ("Datateam", "true", "Een team van analisten."),
    ]
    assert categories[1].find("p:Description", NS) is None  # an empty definition is left out
    assert [v.get("name") for v in root.findall("p:Variables/p:Variable", NS)] == [
        "channel", "interview_mode", "municipality_size", "role",
    ]
    case = root.find("p:Cases/p:Case", NS)
    assert case is not None and case.get("name") == "R01"
    assert [v.findtext("p:TextValue", namespaces=NS) for v in case.findall("p:VariableValue", NS)] == [
        "linkedin", "online", "large", "allround",
    ]
    assert len(root.findall(".//p:PlainTextSelection", NS)) == 7
    assert len(root.findall(".//p:Coding", NS)) == len(CODINGS) == 8
    assert root.find("p:Sets", NS) is None
    link = root.find("p:Links/p:Link", NS)
    assert link is not None and (link.get("name"), link.get("direction")) == ("enables", "OneWay")
    notes = [n.findtext("p:PlainTextContent", namespaces=NS) for n in root.findall("p:Notes/p:Note", NS)]
    assert notes == ["mooi citaat", "een datateam maakt integraal werken mogelijk"]


def test_selections_cover_exactly_the_segment_text(study: Study, tmp_path: Path) -> None:
    export_qdpx(study, tmp_path / "study.qdpx")
    root, files = project_of(tmp_path / "study.qdpx")
    source = root.find("p:Sources/p:TextSource[@name='R01']", NS)
    assert source is not None
    text = files["sources/" + source.get("plainTextPath", "").removeprefix("internal://")].decode("utf-8")
    picked = [
        (s.get("name"), text[int(s.get("startPosition", "")) : int(s.get("endPosition", ""))])
        for s in source.findall("p:PlainTextSelection", NS)
    ]
    assert picked[0] == ("R01-0002", "We werken integraal, über alle kokers heen 🙂.")
    assert picked[2] == ("R01-0004", "Het datateam is klein. Maar goed.")


def test_personal_data_never_leaves_in_an_export(study: Study, tmp_path: Path) -> None:
    export_qdpx(study, tmp_path / "study.qdpx")
    data = (tmp_path / "study.qdpx").read_bytes()
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    for personal in ("Piet", "Pieters", "Jansen", "voorbeeld.invalid", "Gemeente Aa", "R03"):
        assert personal not in everything
    assert "zegt [PERSOON-1]." in everything
    assert data == zip_bytes(build_project(study)[0])  # stable: same study, same bytes


def test_guids_are_stable_across_exports(study: Study, tmp_path: Path) -> None:
    export_qdpx(study, tmp_path / "one.qdpx")
    export_qdpx(Study.at(study.root), tmp_path / "two.qdpx")
    assert (tmp_path / "one.qdpx").read_bytes() == (tmp_path / "two.qdpx").read_bytes()
    root, _ = project_of(tmp_path / "one.qdpx")
    code = root.find(".//p:Code[@name='Over kokers heen']", NS)
    assert code is not None and code.get("guid") == "8f281f65-9a53-5ed6-a3d3-e17e6b7c5e9e"


def test_codebook_export_is_valid(study: Study, tmp_path: Path) -> None:
    assert export_qdc(study, tmp_path / "codebook.qdc") == 4
    root = assert_valid((tmp_path / "codebook.qdc").read_bytes(), "Codebook.xsd")
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    assert [c.get("name") for c in root.findall("c:Codes/c:Code/c:Code", ns)] == [
        "Over kokers heen", "Datateam", "Granulariteit", "Ongebruikt",
    ]
    assert root.find("c:Sets", ns) is None
    project, _ = project_of(export_path(study, tmp_path))
    same = project.find(".//p:Code[@name='Datateam']", NS)
    assert same is not None and same.get("guid") == root.findall("c:Codes/c:Code/c:Code", ns)[1].get("guid")


def export_path(study: Study, tmp_path: Path) -> Path:
    export_qdpx(study, tmp_path / "study.qdpx")
    return tmp_path / "study.qdpx"


def test_export_without_approved_transcripts_is_refused(tmp_path: Path) -> None:
    study = write_coded_study(tmp_path / "s")
    for path in (study.root / "out" / "04_review" / "approved").iterdir():
        path.unlink()
    with pytest.raises(InputError) as caught:
        export_qdpx(study, tmp_path / "x.qdpx")
    assert caught.value.message == (
        "out/04_review/approved: no approved transcripts to export; run 'interview-study run' first"
    )


def test_round_trip_gives_identical_codings(study: Study, tmp_path: Path) -> None:
    from tasks.open_coding.stage import CodeLookup, normalised, table_codings

    export_qdpx(study, tmp_path / "study.qdpx")
    report = import_qdpx(study, tmp_path / "study.qdpx")
    assert report.lines(study) == [
        "8 codings read for 2 respondents", "wrote codings/R01.csv", "wrote codings/R02.csv",
    ]
    before = pd.concat([pd.read_csv(study.catalog.stage_dir("open_coding") / f"{r}.csv", dtype=str, keep_default_na=False) for r in ("R01", "R02")])
    after = []
    for rid in ("R01", "R02"):
        path = study.catalog.codings(rid, ".csv")
        codings = table_codings(path, path.name, load_approved(study, rid), CodeLookup(study.codebook))
        after.append(normalised(rid, codings))
    key = ["respondent_id", "segment_id", "code", "coder", "note"]
    assert pd.concat(after)[key].sort_values(key).values.tolist() == before[key].sort_values(key).values.tolist()
    again = import_qdpx(study, tmp_path / "study.qdpx")
    assert again.lines(study)[1:] == ["unchanged codings/R01.csv", "unchanged codings/R02.csv"]


def test_a_different_researcher_file_is_never_overwritten(study: Study, tmp_path: Path) -> None:
    export_qdpx(study, tmp_path / "study.qdpx")
    mine = study.catalog.codings("R01", ".csv")
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("segment_id;code;coder\nR01-0001;team;AB\n", encoding="utf-8")
    report = import_qdpx(study, tmp_path / "study.qdpx")
    assert mine.read_text(encoding="utf-8") == "segment_id;code;coder\nR01-0001;team;AB\n"
    assert report.lines(study)[2] == (
        "kept your codings/R01.csv; the import is in codings/R01.qdpx.csv: merge it by hand or rerun with --replace"
    )
    assert study.catalog.codings("R01", ".qdpx.csv").read_text(encoding="utf-8").splitlines()[1] == "R01-0002,silos,AB,mooi citaat"
    import_qdpx(study, tmp_path / "study.qdpx", replace=True)
    assert mine.read_text(encoding="utf-8").splitlines()[1] == "R01-0002,silos,AB,mooi citaat"


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="from ATLAS.ti">
  <Users><User guid="{{AAAAAAAA-0000-0000-0000-000000000001}}" name="EF"/></Users>
  <CodeBook><Codes>
    <Code guid="11111111-0000-0000-0000-000000000001" name="datateam" isCodable="true"/>
    <Code guid="11111111-0000-0000-0000-000000000002" name="Emergent" isCodable="true"/>
    <Code guid="11111111-0000-0000-0000-000000000003" name="GRANULARITY" isCodable="true"/>
  </Codes></CodeBook>
  <Cases><Case guid="22222222-0000-0000-0000-000000000001" name="R02">
    <SourceRef targetGUID="33333333-0000-0000-0000-000000000002"/></Case></Cases>
  <Sources>
    <TextSource guid="33333333-0000-0000-0000-000000000001" name="R01.docx" plainTextPath="internal://A.txt">
      <PlainTextSelection guid="44444444-0000-0000-0000-000000000001" startPosition="{inner}" endPosition="{inner_end}" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
        <Coding guid="55555555-0000-0000-0000-000000000001"><CodeRef targetGUID="11111111-0000-0000-0000-000000000001"/></Coding>
        <Coding guid="55555555-0000-0000-0000-000000000002"><CodeRef targetGUID="11111111-0000-0000-0000-000000000002"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="44444444-0000-0000-0000-000000000002" startPosition="{across}" endPosition="{across_end}">
        <Coding guid="55555555-0000-0000-0000-000000000003"><CodeRef targetGUID="11111111-0000-0000-0000-000000000003"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="44444444-0000-0000-0000-000000000003" startPosition="0" endPosition="5">
        <Coding guid="55555555-0000-0000-0000-000000000004"><CodeRef targetGUID="11111111-0000-0000-0000-000000000003"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="33333333-0000-0000-0000-000000000002" name="Interview two" plainTextPath="internal://B.txt"/>
    <TextSource guid="33333333-0000-0000-0000-000000000003" name="Someone else"><PlainTextContent>x</PlainTextContent></TextSource>
  </Sources>
</Project>
"""


def test_import_from_another_tool(study: Study, tmp_path: Path) -> None:
    text, _ = render_source(load_approved(study, "R01"))
    windows = text.replace("\n", "\r\n")  # the other tool saved the text with Windows line ends
    shifted = find_spans(windows)
    positions = {
        "inner": shifted[3].start + 4, "inner_end": shifted[3].start + 12,
        "across": shifted[1].end - 3, "across_end": shifted[2].start + 2,
    }
    qde = FOREIGN.format(**positions).replace("{{", "{").replace("}}", "}")
    path = tmp_path / "atlas.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/A.txt", "\ufeff" + windows)
        archive.writestr("sources/B.txt", "no markers here")
    report = import_qdpx(study, path, coder="XY")
    assert report.lines(study) == [
        "3 codings read for 1 respondents",
        "wrote codings/R01.csv",
        "code not in config/codebook.yaml, 1 coding(s) skipped: Emergent",
        f"selection covers several segments, all coded: R01 characters {positions['across']}-{positions['across_end']} (R01-0002 to R01-0003)",
        "selection outside every segment, skipped: R01 characters 0-5",
        "source skipped: R02: its text is not the exported transcript and has no [segment] markers",
        "source skipped: 'Someone else': no approved transcript of a respondent with this name or case",
    ]
    assert study.catalog.codings("R01", ".csv").read_text(encoding="utf-8") == (
        "segment_id,code,coder,note\nR01-0002,granularity,XY,\nR01-0003,granularity,XY,\nR01-0004,team,EF,\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "bad.qdpx: not a .qdpx (zip) file; export the project as REFI-QDA (.qdpx)"),
        (None, "bad.qdpx: no project.qde inside; export the project as REFI-QDA (.qdpx)"),
        (b"<Project", "bad.qdpx: project.qde line 1: not well-formed XML; export it again"),
    ],
)
def test_unreadable_projects_are_one_line_errors(study: Study, tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.qdpx"
    if content == b"not a zip":
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("project.qde" if content else "readme.txt", content or b"")
    with pytest.raises(InputError) as caught:
        import_qdpx(study, path)
    assert caught.value.message == message


def test_cli_export_and_import(study: Study, tmp_path: Path) -> None:
    from flows import commands  # noqa: F401 - registers the commands
    from flows.cli import app

    runner = CliRunner()
    target = tmp_path / "out.qdpx"
    result = runner.invoke(app, ["export", "qdpx", str(target), "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {target}: 2 transcripts, 4 codes, 8 codings by 2 coder(s)")
    result = runner.invoke(app, ["export", "qdc", str(tmp_path / "c.qdc"), "--study", str(study.root)])
    assert result.output.strip().endswith(": 4 codes")
    result = runner.invoke(app, ["import", "qdpx", str(target), "--study", str(study.root)])
    assert result.output.splitlines()[:2] == ["8 codings read for 2 respondents", "wrote codings/R01.csv"]
    result = runner.invoke(app, ["import", "qdpx", str(tmp_path / "missing.qdpx"), "--study", str(study.root)])
    assert result.exit_code == 1
