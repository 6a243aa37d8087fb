"""Aggregation on the hand-made study: n = 3 (R01, R02, R03); R04 withdrew, R05 is not coded yet.

R01: large, all_round, online, quotes, anonymised · R02: small, wmo, in person, quotes ·
R03: large, jeugd, online, no quotes. Every table is checked cell by cell, the report is read
back, and no personal value may appear anywhere under out/.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from tasks.core.files import write_text
from tests.tasks.coding_fixtures import NAMES, coded_study, fakes, run_aggregate, run_pipeline, write_study  # noqa: F401


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return coded_study(tmp_path_factory)


def result(root: Path, name: str) -> str:
    return (root / "out" / "results" / name).read_text(encoding="utf-8")


def test_code_frequencies_count_respondents_of_n(root: Path) -> None:
    assert result(root, "code_frequencies.csv") == (
        "category,category_name,code,code_name,respondents,n,share,segments\n"
        "org,Change in the organisation,silos,Working across silos,2,3,0.667,3\n"
        "org,Change in the organisation,language,Own language per domain,1,3,0.333,1\n"
        "work,Change in work,insight,Data gives insight,3,3,1.0,3\n"
        "work,Change in work,justify,Justifying choices,2,3,0.667,2\n"
        "skills,Competences,technical,Technical competences,2,3,0.667,2\n"
    )


def test_codes_by_respondent_count_segments(root: Path) -> None:
    assert result(root, "code_by_respondent.csv") == (
        "category,code,R01,R02,R03\n"
        "org,silos,2,0,1\n"
        "org,language,0,1,0\n"
        "work,insight,1,1,1\n"
        "work,justify,1,0,1\n"
        "skills,technical,1,1,0\n"
    )


def test_quotes_respect_consent_and_pseudonymise(root: Path) -> None:
    assert result(root, "quotes.csv") == (
        "code,segment_id,respondent_id,text,category,respondent,rank\n"
        'silos,R01-0002,R01,"I expected that we would work across silos, and [PERSOON-1] at [ORGANISATIE-1] said '
        'the same thing about data.",org,1,1\n'
        'silos,R01-0003,R01,"Data gives insight into problems in the neighbourhood, that was the hope for all of us.",org,1,2\n'
        'language,R02-0002,R02,"Every domain in [ORGANISATIE-1] has its own definition of a client, which confuses '
        'everybody here.",org,2,1\n'
        'insight,R02-0003,R02,"The data gives insight, but we must interpret it with care and context.",work,2,1\n'
        'insight,R01-0003,R01,"Data gives insight into problems in the neighbourhood, that was the hope for all of us.",work,1,2\n'
        "justify,R01-0005,R01,Now I read a dashboard every week and I justify choices with the figures we have.,work,1,1\n"
        "technical,R01-0005,R01,Now I read a dashboard every week and I justify choices with the figures we have.,skills,1,1\n"
        'technical,R02-0003,R02,"The data gives insight, but we must interpret it with care and context.",skills,2,2\n'
    )


def test_frequencies_by_attribute(root: Path) -> None:
    lines = result(root, "by_attribute.csv").splitlines()
    assert lines[0] == "attribute,value,n,category,code,respondents,share"
    assert lines[1:11] == [
        "municipality_size,small,1,org,silos,0,0.0",
        "municipality_size,small,1,org,language,1,1.0",
        "municipality_size,small,1,work,insight,1,1.0",
        "municipality_size,small,1,work,justify,0,0.0",
        "municipality_size,small,1,skills,technical,1,1.0",
        "municipality_size,large,2,org,silos,2,1.0",
        "municipality_size,large,2,org,language,0,0.0",
        "municipality_size,large,2,work,insight,2,1.0",
        "municipality_size,large,2,work,justify,2,1.0",
        "municipality_size,large,2,skills,technical,1,0.5",
    ]
    roles = [line.split(",")[1] + ":" + line.split(",")[4] + "=" + line.split(",")[5] for line in lines[11:26]]
    assert roles == [
        "all_round:silos=1", "all_round:language=0", "all_round:insight=1", "all_round:justify=1", "all_round:technical=1",
        "jeugd:silos=1", "jeugd:language=0", "jeugd:insight=1", "jeugd:justify=1", "jeugd:technical=0",
        "wmo:silos=0", "wmo:language=1", "wmo:insight=1", "wmo:justify=0", "wmo:technical=1",
    ]
    assert lines[26:] == [
        "interview_mode,online,2,org,silos,2,1.0",
        "interview_mode,online,2,org,language,0,0.0",
        "interview_mode,online,2,work,insight,2,1.0",
        "interview_mode,online,2,work,justify,2,1.0",
        "interview_mode,online,2,skills,technical,1,0.5",
        "interview_mode,in_person,1,org,silos,0,0.0",
        "interview_mode,in_person,1,org,language,1,1.0",
        "interview_mode,in_person,1,work,insight,1,1.0",
        "interview_mode,in_person,1,work,justify,0,0.0",
        "interview_mode,in_person,1,skills,technical,1,1.0",
    ]


def test_frequencies_by_question_and_phase(root: Path) -> None:
    assert result(root, "by_question.csv") == (
        "question_id,phase,topic,category,code,respondents,segments\n"
        "q1,before,t1,org,silos,2,3\n"
        "q1,before,t1,org,language,1,1\n"
        "q1,before,t1,work,insight,2,2\n"
        "q1,before,t1,work,justify,0,0\n"
        "q1,before,t1,skills,technical,0,0\n"
        "q2,now,t1,org,silos,0,0\n"
        "q2,now,t1,org,language,0,0\n"
        "q2,now,t1,work,insight,1,1\n"
        "q2,now,t1,work,justify,2,2\n"
        "q2,now,t1,skills,technical,2,2\n"
    )
    assert result(root, "by_phase.csv") == (
        "category,code,phase,respondents,segments\n"
        "org,silos,before,2,3\n"
        "org,silos,now,0,0\n"
        "org,language,before,1,1\n"
        "org,language,now,0,0\n"
        "work,insight,before,2,2\n"
        "work,insight,now,1,1\n"
        "work,justify,before,0,0\n"
        "work,justify,now,2,2\n"
        "skills,technical,before,0,0\n"
        "skills,technical,now,2,2\n"
    )


def test_who_was_left_out_and_why(root: Path) -> None:
    assert result(root, "left_out.csv") == (
        "respondent_id,reason\nR04,withdrawn on 2024-03-01\nR05,open coding is waiting\n"
    )


def test_the_workbook_has_one_sheet_per_table_readable_as_it_opens(root: Path) -> None:
    book = openpyxl.load_workbook(root / "out" / "results" / "results.xlsx")
    assert book.sheetnames == [
        "Code frequencies", "Codes by respondent", "Quotes", "By attribute", "By question", "By phase", "Left out",
    ]
    sheet = book["Code frequencies"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Category", "Category name", "Code", "Code name", "Respondents", "n", "Share", "Segments"]
    assert rows[3] == ["work", "Change in work", "insight", "Data gives insight", 3, 3, 1, 3]
    assert len(rows) == 6
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:H6")
    assert all(cell.font.b and cell.fill.fgColor.rgb == "00DDEBF7" for cell in sheet[1])
    assert [sheet[f"G{row}"].number_format for row in range(2, 7)] == ["0.0%"] * 5
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABDG"}
    assert widths == {"A": 12, "B": 28, "D": 25, "G": 9}  # the longest text (or header, with its filter) + 2
    by_attribute = [list(row) for row in book["By attribute"].iter_rows(values_only=True)]
    assert by_attribute[0] == ["Attribute", "Value", "n", "Category", "Code", "Respondents", "Share"]
    assert by_attribute[26][:2] == ["interview mode", "online"] and by_attribute[31][:2] == ["interview mode", "in person"]
    assert book["By attribute"]["G2"].number_format == "0.0%"
    assert [list(row) for row in book["Left out"].iter_rows(values_only=True)] == [
        ["Respondent id", "Reason"], ["R04", "withdrawn on 1 March 2024"], ["R05", "open coding is waiting"],
    ]


def blocks(path: Path) -> list[tuple[str, object]]:
    document = docx.Document(str(path))
    found: list[tuple[str, object]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            found.append((block.style.name if block.style is not None else "", block.text))
        elif isinstance(block, Table):
            found.append(("table", [[cell.text for cell in row.cells] for row in block.rows]))
    return found


def test_the_report_reads_like_the_thesis(root: Path) -> None:
    report = blocks(root / "out" / "results" / "report.docx")
    headings = [text for style, text in report if style.startswith("Heading") or style == "Title"]
    assert headings == [
        "Results: Data-driven steering", "Method", "Methods appendix (COREQ)", "Intercoder agreement",
        "Respondents left out", "Core category", "Results per category",
        "Change in work", "Change in the organisation", "Competences", "By respondent attribute",
        "Municipality size", "Role", "Interview mode", "Expectations and now", "Figures",
    ]
    texts = [text for _, text in report if isinstance(text, str)]
    assert texts[2] == (
        "n = 3 respondents: consent recorded, transcript approved in the member check, not withdrawn, open coding done."
    )
    assert texts[3] == (
        "Recruitment: 6 contacted, 5 responded. Channels of the respondents included: linkedin 1, "
        "municipality email 1, network 1. Interview mode: online 2, in person 1."
    )
    assert texts[4] == "Interviews held from 10 January 2024 to 15 January 2024."
    assert [text for style, text in report if style == "List Bullet"][-2:] == [
        "R04: withdrawn on 1 March 2024", "R05: open coding is waiting",
    ]
    assert "Core category: Change in work. Proposed as the most connected category: 4 segments shared with 2 " \
        "other categories, 3 codebook relations." in texts
    tables = [rows for style, rows in report if style == "table"][1:]  # the first: intercoder agreement
    assert tables[:3] == [
        [["Code", "Respondents", "Segments"], ["Data gives insight", "3 of n=3", "3"], ["Justifying choices", "2 of n=3", "2"]],
        [["Code", "Respondents", "Segments"], ["Working across silos", "2 of n=3", "3"],
         ["Own language per domain", "1 of n=3", "1"]],
        [["Code", "Respondents", "Segments"], ["Technical competences", "2 of n=3", "2"]],
    ]
    assert tables[3] == [
        ["Code", "small (n=1)", "large (n=2)"], ["Working across silos", "0", "2"], ["Own language per domain", "1", "0"],
        ["Data gives insight", "1", "2"], ["Justifying choices", "0", "2"], ["Technical competences", "1", "1"],
    ]
    assert tables[-1][0] == ["Code", "Before", "Now"] and tables[-1][4] == ["Justifying choices", "0", "2"]
    quotes = [text for style, text in report if style == "Quote"]
    assert quotes[:3] == [  # a segment already quoted under an earlier code (silos) comes last
        'Respondent 2: "The data gives insight, but we must interpret it with care and context."',
        'Respondent 1: "Data gives insight into problems in the neighbourhood, that was the hope for all of us."',
        'Respondent 1: "Now I read a dashboard every week and I justify choices with the figures we have."',
    ]
    assert len(quotes) == 8 and all(q.startswith(("Respondent 1: ", "Respondent 2: ")) for q in quotes)
    pictures = docx.Document(str(root / "out" / "results" / "report.docx")).inline_shapes
    assert len(pictures) == 2


def everything_under(folder: Path, skip: str = "") -> str:
    """The text of every file (but `skip`), with .docx and .xlsx unzipped, for a privacy scan."""
    parts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != skip):
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        else:
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def test_no_personal_values_or_withdrawn_words_anywhere_in_the_results(root: Path) -> None:
    review = root / "out" / "results" / "pseudonymisation_review.csv"  # the researcher's check of what was replaced
    assert "withdrawn words" not in review.read_text(encoding="utf-8").lower()
    for folder in ("results", "06_axial", "07_selective"):
        text = everything_under(root / "out" / folder, skip=review.name).lower()
        assert [name for name in NAMES if name.lower() in text] == []
        assert "withdrawn words" not in text and "silos of the social domain" not in text


def test_recoding_one_respondent_changes_only_its_numbers(tmp_path: Path, fakes: dict) -> None:  # noqa: F811
    root = tmp_path / "study"
    write_study(root)
    run_pipeline(root)
    before = {name: result(root, name) for name in ("code_frequencies.csv", "code_by_respondent.csv")}
    calls = {name: stage.calls for name, stage in fakes.items()}
    codings = (root / "codings" / "R03.csv").read_text(encoding="utf-8")
    write_text(root / "codings" / "R03.csv", codings + "R03-0002;technical;AB\n")

    manifests = run_aggregate(root)

    assert {name: stage.calls for name, stage in fakes.items()} == calls  # no transcription or review ran
    ran = sorted(key for key, m in manifests.items() if m.fingerprint and not m.reused)
    assert ran == ["aggregation", "axial_coding", "open_coding/R03", "selective_coding"]
    changed = [
        (old, new)
        for old, new in zip(before["code_frequencies.csv"].splitlines(), result(root, "code_frequencies.csv").splitlines())
        if old != new
    ]
    assert changed == [
        (
            "skills,Competences,technical,Technical competences,2,3,0.667,2",
            "skills,Competences,technical,Technical competences,3,3,1.0,3",
        )
    ]
    assert result(root, "code_by_respondent.csv") == before["code_by_respondent.csv"].replace(
        "skills,technical,1,1,0", "skills,technical,1,1,1"
    )
    again = run_aggregate(root)
    assert [key for key, m in again.items() if m.fingerprint and not m.reused] == []


@pytest.mark.slow
def test_the_aggregate_flow_reruns_open_coding_of_recoded_respondents_only(
    tmp_path: Path, fakes: dict, prefect_harness: None  # noqa: F811
) -> None:
    from flows.study import aggregate_pipeline

    root = tmp_path / "study"
    write_study(root)
    run_pipeline(root)
    codings = (root / "codings" / "R03.csv").read_text(encoding="utf-8")
    write_text(root / "codings" / "R03.csv", codings + "R03-0002;technical;AB\n")
    results = aggregate_pipeline(str(root))
    assert [(r["stage"], r["respondent_id"], r["ran"], r["status"]) for r in results] == [
        ("open_coding", "R03", True, "done"),
        ("axial_coding", "_study", True, "done"),
        ("selective_coding", "_study", True, "done"),
        ("aggregation", "_study", True, "done"),
    ]
    assert fakes["transcription"].calls == fakes["review"].calls == 4  # only from the first run
    assert "skills,Competences,technical,Technical competences,3,3,1.0,3" in result(root, "code_frequencies.csv")
