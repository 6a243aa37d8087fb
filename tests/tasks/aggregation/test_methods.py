"""The methods appendix: COREQ items answered from the records and the config's methods section, the rest
marked for the researcher and listed, with the keys to fill, at the end."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from tasks.core.study import Study
from tasks.aggregation.methods import key_facts, methods_document, write_methods
from tasks.aggregation.records import gather
from tests.tasks.coded_study import write_coded_study

# An example-like methods section: the thesis's facts, in short (the example study's own, in Dutch,
# is checked by tests/example).
THESIS_LIKE = """\
methods:
  interviewers:
    - initials: "The researcher, the thesis's author, conducted every interview; name and initials not given."
      credentials: "No degree stated; a master's thesis at the University of Twente."
      occupation: "Master's student at the University of Twente."
      gender: "Not stated in the thesis."
      experience: "Not stated in the thesis."
  relationship: "Recruited first via LinkedIn and own network; prior acquaintance not stated."
  participant_knowledge: "The invitation explained the study and what was expected; questions sent in advance."
  interviewer_characteristics: "Independent research, not commissioned; observer error and bias discussed."
  orientation: "Qualitative, phenomenological; content analysis with open, axial and selective coding."
  sampling: "Purposive: one policy official per municipality."
  approach: "Mostly through the municipality's general e-mail address, with an invitation."
  non_participation: "Numbers and reasons not stated in the thesis."
  setting: "Online via Teams because of COVID-19, one at the town hall."
  others_present: "Not stated in the thesis."
  interview_guide: "Sent to the respondents in advance; pilot testing not stated."
  repeat_interviews: "Not stated; each of the thirteen respondents was interviewed once."
  field_notes: "Not stated in the thesis."
  data_saturation: "Not discussed in the thesis."
  derivation_of_themes: "Four categories in advance from the literature, two from the interviews."
  participant_checking: "Feedback on the findings not stated; respondents read their transcripts."
  consistency: "Results per topic with counts and numbered quotations."
  major_themes: "One section per topic in chapter 4."
  minor_themes: "Fewer mentioned points with their counts, e.g. granularity (respondent 6 only)."
"""


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


MISSING = [
    "1. Interviewer/facilitator: methods.interviewers.0.initials",
    "2. Credentials: methods.interviewers.0.credentials",
    "3. Occupation: methods.interviewers.0.occupation",
    "4. Gender: methods.interviewers.0.gender",
    "5. Experience and training: methods.interviewers.0.experience",
    "6. Relationship established: methods.relationship",
    "7. Participant knowledge of the interviewer: methods.participant_knowledge",
    "8. Interviewer characteristics: methods.interviewer_characteristics",
    "9. Methodological orientation and theory: methods.orientation",
    "10. Sampling: methods.sampling",
    "11. Method of approach: methods.approach",
    "13. Non-participation: methods.non_participation",
    "14. Setting of data collection: methods.setting",
    "15. Presence of non-participants: methods.others_present",
    "17. Interview guide: methods.interview_guide",
    "18. Repeat interviews: methods.repeat_interviews",
    "20. Field notes: methods.field_notes",
    "22. Data saturation: methods.data_saturation",
    "26. Derivation of themes: methods.derivation_of_themes",
    "28. Participant checking: methods.participant_checking",
    "30. Data and findings consistent: methods.consistency",
    "31. Clarity of major themes: methods.major_themes",
    "32. Clarity of minor themes: methods.minor_themes",
]


def closing(document: docx.document.Document) -> list[str]:
    """The paragraphs of the closing section, 'Completeness'."""
    texts = [p.text for p in document.paragraphs]
    return texts[texts.index("Completeness") + 1 :]


def configure(study: Study, methods: str) -> Study:
    """The study with a methods section (YAML text starting with 'methods:') added to its config."""
    path = study.root / "config" / "study.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + methods, encoding="utf-8")
    return Study.at(study.root)


def test_an_unconfigured_study_lists_exactly_the_missing_items_with_their_keys(study: Study) -> None:
    document = methods_document(study, ["R01", "R02"])
    items = answers(document)
    assert items["4. Gender"] == [
        "[TO BE COMPLETED BY THE RESEARCHER: the researcher's gender; fill in methods.interviewers.0.gender]"
    ]
    assert items["14. Setting of data collection"] == [
        "Interview mode: in person (1), online (1).",
        (
            "[TO BE COMPLETED BY THE RESEARCHER: where the interviews took place (workplace, home, video "
            "platform); fill in methods.setting]"
        ),
    ]
    marked = [p for p in document.paragraphs if p.text.startswith("[TO BE COMPLETED")]
    assert len(marked) == 23
    assert all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for p in marked for run in p.runs)
    assert closing(document) == [
        "9 of 32 items are answered: 9 from the records, 0 from config/study.yaml (methods) and 0 from both.",
        (
            "Still to be completed: fill in these keys in the methods section of config/study.yaml (the template "
            "of interview-study init explains each), then run interview-study aggregate."
        ),
        *MISSING,
    ]
    assert {p.style.name for p in document.paragraphs[-len(MISSING) :]} == {"List Bullet"}  # type: ignore[union-attr]
    assert key_facts(gather(study, ["R01", "R02"]), study)[-1] == (
        "COREQ: 9 of 32 items answered; still to be completed: items 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, "
        "15, 17, 18, 20, 22, 26, 28, 30, 31, 32 (the keys to fill are listed at the end of methods.docx)."
    )


def test_a_thesis_like_methods_section_fills_all_32_items(study: Study) -> None:
    study = configure(study, THESIS_LIKE)
    document = methods_document(study, ["R01", "R02"])
    items = answers(document)
    assert [heading.split(".")[0] for heading in items] == [str(number) for number in range(1, 33)]
    assert not [p.text for p in document.paragraphs if "TO BE COMPLETED" in p.text]
    assert closing(document) == [
        "32 of 32 items are answered: 9 from the records, 17 from config/study.yaml (methods) and 6 from both."
    ]
    assert key_facts(gather(study, ["R01", "R02"]), study)[-1] == "COREQ: all 32 items answered."
    first = {heading: " ".join(texts) for heading, texts in items.items()}
    phrases = {
        "1. Interviewer/facilitator": "The researcher, the thesis's author, conducted every interview",
        "3. Occupation": "Master's student at the University of Twente",
        "4. Gender": "Not stated in the thesis.",
        "9. Methodological orientation and theory": "phenomenological",
        "10. Sampling": "Purposive",
        "11. Method of approach": (
            "Interviewees by recruitment channel: linkedin (1), municipality email (1), network (1). 4 people were "
            "contacted, 3 responded. Mostly through the municipality's general e-mail address"
        ),
        "13. Non-participation": "Did not respond to the invitation: 1.",
        "14. Setting of data collection": "Interview mode: in person (1), online (1). Online via Teams",
        "17. Interview guide": "A semi-structured guide of 2 questions on 1 topic (config/interview_guide.yaml). Sent",
        "18. Repeat interviews": "interviewed once",
        "21. Duration": "Recording length in minutes: median 30",
        "22. Data saturation": "Not discussed in the thesis.",
        "23. Transcripts returned": "Decisions recorded: approved (1), approved with changes (1).",
        "26. Derivation of themes": "Four categories in advance",
        "31. Clarity of major themes": "No core category set. One section per topic",
        "32. Clarity of minor themes": (
            "Codes given by at most 1 of n = 2 participants, with who gave them: Datateam (R01); Granulariteit "
            "(R02). Fewer mentioned points"
        ),
    }
    assert {heading: phrase for heading, phrase in phrases.items() if phrase not in first[heading]} == {}


def test_each_interviewer_answers_items_1_to_5(study: Study) -> None:
    study = configure(study, (
        "methods:\n  interviewers:\n"
        "    - {initials: AB, credentials: MSc, occupation: PhD candidate, gender: female, experience: two studies}\n"
        "    - {initials: CD, credentials: MA, occupation: lecturer, experience: none before}\n"
        "  field_notes: \"No field notes were made.\"\n"
    ))
    document = methods_document(study, ["R01", "R02"])
    items = answers(document)
    assert items["1. Interviewer/facilitator"] == ["AB", "CD"]
    assert items["2. Credentials"] == ["AB: MSc", "CD: MA"]
    assert items["4. Gender"] == [
        "AB: female",
        "[TO BE COMPLETED BY THE RESEARCHER: the researcher's gender; fill in methods.interviewers.1.gender]",
    ]
    assert items["20. Field notes"] == ["No field notes were made."]
    assert closing(document)[0] == (
        "14 of 32 items are answered: 9 from the records, 5 from config/study.yaml (methods) and 0 from both."
    )
    assert closing(document)[2:5] == [
        "4. Gender: methods.interviewers.1.gender",
        "6. Relationship established: methods.relationship",
        "7. Participant knowledge of the interviewer: methods.participant_knowledge",
    ]


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


def test_the_records_answer_exactly_the_items_the_checklist_says() -> None:
    from tasks.aggregation.coreq import ITEMS
    from tasks.aggregation.methods import ANSWERS

    assert sorted(ANSWERS) == [item.number for item in ITEMS if item.records]
    assert [item.number for item in ITEMS] == list(range(1, 33))
