"""The example study, end to end: the real CLI on a copy of the repository root's inputs.

One run of all eight stages (real Whisper on the 13 recordings, the returned review documents,
the CSV and Word codings) must reproduce the respondents per code of the thesis's table
(../shared/STUDY.md), count every respondent's answers under the guide's phase they answer, find
every speaker from the recording (R02's tracks, R03's channels, the others' voices), quote only
the respondents' own sentences from the dialogue scripts, leave every respondent done in every
stage, redo nothing on a second run, and let no invented name, e-mail address or organisation of
recruitment.csv reach out/ or Prefect.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tasks.protocol import STAGES
from tests.example.interviews import TARGETS, Dialogue, load_all, plan_rows, respondents_per_code
from tests.example.study_copy import ROOT, copy_inputs, interview_study

pytestmark = pytest.mark.slow

RESPONDENTS = [f"R{n:02d}" for n in range(1, 14)]
MARKERS = ("Fictief Persoon", "fictief@voorbeeld.invalid", "Gemeente Verzin")
SUMMARY = re.compile(r"^(\w+)\s+ran\s+(\d+), skipped\s+(\d+)", re.MULTILINE)
SOURCES = {"R02": "track", "R03": "channel"}  # how each speaker is found; everyone else: "voice"
RECORDINGS = {"R02": "tracks", "R03": "channels"}  # the draft's `recording`; everyone else: "mixed"
QUOTE = re.compile(r'^Respondent (\d+): "(.*)"$')
# Published quotes that pseudonymisation changed (the respondents who asked for it: R04, R09, R12):
# segment id -> the published text. Every other quote is its script sentence, unchanged.
PSEUDONYMISED: dict[str, str] = {}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """A copy of the example study, run twice: (study, first run's output, second run's output)."""
    study = copy_inputs(tmp_path_factory.mktemp("example") / "study")
    first = interview_study(study, "run").stdout
    second = interview_study(study, "run").stdout
    yield study, first, second


def frequencies(study: Path) -> dict[str, dict[str, str]]:
    with (study / "out" / "results" / "code_frequencies.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def test_code_frequencies_reproduce_the_thesis(example: tuple[Path, str, str]) -> None:
    rows = frequencies(example[0])
    assert {code: int(row["respondents"]) for code, row in rows.items() if code in TARGETS} == TARGETS
    assert {row["n"] for row in rows.values()} == {"13"}
    assert int(rows["prevention"]["respondents"]) > 13 / 2  # "more than half"
    # every other code as planned too: the second coder added no respondent to any code
    planned = respondents_per_code(plan_rows(load_all()))
    assert {code: int(row["respondents"]) for code, row in rows.items()} == {
        code: planned[code] for code in rows
    }


def test_thesis_table_in_numbers(example: tuple[Path, str, str]) -> None:
    counts = {code: int(row["respondents"]) for code, row in frequencies(example[0]).items()}
    table = [
        ("data_gives_insight", 13),
        ("working_across_silos", 13),
        ("technical_competences", 11),
        ("counting_and_recounting", 8),
        ("own_language_per_domain", 7),
        ("managing_expectations", 5),
        ("neighbourhood_oriented", 5),
        ("justifying_choices", 5),
        ("affinity_with_data", 5),
        ("communicating_vessels", 4),
        ("data_shows_trends", 4),
        ("interpersonal_competences", 4),
        ("autonomous_developments", 3),
        ("granularity", 1),
        ("statistics_research_department", 10),
    ]
    assert [(code, counts[code]) for code, _ in table] == table


def test_everyone_is_done_in_every_stage(example: tuple[Path, str, str]) -> None:
    result = interview_study(example[0], "status", "--format", "json")
    rows = json.loads(result.stdout)
    assert {(r["respondent_id"], r["stage"]) for r in rows} == {
        (rid, stage) for rid in RESPONDENTS for stage in STAGES
    }
    assert [r for r in rows if r["status"] != "done"] == []


def test_first_run_did_all_the_work_and_the_second_none(example: tuple[Path, str, str]) -> None:
    _, first, second = example
    ran_first = {stage: int(ran) for stage, ran, _ in SUMMARY.findall(first)}
    ran_second = {stage: (int(ran), int(skipped)) for stage, ran, skipped in SUMMARY.findall(second)}
    assert list(ran_first) == list(STAGES) and all(ran_first.values())
    assert list(ran_second) == list(STAGES)
    assert [stage for stage, (ran, _) in ran_second.items() if ran] == []
    assert all(skipped for _, skipped in ran_second.values())


def test_the_report_is_written(example: tuple[Path, str, str]) -> None:
    report = example[0] / "out" / "results" / "report.docx"
    assert zipfile.is_zipfile(report)


def test_no_invented_personal_data_in_outputs_or_prefect(example: tuple[Path, str, str]) -> None:
    study = example[0]
    markers = [*MARKERS, *personal_values()]
    own_documents = study / "out" / "04_review" / "outbox"
    files = [p for p in (study / "out").rglob("*") if p.is_file() and own_documents not in p.parents]
    files += [p for p in (study / ".prefect").rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files)  # Prefect's database is in the study folder
    assert [hit for path in files for hit in hits(path, markers)] == []


def personal_values() -> list[str]:
    with (ROOT / "recruitment.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row[column] for row in rows for column in ("name", "email", "organisation")]


def hits(path: Path, markers: list[str]) -> list[str]:
    """The markers a file holds, in any case, as UTF-8 or UTF-16, also inside zip archives (docx, xlsx)."""
    blobs = [path.read_bytes()]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            blobs += [archive.read(name) for name in archive.namelist()]
    found = []
    for marker in markers:
        needles = (marker.lower().encode(), marker.lower().encode("utf-16-le"))
        if any(needle in blob.lower() for blob in blobs for needle in needles):
            found.append(f"{path}: {marker}")
    return found


def test_no_transcript_sentence_reaches_prefect(example: tuple[Path, str, str]) -> None:
    """Prefect's database and storage hold no sentence of any transcript, draft or approved."""
    study = example[0]
    sentences = [u.text[:60] for d in load_all() for u in d.utterances if u.speaker == "respondent"]
    for path in sorted((study / "out" / "03_transcription").glob("R*.json")):
        draft = json.loads(path.read_text(encoding="utf-8"))
        sentences += [s["text"][:60] for s in draft["segments"] if len(s["text"]) >= 25]
    assert len(sentences) > 100
    files = [p for p in (study / ".prefect").rglob("*") if p.is_file()]
    assert [hit for path in files for hit in hits(path, sentences)] == []


def script_texts() -> dict[str, str]:
    """Segment id -> the utterance's text in the dialogue script (utterance n is segment n)."""
    return {f"{d.respondent_id}-{n:04d}": u.text for d in load_all() for n, u in enumerate(d.utterances, 1)}


def published(segment_id: str) -> str:
    return PSEUDONYMISED.get(segment_id, script_texts()[segment_id])


def test_speakers_come_from_the_recording_of_each_kind(example: tuple[Path, str, str]) -> None:
    """Tracks for R02, channels for R03, voices (with audio/interviewer_voice.ogg) for the others:
    every segment's speaker is the script's, found from the recording, and the review keeps it."""
    study = example[0]
    for dialogue in load_all():
        rid = dialogue.respondent_id
        draft = json.loads((study / "out" / "03_transcription" / f"{rid}.json").read_text(encoding="utf-8"))
        approved = json.loads((study / "out" / "04_review" / "approved" / f"{rid}.json").read_text(encoding="utf-8"))
        script = [u.speaker for u in dialogue.utterances]
        assert draft["recording"] == RECORDINGS.get(rid, "mixed"), rid
        for segments in (draft["segments"], approved["segments"]):
            assert [s["speaker"] for s in segments] == script, rid
            assert {s["speaker_source"] for s in segments} == {SOURCES.get(rid, "voice")}, rid
            confidence = {s["speaker_confidence"] for s in segments}
            # a track or a channel is exact; two voices this different are never marked "(?)" (below 0.75)
            assert confidence == {1.0} if rid in SOURCES else min(confidence) >= 0.75, (rid, confidence)


def test_answers_carry_the_question_they_answer(example: tuple[Path, str, str]) -> None:
    study = example[0]
    for dialogue in load_all():
        rid = dialogue.respondent_id
        approved = json.loads((study / "out" / "04_review" / "approved" / f"{rid}.json").read_text(encoding="utf-8"))
        assert [s["question_id"] for s in approved["segments"]] == asked(dialogue), rid


def asked(dialogue: Dialogue) -> list[str | None]:
    """Per utterance, the guide question of the interviewer's last turn (its own for a question)."""
    found: list[str | None] = []
    for utterance in dialogue.utterances:
        found.append(utterance.question_id if utterance.speaker == "interviewer" else (found[-1] if found else None))
    return found


def test_by_phase_counts_every_respondent_under_the_phase_they_answer(example: tuple[Path, str, str]) -> None:
    """Every respondent was asked q1 (before) and coded working across silos in that answer; every
    code counts the respondents whose answers to a question of that phase carry it (either coder's)."""
    from tests.example.make_codings import SECOND_CODER

    with (example[0] / "out" / "results" / "by_phase.csv").open(encoding="utf-8") as handle:
        rows = {(row["code"], row["phase"]): row for row in csv.DictReader(handle)}
    assert rows[("working_across_silos", "before")]["respondents"] == "13"
    phases = {q: ("before" if int(q[1:]) <= 5 else "now") for q in (f"q{n}" for n in range(1, 11))}
    planned: dict[tuple[str, str], set[str]] = {}
    for dialogue in load_all():
        rid = dialogue.respondent_id
        for n, (utterance, question) in enumerate(zip(dialogue.utterances, asked(dialogue), strict=True), 1):
            for code in {*utterance.codes, *SECOND_CODER.get(rid, {}).get(n, ())}:
                planned.setdefault((code, phases[question or ""]), set()).add(rid)
    assert {key: int(row["respondents"]) for key, row in rows.items() if row["respondents"] != "0"} == {
        key: len(rids) for key, rids in planned.items()
    }


def test_quotes_are_the_respondents_own_sentences(example: tuple[Path, str, str]) -> None:
    """Each respondent corrected what Whisper misheard, so every published quote is the sentence of
    the dialogue script (pseudonymised where the respondent asked), in quotes.csv and in the report."""
    study = example[0]
    with (study / "out" / "results" / "quotes.csv").open(encoding="utf-8") as handle:
        quotes = list(csv.DictReader(handle))
    assert len(quotes) > 40
    assert [(q["segment_id"], q["text"]) for q in quotes] == [(q["segment_id"], published(q["segment_id"])) for q in quotes]
    assert all(q["segment_id"].startswith(q["respondent_id"] + "-") for q in quotes)
    speakers = {f"{d.respondent_id}-{n:04d}": u.speaker for d in load_all() for n, u in enumerate(d.utterances, 1)}
    assert {speakers[q["segment_id"]] for q in quotes} == {"respondent"}
    assert "R09" not in {q["respondent_id"] for q in quotes}  # no consent for quotes
    from docx import Document

    document = Document(str(study / "out" / "results" / "report.docx"))
    shown = [QUOTE.match(p.text) for p in document.paragraphs if p.text.startswith("Respondent ")]
    in_report = {(int(m.group(1)), m.group(2)) for m in shown if m}
    assert len(in_report) > 20
    assert in_report <= {(int(q["respondent"]), q["text"]) for q in quotes}
