"""The documents as a reader sees them: report.docx, methods.docx and a review document rendered to
PDF by LibreOffice, read back with pdftotext. A Dutch study (the example's codebook, vocabularies
and attributes) reads Dutch, an English one English; pages are A4; no code name of the example's
codebook is broken inside a table cell. Skipped where LibreOffice or poppler is not installed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from tasks.aggregation.methods import methods_document
from tasks.aggregation.report import Method, ReportInput, build_report
from tasks.aggregation.rigour import Agreement
from tasks.analysis.plots import frequency_chart, heatmap
from tasks.core.config import Codebook, StudyConfig, load_model
from tasks.core.texts import Texts, readable
from tasks.core.transcripts import Segment, Transcript
from tasks.core.wordml import build_segment_document
from tasks.review.export import review_document
from tests.tasks.coded_study import write_coded_study

ROOT = Path(__file__).resolve().parents[3]
CODEBOOK = load_model(ROOT / "config" / "codebook.yaml", Codebook, "config/codebook.yaml")
CONFIG = load_model(ROOT / "config" / "study.yaml", StudyConfig, "config/study.yaml")
TOOLS = ("soffice", "pdftotext", "pdfinfo")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        any(shutil.which(tool) is None for tool in TOOLS),
        reason="needs LibreOffice and poppler: apt-get install libreoffice-writer poppler-utils",
    ),
]
DUTCH_HEADINGS = [
    "Resultaten: ", "Methode", "Methodologische bijlage (COREQ)", "Overeenstemming tussen codeurs",
    "Niet meegetelde respondenten", "Kerncategorie", "Resultaten per categorie", "Naar kenmerk van de respondent",
    "Gemeentegrootte", "Rol", "Interviewvorm", "Verwachtingen en nu", "Figuren",
]
ENGLISH_HEADINGS = [
    "Results: ", "Method", "Methods appendix (COREQ)", "Intercoder agreement", "Respondents left out",
    "Core category", "Results per category", "By respondent attribute", "Municipality size", "Role",
    "Interview mode", "Expectations and now", "Figures",
]


def report_input(language: str) -> ReportInput:
    """The example's codebook and vocabularies with made-up counts for 13 respondents."""
    tx = Texts(language)
    codes = CODEBOOK.codes()
    frequencies = pd.DataFrame(
        [(cat.id, cat.name, code.id, code.name, 1 + i % 13, 13, 0.5, 2 + i) for i, (cat, code) in enumerate(codes)],
        columns=["category", "category_name", "code", "code_name", "respondents", "n", "share", "segments"],
    )
    attributes = [(a.name, [t.id for t in a.values or []]) for a in CONFIG.attributes]
    attributes.append(("interview_mode", [t.id for t in CONFIG.recruitment.interview_modes]))
    by_attribute = pd.DataFrame(
        [(name, value, 2, cat.id, code.id, 1, 0.5) for name, values in attributes for value in values for cat, code in codes],
        columns=["attribute", "value", "n", "category", "code", "respondents", "share"],
    )
    by_phase = pd.DataFrame(
        [(cat.id, code.id, phase, 1, 1) for cat, code in codes for phase in ("before", "now")],
        columns=["category", "code", "phase", "respondents", "segments"],
    )
    quotes = pd.DataFrame(
        [(code.id, "R01-0002", "R01", "Data geeft inzicht in de wijk.", cat.id, 1, 1) for cat, code in codes[:3]],
        columns=["code", "segment_id", "respondent_id", "text", "category", "respondent", "rank"],
    )
    per_code = pd.DataFrame(
        [(code.id, 1, 0, 0.938, 0.76, 0.77) for _, code in codes],
        columns=["code", "first_only", "second_only", "percent_agreement", "kappa", "alpha"],
    )
    overall = pd.DataFrame(
        [(2, 16, 15, 0.979, 0.87, 0.87, "2 of 13 coded respondents coded by two coders")],
        columns=["respondents", "segments", "codes", "percent_agreement", "kappa", "alpha", "note"],
    )
    disagreements = pd.DataFrame([("R03-0006", codes[0][1].id)], columns=["segment_id", "differing"])
    names = {code.id: code.name for _, code in codes}
    matrix = pd.DataFrame(1, index=list(names), columns=list(names))
    figures = [
        (tx("report.figure_frequencies"), frequency_chart(frequencies, 13, tx("figure.frequency_title"), "n")),
        (tx("report.figure_heatmap"), heatmap(matrix, tx("figure.heatmap_title"), tx("figure.heatmap_unit"), names)),
    ]
    categories = [c.id for c in CODEBOOK.categories]
    return ReportInput(
        title="Hoe beleven beleidsambtenaren de omslag naar datagedreven sturing?",
        codebook=CODEBOOK,
        method=Method(13, 25, 13, {"municipality_email": 9, "linkedin": 2}, {"online": 12, "in_person": 1},
                      "2022-02-01", "2022-03-17", 2),
        left_out=[("R14", "withdrawn on 2022-03-20"), ("R15", "open coding is waiting")],
        core=categories[1],
        core_evidence="proposed as the most connected category: 14 segments shared with 5 other categories, 3 codebook relations",
        category_order=categories,
        frequencies=frequencies,
        quotes=quotes,
        by_attribute=by_attribute,
        by_phase=by_phase,
        figures=figures,
        agreement=Agreement(per_code, overall, disagreements),
        coreq=["Deelnemers: 13 interviews gehouden."],
        texts=tx,
        label=lambda vocabulary, value: readable(CONFIG.label(vocabulary, value, tx.code), value),
        heading=lambda vocabulary: CONFIG.heading(vocabulary, tx.code),
    )


def review(tmp_path: Path, language: str) -> object:
    study = write_coded_study(tmp_path / f"review-{language}")
    path = study.root / "config" / "study.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", f"language: {language}"), encoding="utf-8")
    segments = tuple(
        Segment(f"R01-{n:04d}", 3600.0 * (n - 1), 3600.0 * n - 1, speaker, text)
        for n, (speaker, text) in enumerate([("interviewer", "Hoe werkt u nu met data?"), ("respondent", "Integraal.")], 1)
    )
    transcript = Transcript("R01", segments)
    return build_segment_document(review_document(type(study).at(study.root), "R01", transcript, dt.date(2024, 3, 1), dt.date(2024, 3, 15)))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """name -> (pdftotext text, pdfinfo output) of each document, rendered in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("rendered")
    documents = {
        "report-nl": build_report(report_input("nl")),
        "report-en": build_report(report_input("en")),
        "review-nl": review(folder, "nl"),
        "review-en": review(folder, "en"),
    }
    for language in ("nl", "en"):
        study = write_coded_study(folder / f"methods-{language}")
        path = study.root / "config" / "study.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("language: en", f"language: {language}"), encoding="utf-8")
        documents[f"methods-{language}"] = methods_document(type(study).at(study.root), ["R01", "R02"])
    for name, document in documents.items():
        document.save(str(folder / f"{name}.docx"))  # type: ignore[attr-defined]
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
    subprocess.run([*command, *(str(folder / f"{name}.docx") for name in documents)], check=True, capture_output=True, timeout=240)
    found = {}
    for name in documents:
        pdf = str(folder / f"{name}.pdf")
        text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True, text=True).stdout
        text = text.replace("\f", "\n")  # a new page starts with a form feed
        info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
        found[name] = (text, info)
    return found


@pytest.mark.parametrize("name", ["report-nl", "report-en", "methods-nl", "methods-en", "review-nl", "review-en"])
def test_every_page_is_a4(rendered: dict[str, tuple[str, str]], name: str) -> None:
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", rendered[name][1])
    assert size is not None and (round(float(size[1])), round(float(size[2]))) == (595, 842)


def in_order(text: str, expected: list[str]) -> list[str]:
    """The expected texts that do not occur in this order, each at the start of a line."""
    missing, position = [], 0
    for heading in expected:
        found = re.compile(rf"^{re.escape(heading)}", re.M).search(text, position)
        if found is None:
            missing.append(heading)
        else:
            position = found.end()
    return missing


def test_the_dutch_report_reads_dutch(rendered: dict[str, tuple[str, str]]) -> None:
    text = rendered["report-nl"][0]
    assert in_order(text, DUTCH_HEADINGS) == []
    assert "1 van n=13" in text and " of n=" not in text
    for words in ("algemeen e-mailadres van de gemeente 9", "op locatie 1", "teruggetrokken op 20 maart 2022",
                  "open coderen: wacht", "Voorgesteld als de meest verbonden categorie", "Figuur 2. Codes in hetzelfde"):
        assert words in " ".join(text.split()), words
    assert [raw for raw in ("municipality_email", "in_person", "adviseur_informatievoorziening") if raw in text] == []


def test_the_english_report_reads_english(rendered: dict[str, tuple[str, str]]) -> None:
    text = rendered["report-en"][0]
    assert in_order(text, ENGLISH_HEADINGS) == []
    assert "1 of n=13" in text and " van n=" not in text
    assert "the municipality's general e-mail address 9" in " ".join(text.split())


def broken(text: str, names: list[str]) -> list[str]:
    """Words of `names` split over two lines: one line ends with its start, the next begins with the rest."""
    words = {word for name in names for word in re.findall(r"\w{5,}", name)}
    lines = [line.strip() for line in text.splitlines()]
    found = []
    for first, second in zip(lines, lines[1:]):
        for word in words:
            for cut in range(2, len(word) - 1):
                if first.endswith(word[:cut]) and second.startswith(word[cut:]) and not first.endswith(word):
                    found.append(f"{first!r} / {second!r}")
    return found


def test_no_code_name_is_broken_inside_a_table_cell(rendered: dict[str, tuple[str, str]]) -> None:
    names = [code.name for _, code in CODEBOOK.codes()]
    assert broken(rendered["report-nl"][0], names) == []
    assert broken(rendered["report-en"][0], names) == []
    assert broken("Verwachting\nsmanagement\n", names) == ["'Verwachting' / 'smanagement'"]  # the check can fail


def test_the_methods_appendix_and_the_review_document_speak_the_study_language(
    rendered: dict[str, tuple[str, str]],
) -> None:
    dutch, english = rendered["methods-nl"][0], rendered["methods-en"][0]
    assert in_order(dutch, ["Methodologische bijlage: COREQ-checklist", "Domein 1: Onderzoeksteam en reflexiviteit",
                            "1. Interviewer", "[IN TE VULLEN DOOR DE ONDERZOEKER:", "25. Beschrijving van de codeboom",
                            "Categorie", "Code", "Deelnemers"]) == []
    assert "goedgekeurd met wijzigingen (1)" in " ".join(dutch.split()) and "approved_with_changes" not in dutch
    assert in_order(english, ["Methods appendix: COREQ checklist", "Domain 1: Research team and reflexivity"]) == []
    assert "approved with changes (1)" in " ".join(english.split())
    # the segment column is as wide as its ids: its header wraps at the spaces
    assert in_order(rendered["review-nl"][0], ["Transcript ter controle: R01", "Segment", "(niet", "wijzigen)", "Tijd", "Spreker"]) == []
    assert "15 maart 2024" in rendered["review-nl"][0] and "1:00:00" in rendered["review-nl"][0]
    assert in_order(rendered["review-en"][0], ["Transcript for your review: R01", "Segment", "(do not", "change)", "Time"]) == []
