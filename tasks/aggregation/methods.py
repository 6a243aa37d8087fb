"""The methods appendix (`out/results/methods.docx`): the COREQ checklist (Tong et al. 2007) filled
in from the study's records where the tool knows the answer, with marked placeholders elsewhere.

Everything comes from files the pipeline already keeps: recruitment log, consent, reviews, the
approved transcripts' metadata, the normalised codings and the codebook. Respondents appear by
id only; no names, e-mail addresses or organisations.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX

from tasks.aggregation.records import Facts, gather
from tasks.core.files import write_office
from tasks.core.study import Study

TODO = "[TO BE COMPLETED BY THE RESEARCHER: {}]"


def methods_document(study: Study, eligible: list[str], facts: Facts | None = None) -> docx.document.Document:
    """The appendix as a Word document: COREQ domains and items, answered or marked for the researcher.

    `facts`: gather(study, eligible) when the caller has it already (the report uses it too).
    """
    facts = facts if facts is not None else gather(study, eligible)
    document = docx.Document()
    document.add_heading("Methods appendix: COREQ checklist", level=1)
    document.add_paragraph(
        f"Study: {study.config.study.title}. Filled in by interview-study from the study's records; "
        "passages marked in yellow are for the researcher to complete."
    )
    for domain, items in DOMAINS:
        document.add_heading(domain, level=2)
        for number, title, answer in items:
            document.add_heading(f"{number}. {title}", level=3)
            if isinstance(answer, str):
                _todo(document, answer)
            else:
                answer(document, study, facts)
    return document


def write_methods(study: Study, eligible: list[str], facts: Facts | None = None) -> Path:
    """Save the appendix as out/results/methods.docx (atomically); returns its path."""
    path = study.catalog.result("methods.docx")
    document = methods_document(study, eligible, facts)
    return write_office(path, document.save)


def key_facts(facts: Facts) -> list[str]:
    """The COREQ answers the records give, one line each, for the report's methods section."""
    n = len(facts.eligible)
    declined = [f"{rid} ({on})" for rid, (value, on) in sorted(facts.decisions.items()) if value == "declined"]
    withdrawn = ", ".join(f"{rid} ({on})" for rid, on in facts.withdrawn) or "none"
    held = f"; interviews held between {facts.dates[0]} and {facts.dates[-1]}" if facts.dates else ""
    participants = f"Participants: {len(facts.interviewed)} interviews held, n = {n} in the analysis"
    lines = [
        f"{participants}; {facts.contacted} contacted, {facts.responded} responded.",
        f"Withdrew: {withdrawn}; withheld consent after reading the transcript: {', '.join(declined) or 'none'}.",
        f"Setting: interview mode {_counted(facts.modes)}{held}.",
    ]
    if facts.minutes:
        values = list(facts.minutes.values())
        lines.append(
            f"Duration: median {_minutes(statistics.median(values))} minutes, "
            f"range {_minutes(min(values))}–{_minutes(max(values))}."
        )
    decisions = _counted(Counter(value for value, _ in facts.decisions.values()))
    lines.append(f"Transcripts returned to the participants (member check); decisions: {decisions}.")
    lines.append(f"Coders: {len(facts.coders)}. {facts.agreement or 'No transcript was coded by two coders.'}")
    lines.append(
        f"Quotations are identified by participant number and segment id; {facts.quotes_allowed} of {n} "
        f"participants allowed quotation, {facts.anonymity} asked for anonymity (names pseudonymised)."
    )
    return lines


def _todo(document: docx.document.Document, what: str) -> None:
    run = document.add_paragraph().add_run(TODO.format(what))
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _counted(counter: Counter[str]) -> str:
    return ", ".join(f"{value} ({n})" for value, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or "none recorded"


def _approach(document: docx.document.Document, study: Study, facts: Facts) -> None:
    document.add_paragraph(f"Interviewees by recruitment channel: {_counted(facts.channels)}.")
    document.add_paragraph(f"{facts.contacted} people were contacted, {facts.responded} responded.")
    _todo(document, "how the invitation was worded and sent (face-to-face, telephone, mail, e-mail)")


def _size(document: docx.document.Document, study: Study, facts: Facts) -> None:
    document.add_paragraph(
        f"{len(facts.interviewed)} interviews were held; {len(facts.eligible)} participants are in the "
        f"analysis (n = {len(facts.eligible)}): {', '.join(facts.eligible) or 'none yet'}."
    )


def _non_participation(document: docx.document.Document, study: Study, facts: Facts) -> None:
    declined = [f"{rid} ({on})" for rid, (value, on) in sorted(facts.decisions.items()) if value == "declined"]
    document.add_paragraph(f"Did not respond to the invitation: {facts.contacted - facts.responded}.")
    document.add_paragraph(f"Refused recording or transcription: {', '.join(facts.refused) or 'none'}.")
    document.add_paragraph(f"Withdrew (date): {', '.join(f'{r} ({d})' for r, d in facts.withdrawn) or 'none'}.")
    document.add_paragraph(f"Withheld consent after reading the transcript (date): {', '.join(declined) or 'none'}.")
    _todo(document, "reasons for non-participation or withdrawal, where participants gave them")


def _setting(document: docx.document.Document, study: Study, facts: Facts) -> None:
    document.add_paragraph(f"Interview mode: {_counted(facts.modes)}.")
    _todo(document, "where the interviews took place (workplace, home, video platform)")


def _sample(document: docx.document.Document, study: Study, facts: Facts) -> None:
    described = [f"{study.config.heading(name, 'en').capitalize()}: {_counted(n)}." for name, n in facts.attributes.items()]
    if described:
        document.add_paragraph(" ".join(described))
    if facts.dates:
        document.add_paragraph(f"Interviews held between {facts.dates[0]} and {facts.dates[-1]}.")


def _guide(document: docx.document.Document, study: Study, facts: Facts) -> None:
    questions, topics = len(study.guide.questions), len(study.guide.topics)
    document.add_paragraph(
        f"A semi-structured guide of {questions} question{'s' * (questions != 1)} on {topics} "
        f"topic{'s' * (topics != 1)} (config/interview_guide.yaml)."
    )
    _todo(document, "whether the guide was provided in advance and pilot tested")


def _recording(document: docx.document.Document, study: Study, facts: Facts) -> None:
    document.add_paragraph("Interviews were audio-recorded with the participants' consent and transcribed verbatim.")


def _software(document: docx.document.Document, study: Study, facts: Facts) -> None:
    document.add_paragraph(
        f"interview-study (Prefect pipeline) with Whisper, {_counted(facts.engines)}: transcription, member "
        "check, coding and counts; the researcher corrected every transcript before coding."
    )


def _duration(document: docx.document.Document, study: Study, facts: Facts) -> None:
    if not facts.minutes:
        document.add_paragraph("No recording durations are recorded.")
        return
    values = list(facts.minutes.values())
    document.add_paragraph(
        f"Recording length in minutes: median {_minutes(statistics.median(values))}, range "
        f"{_minutes(min(values))}–{_minutes(max(values))} (n = {len(values)})."
    )
    document.add_paragraph("; ".join(f"{rid}: {_minutes(m)} min" for rid, m in sorted(facts.minutes.items())) + ".")


def _minutes(value: float) -> str:
    """Whole minutes for interviews of real length, tenths for short recordings (1.2, not 1)."""
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _returned(document: docx.document.Document, study: Study, facts: Facts) -> None:
    results = Counter(value for value, _ in facts.decisions.values())
    document.add_paragraph(
        f"Transcripts were returned to the participants for comment and correction (member check). "
        f"Decisions recorded: {_counted(results)}."
    )


def _coders(document: docx.document.Document, study: Study, facts: Facts) -> None:
    document.add_paragraph(f"Number of coders: {len(facts.coders)}.")
    document.add_paragraph(facts.agreement or "No transcript was coded by two coders; no agreement computed.")


def _tree(document: docx.document.Document, study: Study, facts: Facts) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Category", "Code", "Participants")):
        cell.text = text
    for category, code in study.codebook.codes():
        cells = table.add_row().cells
        cells[0].text, cells[1].text = category.name, code.name
        cells[2].text = f"{facts.code_respondents.get(code.id, 0)} of {len(facts.eligible)}"


def _quotes(document: docx.document.Document, study: Study, facts: Facts) -> None:
    document.add_paragraph(
        "Quotations are identified by segment id (participant number and segment number, e.g. R01-0004). "
        f"{facts.quotes_allowed} of {len(facts.eligible)} participants allowed quotation; {facts.anonymity} "
        "asked for anonymity, and names, places and organisations in their quotes are pseudonymised."
    )


def _core(document: docx.document.Document, study: Study, facts: Facts) -> None:
    core = study.codebook.core_category
    names = {c.id: c.name for c in study.codebook.categories}
    document.add_paragraph(f"Core category (selective coding): {names[core]}." if core else "No core category set.")
    _todo(document, "how the major themes are presented in the findings")


Answer = Callable[[docx.document.Document, Study, Facts], None]
DOMAINS: list[tuple[str, list[tuple[int, str, Answer | str]]]] = [
    ("Domain 1: Research team and reflexivity", [
        (1, "Interviewer/facilitator", "which author conducted the interviews"),
        (2, "Credentials", "the researcher's credentials (e.g. MSc)"),
        (3, "Occupation", "the researcher's occupation at the time of the study"),
        (4, "Gender", "the researcher's gender"),
        (5, "Experience and training", "the researcher's experience or training in qualitative interviewing"),
        (6, "Relationship established", "whether a relationship existed with participants before the study"),
        (7, "Participant knowledge of the interviewer", "what participants knew about the researcher and the goals"),
        (8, "Interviewer characteristics", "bias, assumptions, reasons and interests in the topic"),
    ]),
    ("Domain 2: Study design", [
        (9, "Methodological orientation and theory", "orientation (e.g. phenomenology) and coding approach"),
        (10, "Sampling", "how participants were selected (purposive, convenience, snowball)"),
        (11, "Method of approach", _approach),
        (12, "Sample size", _size),
        (13, "Non-participation", _non_participation),
        (14, "Setting of data collection", _setting),
        (15, "Presence of non-participants", "whether anyone else was present during the interviews"),
        (16, "Description of sample", _sample),
        (17, "Interview guide", _guide),
        (18, "Repeat interviews", "whether repeat interviews were carried out"),
        (19, "Audio/visual recording", _recording),
        (20, "Field notes", "whether field notes were made during or after the interviews"),
        (21, "Duration", _duration),
        (22, "Data saturation", "whether and how data saturation was discussed"),
        (23, "Transcripts returned", _returned),
    ]),
    ("Domain 3: Analysis and findings", [
        (24, "Number of data coders", _coders),
        (25, "Description of the coding tree", _tree),
        (26, "Derivation of themes", "whether themes were identified in advance or derived from the data"),
        (27, "Software", _software),
        (28, "Participant checking", "whether participants gave feedback on the findings"),
        (29, "Quotations presented", _quotes),
        (30, "Data and findings consistent", "the consistency between the data presented and the findings"),
        (31, "Clarity of major themes", _core),
        (32, "Clarity of minor themes", "how diverse cases and minor themes are described"),
    ]),
]
