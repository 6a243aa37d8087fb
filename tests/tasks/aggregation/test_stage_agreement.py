"""Intercoder agreement and the methods appendix as part of the aggregation stage, on the hand-made
study of test_aggregation.py: R01 was coded by AB and CD (5 segments), R02 and R03 by one coder.

By hand, per code over R01's 5 segments (a = both, b = AB only, c = CD only, d = neither):
  silos      a0 b2 c0 d3: p_o 3/5; p1 2/5, p2 0: p_e 3/5, kappa 0; alpha 1 - 9·2/(8·2) = -1/8
  language   unused: 1.0 by definition, kappa and alpha undefined
  insight    a0 b1 c0 d4: p_o 4/5, p_e 4/5, kappa 0; alpha 1 - 9·1/(9·1) = 0
  justify    as insight
  technical  a1 b0 c0 d4: p_o 1, p_e 0.04 + 0.64, kappa 1; alpha 1
  overall (4 codes used, 20 units) a1 b4 c0 d15: p_o 16/20; p1 5/20, p2 1/20: p_e 0.725,
             kappa 0.075/0.275 = 3/11; alpha 1 - 39·4/(34·6) = 4/17
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tasks.core.files import write_text
from tasks.core.manifest import load_manifest
from tasks.core.study import Study
from tasks.core.texts import Texts
from tests.tasks.coding_fixtures import coded_study, fakes, run_aggregate, run_pipeline, write_study  # noqa: F401
from tests.tasks.aggregation.test_stage import blocks


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return coded_study(tmp_path_factory)


def results(root: Path) -> Path:
    return root / "out" / "results"


def test_the_stage_writes_agreement_per_code_and_overall(root: Path) -> None:
    assert (results(root) / "agreement.csv").read_text(encoding="utf-8").splitlines() == [
        "code,units,both,first_only,second_only,neither,percent_agreement,kappa,alpha,note",
        "silos,5,0,2,0,3,0.6,0.0,-0.125,",
        "language,5,0,0,0,5,1.0,,,neither coder used this code: agreement 1.0 by definition; kappa and alpha undefined",
        "insight,5,0,1,0,4,0.8,0.0,0.0,",
        "justify,5,0,1,0,4,0.8,0.0,0.0,",
        "technical,5,1,0,0,4,1.0,1.0,1.0,",
        "(all codes used),20,1,4,0,15,0.8,0.2727,0.2353,1 of 3 coded respondents coded by two coders",
    ]
    assert (results(root) / "agreement_disagreements.csv").read_text(encoding="utf-8").splitlines() == [
        "respondent_id,segment_id,first_coder,codes_first,second_coder,codes_second,differing",
        "R01,R01-0002,AB,silos,CD,,silos",
        'R01,R01-0003,AB,insight; silos,CD,,insight; silos',
        "R01,R01-0005,AB,justify; technical,CD,technical,justify",
    ]


def test_the_report_has_the_agreement_table(root: Path) -> None:
    report = blocks(results(root) / "report.docx")
    at = report.index(("Heading 1", "Intercoder agreement"))
    assert report[at + 1] == ("Normal", (
        "Coded independently by two coders: 1 of 3 coded respondents coded by two coders (5 segments). Each "
        "segment × code is one unit (coded or not; nominal). Per code and over all codes used: percent "
        "agreement, Cohen's kappa and Krippendorff's alpha."
    ))
    assert report[at + 2] == ("table", [
        ["Code", "Percent agreement", "Cohen's kappa", "Krippendorff's alpha", "Segments in disagreement"],
        ["Working across silos", "60.0%", "0.00", "-0.12", "R01-0002, R01-0003"],
        ["Own language per domain", "100.0%", "n/a", "n/a", ""],
        ["Data gives insight", "80.0%", "0.00", "0.00", "R01-0003"],
        ["Justifying choices", "80.0%", "0.00", "0.00", "R01-0005"],
        ["Technical competences", "100.0%", "1.00", "1.00", ""],
        ["All codes used (4)", "80.0%", "0.27", "0.24", "R01-0002, R01-0003, R01-0005"],
    ])
    assert str(report[at + 3][1]).startswith("n/a: undefined, because there is no variation to agree on")


def test_the_report_has_the_methods_key_facts(root: Path) -> None:
    report = blocks(results(root) / "report.docx")
    at = report.index(("Heading 1", "Methods appendix (COREQ)"))
    assert str(report[at + 1][1]).startswith("The COREQ checklist (32 items), filled in from the study's records")
    facts = [text for style, text in report[at + 2 : at + 8]]
    assert facts == [
        "Participants: 5 interviews held, n = 3 in the analysis; 6 contacted, 5 responded.",
        "Withdrew: R04 (1 March 2024); withheld consent after reading the transcript: none.",
        "Setting: interview mode online (2), in person (1); interviews held between 10 January 2024 and 15 January 2024.",
        "Transcripts returned to the participants (member check); decisions: none recorded.",
        (
            "Coders: 2. 1 transcript(s) were coded independently by two coders (5 segments, 4 codes used): "
            "percent agreement 80.0%, Cohen's kappa 0.27, Krippendorff's alpha 0.24 (segment × code, nominal); "
            "per code in agreement.csv."
        ),
        (
            "Quotations are identified by participant number and segment id; 2 of 3 participants allowed "
            "quotation, 1 asked for anonymity (names pseudonymised)."
        ),
    ]
    assert {style for style, _ in report[at + 2 : at + 8]} == {"List Bullet"}


def test_the_stage_writes_the_methods_appendix(root: Path) -> None:
    document = docx.Document(str(results(root) / "methods.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Methods appendix: COREQ checklist"
    assert "5 interviews were held; 3 participants are in the analysis (n = 3): R01, R02, R03." in texts
    manifest = load_manifest(Study.at(root), "aggregation", None)
    assert manifest is not None and manifest.counts["double_coded"] == 1
    assert {"out/results/agreement.csv", "out/results/agreement_disagreements.csv", "out/results/methods.docx"} <= set(
        manifest.outputs
    )


def test_agreement_and_methods_are_reused_until_their_inputs_change(tmp_path: Path, fakes: dict) -> None:  # noqa: F811
    root = tmp_path / "study"
    write_study(root)
    run_pipeline(root)
    files = [results(root) / name for name in ("agreement.csv", "agreement_disagreements.csv", "methods.docx")]
    stamps = [path.stat().st_mtime_ns for path in files]

    again = run_aggregate(root)
    assert again["aggregation"].reused and [path.stat().st_mtime_ns for path in files] == stamps

    files[2].unlink()  # a deleted output is written again
    assert not run_aggregate(root)["aggregation"].reused and files[2].is_file()
    before = files[2].read_bytes()

    # only the methods appendix reads reviews.csv (the review stage is a stand-in here)
    write_text(root / "reviews.csv", "respondent_id,decision,decided_on,note\nR01,approved,2024-02-01,\n")
    assert not run_aggregate(root)["aggregation"].reused
    assert files[2].read_bytes() != before
    assert run_aggregate(root)["aggregation"].reused


def test_without_a_second_coder_there_is_no_agreement_file(tmp_path: Path, fakes: dict) -> None:  # noqa: F811
    root = tmp_path / "study"
    write_study(root)
    run_pipeline(root)
    codings = (root / "codings" / "R01.csv").read_text(encoding="utf-8")
    write_text(root / "codings" / "R01.csv", codings.replace("R01-0005,TECHNICAL,CD,second coder\n", ""))

    manifest = run_aggregate(root)["aggregation"]

    assert not (results(root) / "agreement.csv").exists()
    assert not (results(root) / "agreement_disagreements.csv").exists()
    assert "out/results/agreement.csv" not in manifest.outputs and manifest.counts["double_coded"] == 0
    report = blocks(results(root) / "report.docx")
    at = report.index(("Heading 1", "Intercoder agreement"))
    assert report[at + 1] == ("Normal", "No transcript was coded by two coders; no agreement computed.")


STAGE_MODULES = "tasks.aggregation.stage, tasks.axial_coding.stage, tasks.selective_coding.stage, tasks.open_coding.stage, tasks.review.stage"
HEAVY = ("pandas", "docx", "deduce", "matplotlib")


def loaded_after(code: str) -> list[str]:
    """The heavy libraries a fresh interpreter holds after running `code`."""
    check = f"{code}\nimport sys\nprint(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    output = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    return [name for name in output.splitlines()[-1].split(",") if name]


def test_status_imports_no_heavy_library_with_the_stage_modules() -> None:
    assert loaded_after(f"import {STAGE_MODULES}") == []


def test_the_whole_study_fingerprints_need_no_pandas(root: Path) -> None:
    code = (
        f"import {STAGE_MODULES}\n"
        "from tasks.core.stage import Cohort\n"
        "from tasks.core.study import Study\n"
        f"study = Study.at({str(root)!r})\n"
        "for module in (tasks.axial_coding.stage, tasks.selective_coding.stage, tasks.aggregation.stage):\n"
        "    module.STAGE.inputs(study, Cohort(['R01', 'R02', 'R03']))\n"
    )
    assert loaded_after(code) == []


def test_long_lists_of_disagreements_are_cut_in_the_report() -> None:
    import pandas as pd

    from tasks.aggregation.agreement import agreement_tables
    from tasks.aggregation.rigour import Agreement, agreement_section

    rows = [("R01", f"R01-{n:04d}", "silos", "AB") for n in range(1, 15)]
    rows += [("R01", "R01-0020", "team", "CD"), ("R01", "R01-0021", "team", "AB"), ("R01", "R01-0021", "team", "CD")]
    codings = pd.DataFrame(rows, columns=["respondent_id", "segment_id", "code", "coder"])
    units = pd.DataFrame([("R01", f"R01-{n:04d}") for n in range(1, 31)], columns=["respondent_id", "segment_id"])
    document = docx.Document()
    agreement_section(document, Agreement(*agreement_tables(codings, units, ["silos", "team"])), {"silos": "Silos"}, Texts("en"))
    cells = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    listed = ", ".join(f"R01-{n:04d}" for n in range(1, 13))
    # silos: 30 units, 14 AB only: p_o 16/30, kappa 0, alpha 1 - 59·14/(46·14) = -13/46
    assert cells[1] == ["Silos", "53.3%", "0.00", "-0.28", f"{listed} and 2 more"]
    # team: both on 0021, CD only on 0020: kappa (870 - 814)/86 = 56/86, alpha 1 - 59/(57·3) = 112/171
    assert cells[2] == ["team", "96.7%", "0.65", "0.65", "R01-0020"]
    assert cells[3][4] == f"{listed} and 3 more"
