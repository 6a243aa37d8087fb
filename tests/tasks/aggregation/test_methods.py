"""The methods appendix: COREQ items answered from the records, the rest marked for the researcher."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from tasks.core.study import Study
from tasks.aggregation.methods import methods_document, write_methods
from tests.tasks.coded_study import write_coded_study


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return write_coded_study(tmp_path / "study")


def answers(document: docx.document.Document) -> dict[str, list[str]]:
    """Paragraphs under each COREQ item heading ('12. Sample size' -> its paragraphs)."""
    found: dict[str, list[str]] = {}
    current = ""
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Heading 3":
            current = paragraph.text
            found[current] = []
        elif style.startswith("Heading"):
            current = ""
        elif current:
            found[current].append(paragraph.text)
    return found


def test_items_the_records_answer(study: Study) -> None:
    items = answers(methods_document(study, ["R01", "R02"]))
    assert len(items) == 32
    assert items["12. Sample size"] == ["3 interviews were held; 2 participants are in the analysis (n = 2): R01, R02."]
    assert items["13. Non-participation"][:4] == [
        "Did not respond to the invitation: 1.",
        "Refused recording or transcription: none.",
        "Withdrew (date): R03 (2 April 2024).",
        "Withheld consent after reading the transcript (date): none.",
    ]
    assert items["11. Method of approach"][0] == (
        "Interviewees by recruitment channel: linkedin (1), municipality email (1), network (1)."
    )
    assert items["14. Setting of data collection"][0] == "Interview mode: in person (1), online (1)."
    assert items["16. Description of sample"] == [
        "Municipality size: large (1), small (1). Role: allround (1), wmo (1).",
        "Interviews held between 15 March 2024 and 20 March 2024.",
    ]
    assert items["21. Duration"] == [
        "Recording length in minutes: median 30, range 30–30 (n = 2).",
        "R01: 30 min; R02: 30 min.",
    ]
    assert items["23. Transcripts returned"] == [
        (
            "Transcripts were returned to the participants for comment and correction (member check). "
            "Decisions recorded: approved (1), approved with changes (1)."
        )
    ]
    assert items["24. Number of data coders"] == [
        "Number of coders: 2.",
        (
            "2 transcript(s) were coded independently by two coders (7 segments, 3 codes used): percent agreement "
            "90.5%, Cohen's kappa 0.69, Krippendorff's alpha 0.70 (segment × code, nominal); per code in agreement.csv."
        ),
    ]
    assert items["29. Quotations presented"][0].startswith(
        "Quotations are identified by segment id (participant number and segment number, e.g. R01-0004). "
        "2 of 2 participants allowed quotation; 1 asked for anonymity"
    )


def test_coding_tree_counts_participants(study: Study) -> None:
    table = methods_document(study, ["R01", "R02"]).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Category", "Code", "Participants"],
        ["Organisatie", "Over kokers heen", "2 of n=2"],
        ["Organisatie", "Datateam", "1 of n=2"],
        ["Kwaliteit van data", "Granulariteit", "1 of n=2"],
        ["Kwaliteit van data", "Ongebruikt", "0 of n=2"],
    ]


def test_the_rest_is_marked_for_the_researcher(study: Study) -> None:
    document = methods_document(study, ["R01", "R02"])
    items = answers(document)
    assert items["4. Gender"] == ["[TO BE COMPLETED BY THE RESEARCHER: the researcher's gender]"]
    marked = [p for p in document.paragraphs if p.text.startswith("[TO BE COMPLETED")]
    assert len(marked) == 23
    assert all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for p in marked for run in p.runs)


def test_single_coder_and_no_personal_data(study: Study) -> None:
    for path in study.catalog.stage_dir("open_coding").glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(line for line in lines if ",CD," not in line) + "\n", encoding="utf-8")
    path = write_methods(study, ["R01", "R02"])
    assert study.catalog.relative(path) == "out/results/methods.docx"
    document = docx.Document(str(path))
    items = answers(document)
    assert items["24. Number of data coders"] == [
        "Number of coders: 1.",
        "No transcript was coded by two coders; no agreement computed.",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    for personal in ("Jan", "Piet", "Kees", "Anna", "voorbeeld", "Gemeente"):
        assert personal not in text
