"""REFI-QDA exchange: project and codebook export (schema-valid, stable), import, round trip."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from typer.testing import CliRunner

from tasks.core.errors import InputError
from tasks.core.manifest import Manifest, save_manifest
from tasks.core.study import Study
from tasks.exchange.cases import variable_type
from tasks.exchange.common import PROJECT_NS, find_spans, load_approved, render_source, zip_bytes
from tasks.exchange.qdc_export import export_qdc
from tasks.exchange.qdpx_export import build_project, export_qdpx
from tasks.exchange.qdpx_import import import_qdpx
from tests.tasks.coded_study import CODINGS, write_coded_study
from tests.tasks.exchange.client_checks import client_problems

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
    assert [u.get("name") for u in root.findall("p:Users/p:User", NS)] == ["AB", "CD", "interview-study"]
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
    case = root.find("p:Cases/p:Case", NS)
    assert case is not None and case.get("name") == "R01"
    source = root.find("p:Sources/p:TextSource[@name='R01']", NS)
    assert source is not None and source.findtext("p:Description", namespaces=NS) == (
        "Approved transcript of R01 (approved on 2024-03-25): 4 segments, 30 min. Each line starts with its segment id."
    )
    assert [ref.get("targetGUID") for ref in case.findall("p:SourceRef", NS)] == [source.get("guid")]
    assert len(root.findall(".//p:PlainTextSelection", NS)) == 7
    assert len(root.findall(".//p:Coding", NS)) == len(CODINGS) == 8
    assert root.find("p:Sets", NS) is None
    link = root.find("p:Links/p:Link", NS)
    assert link is not None and (link.get("name"), link.get("direction")) == ("enables", "OneWay")
    notes = [n.findtext("p:PlainTextContent", namespaces=NS) for n in root.findall("p:Notes/p:Note", NS)]
    assert notes == ["mooi citaat", "een datateam maakt integraal werken mogelijk"]


def set_time(path: Path, moment: str) -> None:
    seconds = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC).timestamp()
    os.utime(path, (seconds, seconds))


def pin_record_times(study: Study) -> None:
    """Fixed times for the files the dates come from: the codebook and each codings file."""
    set_time(study.catalog.config_file("codebook.yaml"), "2024-03-01T08:00:00")
    set_time(study.catalog.coded("R01"), "2024-04-01T10:00:00")
    set_time(study.catalog.coded("R02"), "2024-04-02T11:30:00")


def made(element: etree._Element | None, users: dict[str | None, str | None]) -> tuple[str | None, ...]:
    assert element is not None
    return (
        users[element.get("creatingUser", element.get("creatingUserGUID"))],
        element.get("creationDateTime"),
        users[element.get("modifyingUser", element.get("modifyingUserGUID"))],
        element.get("modifiedDateTime"),
    )


def test_every_element_names_its_creator_and_dates_from_the_records(study: Study, tmp_path: Path) -> None:
    pin_record_times(study)
    root, _ = project_of(export_path(study, tmp_path))
    users = {u.get("guid"): u.get("name") for u in root.findall("p:Users/p:User", NS)} | {None: None}
    assert made(root, users) == ("interview-study", "2024-03-01T08:00:00Z", "interview-study", "2024-04-02T11:30:00Z")
    source = root.find("p:Sources/p:TextSource[@name='R01']", NS)
    assert made(source, users) == ("interview-study", "2024-03-25T00:00:00Z", "interview-study", "2024-03-25T00:00:00Z")
    selections = root.findall(".//p:TextSource[@name='R02']/p:PlainTextSelection", NS)
    assert [made(s, users) for s in selections] == [
        ("AB", "2024-04-02T11:30:00Z", "AB", "2024-04-02T11:30:00Z"),
        ("CD", "2024-04-02T11:30:00Z", "CD", "2024-04-02T11:30:00Z"),
        ("AB", "2024-04-02T11:30:00Z", "AB", "2024-04-02T11:30:00Z"),
    ]
    codings = root.findall(".//p:TextSource[@name='R01']/p:PlainTextSelection/p:Coding", NS)
    assert [(users[c.get("creatingUser")], c.get("creationDateTime")) for c in codings] == [
        ("AB", "2024-04-01T10:00:00Z"), ("CD", "2024-04-01T10:00:00Z"), ("CD", "2024-04-01T10:00:00Z"),
        ("AB", "2024-04-01T10:00:00Z"), ("CD", "2024-04-01T10:00:00Z"),
    ]
    notes = root.findall("p:Notes/p:Note", NS)
    assert [(n.get("name"), *made(n, users)) for n in notes] == [
        ("R01-0002 silos", "AB", "2024-04-01T10:00:00Z", "AB", "2024-04-01T10:00:00Z"),
        ("team enables silos", "interview-study", "2024-03-01T08:00:00Z", "interview-study", "2024-03-01T08:00:00Z"),
    ]


def test_a_source_is_created_when_transcribed_and_modified_when_approved(study: Study, tmp_path: Path) -> None:
    manifest = Manifest("transcription", "R01", "done", "", "fp", finished_at="2024-03-20T09:30:00+00:00")
    save_manifest(study, manifest)
    root, _ = project_of(export_path(study, tmp_path))
    source = root.find("p:Sources/p:TextSource[@name='R01']", NS)
    assert source is not None
    assert (source.get("creationDateTime"), source.get("modifiedDateTime")) == ("2024-03-20T09:30:00Z", "2024-03-25T00:00:00Z")


def test_variables_are_typed_and_cases_hold_their_values(study: Study, tmp_path: Path) -> None:
    root, _ = project_of(export_path(study, tmp_path))
    variables = root.findall("p:Variables/p:Variable", NS)
    assert [(v.get("name"), v.get("typeOfVariable")) for v in variables] == [
        ("channel", "Text"), ("interview_mode", "Text"), ("municipality_size", "Text"), ("role", "Text"),
        ("interview_date", "Date"), ("interview_minutes", "Integer"),
    ]
    assert variables[1].findtext("p:Description", namespaces=NS) == (
        "interview mode (recruitment.csv, column interview_mode): online, in_person"
    )
    case = root.find("p:Cases/p:Case[@name='R02']", NS)
    assert case is not None
    values = [(etree.QName(v[1]).localname, v[1].text) for v in case.findall("p:VariableValue", NS)]
    assert values == [
        ("TextValue", "municipality_email"), ("TextValue", "in_person"), ("TextValue", "small"),
        ("TextValue", "wmo"), ("DateValue", "2024-03-20"), ("IntegerValue", "30"),
    ]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["3", "12", "-4"], "Integer"),
        (["3", "2.5"], "Float"),
        (["2024-03-01", "2024-12-31"], "Date"),
        (["3", "drie"], "Text"),
        (["2024-3-1"], "Text"),
        (["3,5"], "Text"),
        ([], "Text"),
    ],
)
def test_kept_columns_are_typed_by_their_values(values: list[str], kind: str) -> None:
    assert variable_type(values) == kind


def test_a_re_export_of_unchanged_data_is_byte_identical(study: Study, tmp_path: Path) -> None:
    pin_record_times(study)
    export_qdpx(study, tmp_path / "one.qdpx")
    export_qdpx(Study.at(study.root), tmp_path / "two.qdpx")
    assert (tmp_path / "one.qdpx").read_bytes() == (tmp_path / "two.qdpx").read_bytes()
    set_time(study.catalog.coded("R02"), "2024-05-01T09:00:00")  # R02's codings saved again
    export_qdpx(Study.at(study.root), tmp_path / "three.qdpx")
    root, _ = project_of(tmp_path / "three.qdpx")
    selection = root.find(".//p:TextSource[@name='R02']/p:PlainTextSelection", NS)
    assert selection is not None and selection.get("creationDateTime") == "2024-05-01T09:00:00Z"
    assert root.get("modifiedDateTime") == "2024-05-01T09:00:00Z"


def test_our_export_meets_what_strict_clients_expect(study: Study) -> None:
    files, _ = build_project(study)
    assert client_problems(files) == []


def test_the_client_checks_find_what_clients_stumble_over(study: Study) -> None:
    files, _ = build_project(study)
    root = etree.fromstring(files["project.qde"])
    note = root.find("p:Notes/p:Note", NS)
    assert note is not None
    del note.attrib["creationDateTime"]
    codes = root.findall(".//p:Code", NS)
    codes[1].set("guid", codes[0].get("guid", ""))
    selection = root.find(".//p:PlainTextSelection", NS)
    assert selection is not None
    selection.set("endPosition", "9999")
    ref = selection.find("p:Coding/p:CodeRef", NS)
    assert ref is not None
    ref.set("targetGUID", "00000000-0000-0000-0000-000000000001")
    case = root.find("p:Cases/p:Case", NS)
    assert case is not None
    case.remove(case.findall("p:SourceRef", NS)[0])
    files["project.qde"] = etree.tostring(root)
    silos = "8f281f65-9a53-5ed6-a3d3-e17e6b7c5e9e"  # its Code now carries the category's GUID
    assert client_problems(files) == [
        "GUID 8fad1cc4-2387-57ac-9a5d-b9e5c10b4367 appears 2 times",
        "Note 32eae1e3-51f2-5d1a-a882-2899b110a564: no creationDateTime",
        "CodeRef 00000000-0000-0000-0000-000000000001: resolves to no Code",
        f"CodeRef {silos}: resolves to no Code",
        f"CodeRef {silos}: resolves to no Code",
        f"Link e3a6ac2f-c5b1-5b4d-9a99-d6c582e81dfc: targetGUID {silos} resolves to nothing",
        "TextSource R01: selection 0b713e4a-db17-5389-b1b1-f7b69e0531a0 72-9999 lies outside its 212 code points",
        "Case R01: no SourceRef",
    ]


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
{emergent}      </PlainTextSelection>
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


def foreign_project(tmp_path: Path, positions: dict[str, int], windows: str, emergent: str) -> Path:
    qde = FOREIGN.format(**positions, emergent=emergent).replace("{{", "{").replace("}}", "}")
    path = tmp_path / "atlas.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/A.txt", "\ufeff" + windows)
        archive.writestr("sources/B.txt", "no markers here")
    return path


def foreign_positions(study: Study) -> tuple[dict[str, int], str]:
    text, _ = render_source(load_approved(study, "R01"))
    windows = text.replace("\n", "\r\n")  # the other tool saved the text with Windows line ends
    shifted = find_spans(windows)
    positions = {
        "inner": shifted[3].start + 4, "inner_end": shifted[3].start + 12,
        "across": shifted[1].end - 3, "across_end": shifted[2].start + 2,
    }
    return positions, windows


def test_import_from_another_tool(study: Study, tmp_path: Path) -> None:
    positions, windows = foreign_positions(study)
    path = foreign_project(tmp_path, positions, windows, emergent="")
    report = import_qdpx(study, path, coder="XY")
    assert report.problems == []
    assert report.lines(study) == [
        "3 codings read for 1 respondents",
        "wrote codings/R01.csv",
        f"selection covers several segments, all coded: R01 characters {positions['across']}-{positions['across_end']} (R01-0002 to R01-0003)",
        "selection outside every segment, skipped: R01 characters 0-5",
        "source skipped: R02: its text is not the exported transcript and has no [segment] markers",
        "source skipped: 'Someone else': no approved transcript of a respondent with this name or case",
    ]
    assert study.catalog.codings("R01", ".csv").read_text(encoding="utf-8") == (
        "segment_id,code,coder,note\nR01-0002,granularity,XY,\nR01-0003,granularity,XY,\nR01-0004,team,EF,\n"
    )


EMERGENT = '        <Coding guid="55555555-0000-0000-0000-000000000002"><CodeRef targetGUID="11111111-0000-0000-0000-000000000002"/></Coding>\n'


def test_a_code_unknown_to_the_codebook_is_a_problem_and_nothing_is_written(study: Study, tmp_path: Path) -> None:
    positions, windows = foreign_positions(study)
    report = import_qdpx(study, foreign_project(tmp_path, positions, windows, EMERGENT), coder="XY")
    assert report.problems == [
        "atlas.qdpx: Code 11111111-0000-0000-0000-000000000002 'Emergent' is not in config/codebook.yaml "
        "(1 coding(s)); add it to the codebook, or recode those codings with a codebook code, and import again"
    ]
    assert report.lines(study)[0] == "atlas.qdpx: 1 problem(s), nothing written; fix them and import again"
    assert not study.catalog.codings("R01", ".csv").exists()
    from flows import commands  # noqa: F401 - registers the commands
    from flows.cli import app

    result = CliRunner().invoke(app, ["import", "qdpx", str(tmp_path / "atlas.qdpx"), "--study", str(study.root)])
    assert (result.exit_code, result.stderr.splitlines()) == (1, [f"error: {report.problems[0]}"])


def test_codings_that_name_no_known_code_or_user_are_problems(study: Study, tmp_path: Path) -> None:
    files, _ = build_project(study)
    root = etree.fromstring(files["project.qde"])
    codings = root.findall(".//p:TextSource[@name='R02']/p:PlainTextSelection/p:Coding", NS)
    refs = [coding.find("p:CodeRef", NS) for coding in codings]
    assert refs[0] is not None and refs[1] is not None
    refs[0].set("targetGUID", "00000000-0000-0000-0000-00000000000c")
    codings[1].remove(refs[1])
    codings[2].set("creatingUser", "00000000-0000-0000-0000-00000000000a")
    files["project.qde"] = etree.tostring(root)
    (tmp_path / "study.qdpx").write_bytes(zip_bytes(files))
    assert import_qdpx(study, tmp_path / "study.qdpx").problems == [
        "study.qdpx: 1 coding(s) name no code; export the project again",
        "study.qdpx: 1 coding(s) refer to code 00000000-0000-0000-0000-00000000000c, which is not in the "
        "project's CodeBook; export the project again",
        "study.qdpx: 1 coding(s) name user 00000000-0000-0000-0000-00000000000a, which is not among the "
        "project's Users; export the project again",
    ]


SILOS = "8f281f65-9a53-5ed6-a3d3-e17e6b7c5e9e"  # the fixture's code silos: uuid5 from the study, stable


def guid_of(qde: str, element: str, name: str) -> str:
    root = etree.fromstring(qde.encode("utf-8"))
    found = root.find(f".//p:{element}[@name='{name}']", NS)
    assert found is not None
    return found.get("guid", "")


def edited_export(study: Study, tmp_path: Path, edit: str) -> Path:
    """Our export of the fixture, changed as another tool (or a person) might have changed it."""
    files, _ = build_project(study)
    qde = files["project.qde"].decode("utf-8")
    ab, cd = guid_of(qde, "User", "AB"), guid_of(qde, "User", "CD")
    silos, team = guid_of(qde, "Code", "Over kokers heen"), guid_of(qde, "Code", "Datateam")
    r01 = next(name for name in files if name.endswith(".txt") and b"[R01-0001]" in files[name])
    if edit == "user guid":
        qde = qde.replace(cd, ab)
    elif edit == "user name":
        qde = qde.replace('name="CD"', 'name="AB"')
    elif edit == "code guid":
        qde = qde.replace(team, silos)
    elif edit == "code name":
        qde = qde.replace('name="Over kokers heen"', 'name="Samenwerken"')
    elif edit == "other respondent":
        files[r01] = files[r01].replace(b"[R01-0004]", b"[R02-0002]")
    elif edit == "unknown segment":
        files[r01] = files[r01].replace(b"[R01-0004]", b"[R01-0009]")
    files["project.qde"] = qde.encode("utf-8")
    path = tmp_path / "study.qdpx"
    path.write_bytes(zip_bytes(files))
    return path


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            "user guid",
            "study.qdpx: User {ab} is given to 2 users (AB, CD); "
            "give each coder their own user in the other tool and export again",
        ),
        (
            "user name",
            "study.qdpx: User name 'AB' belongs to 2 users ({ab}, {cd}); "
            "give each coder their own name in the other tool and export again",
        ),
        (
            "code guid",
            "study.qdpx: Code {silos} is given to 2 codes ('Over kokers heen', 'Datateam'); "
            "merge or delete the duplicates in the other tool and export again",
        ),
        (
            "code name",
            "study.qdpx: Code {silos} is named 'Samenwerken', but config/codebook.yaml gives this GUID to silos "
            "('Over kokers heen'); rename it back in the other tool, or rename the code in config/codebook.yaml, "
            "and import again",
        ),
        (
            "other respondent",
            "study.qdpx: source 'R01' (R01): selection {selection} covers segment R02-0002, which belongs to R02; "
            "code it in R02's source and export again",
        ),
        (
            "unknown segment",
            "study.qdpx: source 'R01' (R01): selection {selection} covers segment R01-0009, which is not in R01's "
            "approved transcript; export the study again and code the new sources",
        ),
    ],
)
def test_an_import_reports_instead_of_guessing(study: Study, tmp_path: Path, edit: str, problem: str) -> None:
    from flows import commands  # noqa: F401 - registers the commands
    from flows.cli import app

    path = edited_export(study, tmp_path, edit)
    qde = build_project(study)[0]["project.qde"].decode("utf-8")
    guids = {"ab": guid_of(qde, "User", "AB"), "cd": guid_of(qde, "User", "CD"), "silos": SILOS}
    # the selections of segment R01-0004, one per coder (AB, CD): each is reported
    r01 = etree.fromstring(qde.encode("utf-8")).findall(".//p:TextSource[@name='R01']/p:PlainTextSelection", NS)
    selections = [s.get("guid") for s in r01[-2:]] if "{selection}" in problem else [None]
    expected = [f"error: {problem.format(**guids, selection=guid)}" for guid in selections]
    before = sorted(study.catalog.codings_dir.glob("*"))
    result = CliRunner().invoke(app, ["import", "qdpx", str(path), "--study", str(study.root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected
    assert result.stdout.splitlines() == [
        f"study.qdpx: {len(expected)} problem(s), nothing written; fix them and import again"
    ]
    assert sorted(study.catalog.codings_dir.glob("*")) == before  # nothing merged, nothing written


def test_every_problem_is_listed_in_one_report(study: Study, tmp_path: Path) -> None:
    path = edited_export(study, tmp_path, "user guid")
    files = {}
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["project.qde"] = files["project.qde"].replace(b'name="Over kokers heen"', b'name="Samenwerken"')
    path.write_bytes(zip_bytes(files))
    report = import_qdpx(study, path)
    assert [line.split(":")[1].split()[0] for line in report.problems] == ["User", "Code"]
    assert report.lines(study)[0] == "study.qdpx: 2 problem(s), nothing written; fix them and import again"


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
