"""Review stage: the review document goes out, the returned document and decision come in, the
approved transcript is written (and frozen); bad returned files fail one respondent only."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from tasks.core.config import InterviewGuide
from tasks.core.manifest import load_manifest
from tasks.protocol import execute_respondent, respondent_statuses
from tasks.status import approved, study_status
from tasks.core.study import Study
from tasks.core.transcripts import Segment, load_transcript, save_transcript
from tasks.core.wordml import read_segment_table
from tasks.review.stage import row_problems
from tasks.review.importer import words_changed
from tasks.core.questions import similarity
from tasks.review.speakers import assign
from tests.tasks.review_fixtures import (
    NAMES,
    FakeTranscription,
    WordEdit,
    draft_of,
    install_fake_transcription,
    ole2,
    review_study,
    run_review,
    set_today,
    write_reviews,
)

RETURNED = "review/returned/R01.docx"


@pytest.fixture
def fake_transcription(monkeypatch: pytest.MonkeyPatch) -> FakeTranscription:
    return install_fake_transcription(monkeypatch)


@pytest.fixture
def study(tmp_path: Path, fake_transcription: FakeTranscription, monkeypatch: pytest.MonkeyPatch) -> Study:
    set_today(monkeypatch, "2024-03-20")
    return review_study(tmp_path / "study")


def outbox(study: Study, rid: str = "R01") -> Path:
    return study.root / "out" / "04_review" / "outbox" / f"{rid}.docx"


def approved_json(study: Study, rid: str = "R01") -> dict:  # type: ignore[type-arg]
    return json.loads((study.root / "out" / "04_review" / "approved" / f"{rid}.json").read_text(encoding="utf-8"))


def returned_from_outbox(study: Study) -> WordEdit:
    run_review(study)
    return WordEdit(outbox(study), author="Jan Jansen")


def test_review_document_goes_out_and_the_respondent_is_waited_for(study: Study) -> None:
    assert run_review(study) == (
        "waiting",
        ("respondent: review sent 2024-03-20 (today); save the returned file as review/returned/R01.docx "
        "and record the decision in reviews.csv"),
    )
    document = docx.Document(str(outbox(study)))
    assert [p.text for p in document.paragraphs] == [
        "Transcript for your review: R01",
        "My interview study",
        ("Thank you for the interview. Below is the transcript of our conversation. Please read it by "
        "3 April 2024. You may correct, strike or comment on any passage; please do not change the "
        "segment numbers in the first column. You may also withhold your consent for the use of this transcript."),
        ('The speaker column says who spoke each passage, as recognised from the recording; "(?)" marks a guess. '
        "If a speaker is wrong, write the right one (interviewer or respondent) in that cell."),
    ]
    table = read_segment_table(outbox(study), "R01.docx")
    assert table.header == ("Segment (do not change)", "Time", "Speaker", "Text")
    assert table.rows[2].cells == (
        "R01-0003", "0:07", "", "I expected that the data would make our work much easier for r01."
    )
    sent = json.loads((study.root / "out/04_review/sent/R01.json").read_text())
    assert sorted(sent) == ["due_on", "export_key", "outbox_sha256", "respondent_id", "sent_on"]
    assert (sent["respondent_id"], sent["sent_on"], sent["due_on"]) == ("R01", "2024-03-20", "2024-04-03")


def test_the_name_appears_only_in_the_respondents_own_document(study: Study) -> None:
    (study.root / "config" / "study.yaml").write_text(
        (study.root / "config" / "study.yaml").read_text().replace("Thank you for the interview.", "Dear {name}, thank you."),
        encoding="utf-8",
    )
    for rid in ("R01", "R02"):
        run_review(study, rid)
    assert "Dear Jan Jansen, thank you." in [p.text for p in docx.Document(str(outbox(study))).paragraphs][2]
    holding = []
    for path in (study.root / "out").rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            if path.suffix == ".docx":
                import zipfile

                with zipfile.ZipFile(path) as archive:
                    blob = b"".join(archive.read(name) for name in archive.namelist())
            holding += [f"{path.relative_to(study.root)}: {name}" for name in NAMES if name.encode() in blob]
    assert holding == ["out/04_review/outbox/R01.docx: Jan Jansen", "out/04_review/outbox/R02.docx: Piet Pieters"]


def test_days_since_sending_count_to_today_without_a_rerun(study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    run_review(study)
    set_today(monkeypatch, "2024-04-01")
    assert respondent_statuses(Study.at(study.root), "R01")[3].detail.startswith(
        "respondent: review sent 2024-03-20 (12 days ago); save"
    )
    set_today(monkeypatch, "2024-04-05")
    assert respondent_statuses(Study.at(study.root), "R01")[3].detail.startswith(
        "respondent: review sent 2024-03-20 (16 days ago, 2 days past the due date); save"
    )
    assert execute_respondent(Study.at(study.root), "review", "R01").reused


def test_the_review_document_is_not_rewritten_when_nothing_changed(study: Study) -> None:
    run_review(study)
    before = outbox(study).stat().st_mtime_ns
    assert execute_respondent(Study.at(study.root), "review", "R01", force=True).status == "waiting"
    assert outbox(study).stat().st_mtime_ns == before
    outbox(study).write_bytes(b"overwritten by mistake")
    assert run_review(study)[0] == "waiting"
    assert read_segment_table(outbox(study), "R01.docx").rows[0].segment_id == "R01-0001"


def test_returned_without_decision_waits_for_the_researcher(study: Study) -> None:
    returned_from_outbox(study).replace("R01-0003", "much", "a bit").comment("R01-0004", "Team name?").save(
        study.root / RETURNED
    )
    assert run_review(study) == (
        "waiting",
        ("researcher: returned, decision missing in reviews.csv (1 segment corrected, 1 comment); "
        "add a row for R01 with approved, approved_with_changes or declined"),
    )


def test_approved_takes_the_draft_and_finds_speakers_and_questions(study: Study) -> None:
    write_reviews(study, ["R01,approved,2024-04-02,called me"])
    assert run_review(study) == ("done", "approved 2024-04-02")
    data = approved_json(study)
    assert [(s["segment_id"], s["speaker"], s["question_id"], s["text"]) for s in data["segments"]] == [
        ("R01-0001", "respondent", None, "Thank you for taking the time for this interview."),
        ("R01-0002", "interviewer", "q1", "How did you expect it would be?"),
        ("R01-0003", "respondent", "q1", "I expected that the data would make our work much easier for r01."),
        ("R01-0004", "respondent", "q1", "And the colleagues in the r01 team agreed with that at first."),
        ("R01-0005", "interviewer", "q2", "How do you deal with it now?"),
        ("R01-0006", "respondent", "q2", "Now we look at the dashboard of r01 every single week."),
    ]
    draft_sha = load_manifest(study, "transcription", "R01").outputs["out/03_transcription/R01.json"]  # type: ignore[union-attr]
    assert {k: data[k] for k in ("decision", "decided_on", "draft_sha256", "review_notes", "engine")} == {
        "decision": "approved", "decided_on": "2024-04-02", "draft_sha256": draft_sha, "review_notes": [], "engine": "fake"
    }
    assert (study.root / "out/04_review/R01.changes.csv").read_text() == "segment_id,before,after,words_changed\n"
    assert [row.to_json() for row in approved(Study.at(study.root))] == [
        {"respondent_id": "R01", "stage": "review", "status": "done", "detail": "approved 2024-04-02"}
    ]
    assert "called me" not in json.dumps(data)


def test_approved_with_changes_takes_the_respondents_text_and_comments(study: Study) -> None:
    (
        returned_from_outbox(study)
        .replace("R01-0003", "much easier", "somewhat easier")
        .replace("R01-0004", " at first", "")
        .move("R01-0006", " every single week", "R01-0003")
        .replace("R01-0002", "would be", "would turn out")
        .comment("R01-0003", "Please leave out the team name.")
        .comment("R01-0004", "This covers both answers.", until="R01-0006")
        .comment_on_cover("Thanks, the rest is fine.")
        .save(study.root / RETURNED)
    )
    write_reviews(study, ["R01,approved_with_changes,2024-04-02,"])
    assert run_review(study) == (
        "done", "approved with changes 2024-04-02: 4 segments corrected, 3 comments"
    )
    data = approved_json(study)
    assert [(s["speaker"], s["question_id"], s["text"]) for s in data["segments"]] == [
        ("respondent", None, "Thank you for taking the time for this interview."),
        ("interviewer", "q1", "How did you expect it would turn out?"),
        ("respondent", "q1", "I expected that the data would make our work somewhat easier for r01. every single week"),
        ("respondent", "q1", "And the colleagues in the r01 team agreed with that."),
        ("interviewer", "q2", "How do you deal with it now?"),
        ("respondent", "q2", "Now we look at the dashboard of r01."),
    ]
    assert data["review_notes"] == [
        {"segment_id": "", "text": "Thanks, the rest is fine."},
        {"segment_id": "R01-0003", "text": "Please leave out the team name."},
        {"segment_id": "R01-0004", "text": "This covers both answers."},
        {"segment_id": "R01-0005", "text": "This covers both answers."},
        {"segment_id": "R01-0006", "text": "This covers both answers."},
    ]
    assert "Jan Jansen" not in json.dumps(data)
    assert (study.root / "out/04_review/R01.changes.csv").read_text() == (
        "segment_id,before,after,words_changed\n"
        "R01-0002,How did you expect it would be?,How did you expect it would turn out?,2\n"
        "R01-0003,I expected that the data would make our work much easier for r01.,"
        "I expected that the data would make our work somewhat easier for r01. every single week,4\n"
        "R01-0004,And the colleagues in the r01 team agreed with that at first.,"
        "And the colleagues in the r01 team agreed with that.,3\n"
        "R01-0006,Now we look at the dashboard of r01 every single week.,Now we look at the dashboard of r01.,4\n"
    )
    assert (study.root / "out/04_review/R01.notes.csv").read_text().splitlines()[:2] == [
        "segment_id,text", ",\"Thanks, the rest is fine.\""
    ]


def test_a_speaker_written_in_the_returned_table_wins(study: Study) -> None:
    returned_from_outbox(study).retype("R01-0001", "interviewer", column=2).retype(
        "R01-0005", "respondent", column=2
    ).save(study.root / RETURNED)
    write_reviews(study, ["R01,approved_with_changes,2024-04-02,"])
    assert run_review(study) == ("done", "approved with changes 2024-04-02: 0 segments corrected, 0 comments")
    segments = approved_json(study)["segments"]
    assert [(s["speaker"], s["question_id"]) for s in segments] == [
        ("interviewer", None), ("interviewer", "q1"), ("respondent", "q1"),
        ("respondent", "q1"), ("respondent", "q1"), ("respondent", "q1"),
    ]


def test_struck_segments_are_kept_empty_and_counted(study: Study) -> None:
    returned_from_outbox(study).replace("R01-0001", "Thank you for taking the time for this interview.", "").save(
        study.root / RETURNED
    )
    write_reviews(study, ["R01,approved_with_changes,2024-04-02,"])
    assert run_review(study) == ("done", "approved with changes 2024-04-02: 1 segment corrected (1 struck), 0 comments")
    assert approved_json(study)["segments"][0]["text"] == ""


def test_approved_refuses_a_returned_file_with_changes(study: Study) -> None:
    returned_from_outbox(study).replace("R01-0003", "much", "far").save(study.root / RETURNED)
    write_reviews(study, ["R01,approved,2024-04-02,"])
    assert run_review(study) == (
        "failed",
        ("reviews.csv row 2: decision approved, but review/returned/R01.docx changes 1 segment; write "
        "approved_with_changes to take them over, or remove the returned file to approve the draft as it is"),
    )


def test_approved_with_changes_needs_the_returned_file(study: Study) -> None:
    write_reviews(study, ["R02,approved,2024-04-01,", "R01,approved_with_changes,2024-04-02,"])
    assert run_review(study) == (
        "failed",
        ("reviews.csv row 3: approved_with_changes for R01 but review/returned/R01.docx is missing; "
        "save the returned document there, or write approved if nothing was changed"),
    )
    assert run_review(study, "R02") == ("done", "approved 2024-04-01")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 ...", "is a PDF, not a Word document; ask for the .docx file (or save it from Word as .docx)"),
        (ole2(), "is an old Word 97-2003 .doc file; open it in Word and save it as .docx (Word Document)"),
        (
            ole2("EncryptedPackage".encode("utf-16-le")),
            ("is password-protected; ask the respondent to remove the password (File > Info > Protect Document) "
            "and send it again"),
        ),
        (b"", "the file is empty (0 bytes); save the document there again"),
        ("empty", "the document is empty; ask for the reviewed transcript again"),
    ],
)
def test_unusable_returned_files_fail_that_respondent_only(study: Study, content: bytes | str, message: str) -> None:
    path = study.root / RETURNED
    if content == "empty":
        docx.Document().save(str(path))
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    write_reviews(study, ["R01,approved_with_changes,2024-04-02,", "R02,approved,2024-04-02,"])
    assert run_review(study) == ("failed", f"{RETURNED}: {message}")
    assert run_review(study, "R02") == ("done", "approved 2024-04-02")
    assert not (study.root / "out/04_review/approved/R01.json").exists()


FIX = "restore the rows and their segment ids as in out/04_review/outbox/R01.docx (edit only the text column) and save it again"


@pytest.mark.parametrize(
    ("edit", "problems"),
    [
        (lambda e: e.remove_row("R01-0004"), "segment ids removed: R01-0004"),
        (lambda e: e.delete_row_tracked("R01-0004"), "segment ids removed: R01-0004"),
        (lambda e: e.add_row_after("R01-0002", "", "An extra answer."), "rows added without a segment id: table row 4"),
        (
            lambda e: e.retype("R01-0003", "R01-003", column=0),
            "segment ids removed: R01-0003; segment ids changed: 'R01-003' (table row 4)",
        ),
        (
            lambda e: e.add_row_after("R01-0002", "R01-0002", "Again."),
            "duplicate segment ids: R01-0002 (table rows 3, 4)",
        ),
        (lambda e: e.merge_with_next("R01-0003"), "rows merged: R01-0003+R01-0004"),
        (
            lambda e: e.retype("R01-0003", "Jan", column=0).add_row_after("R01-0006", "", ""),
            "segment ids removed: R01-0003; segment ids changed: table row 4",
        ),
        (
            lambda e: e.retype("R01-0003", "R01-0003 R01-0004", column=0).remove_row("R01-0004"),
            "rows merged: R01-0003+R01-0004",
        ),
    ],
)
def test_tables_that_do_not_match_the_draft_are_reported(study: Study, edit: object, problems: str) -> None:
    editor = returned_from_outbox(study)
    edit(editor)  # type: ignore[operator]
    editor.save(study.root / RETURNED)
    write_reviews(study, ["R01,approved_with_changes,2024-04-02,"])
    assert run_review(study) == (
        "failed", f"{RETURNED}: the transcript table does not match the draft: {problems}; {FIX}"
    )


def test_decision_rows_with_problems(study: Study) -> None:
    write_reviews(
        study,
        [
            "R01,ok,2024-04-02,",
            "R02,approved,,",
            "R99,approved,2024-04-02,",
            "R 3,approved,2024-04-02,",
            "R03,approved,2024-04-02,",
            "R03,declined,2024-04-03,",
        ],
    )
    (study.root / "review/returned/R77.docx").write_bytes(b"x")
    assert run_review(study) == (
        "failed", "reviews.csv row 2, column decision: 'ok' is not one of approved | approved_with_changes | declined"
    )
    assert run_review(study, "R02") == (
        "failed", "reviews.csv row 3, column decided_on: empty; write the date of the decision, e.g. 2024-04-02"
    )
    assert run_review(study, "R03") == ("failed", "reviews.csv row 7, column respondent_id: R03 appears twice (also row 6); keep one row per respondent")
    assert row_problems(Study.at(study.root), {"R01", "R02", "R03"}) == [
        ("reviews.csv row 5, column respondent_id: the value is not a respondent id; use letters, digits, '-' or '_' "
        "(start with a letter or digit, at most 32 characters)"),
        ("reviews.csv row 4, column respondent_id: R99 is not a respondent in the recruitment log; "
        "correct the id or remove the row"),
        "review/returned/R77.docx: not named after a respondent in the recruitment log; name it <respondent id>.docx",
    ]


def test_declined_excludes_and_removes_the_derived_data(study: Study, fake_transcription: FakeTranscription) -> None:
    run_review(study)
    run_review(study, "R02")
    write_reviews(study, ["R01,declined,2024-04-03,does not want it used"])
    assert run_review(study) == ("excluded", "declined at review on 2024-04-03")
    left = sorted(str(p.relative_to(study.root)) for p in (study.root / "out").rglob("*R01*"))
    assert left == ["out/.state/consent/R01.json", "out/.state/recruitment/R01.json",
                    "out/.state/review/R01.json", "out/.state/transcription/R01.json"]
    fresh = Study.at(study.root)
    assert [(s.stage, s.status, s.detail) for s in respondent_statuses(fresh, "R01")][2:4] == [
        ("transcription", "excluded", "declined at review on 2024-04-03"),
        ("review", "excluded", "declined at review on 2024-04-03"),
    ]
    runs = len(fake_transcription.runs)
    for stage in ("transcription", "review"):
        execute_respondent(Study.at(study.root), stage, "R01")
    assert len(fake_transcription.runs) == runs  # the recording is not transcribed again
    assert outbox(study, "R02").is_file()


def test_an_approved_transcript_is_frozen_when_the_draft_changes(study: Study) -> None:
    write_reviews(study, ["R01,approved,2024-04-02,"])
    run_review(study)
    before = (study.root / "out/04_review/approved/R01.json").read_bytes()
    draft = draft_of("R01")
    changed = type(draft)("R01", (draft.segments[0].with_text("Something else entirely."), *draft.segments[1:]), draft.meta)
    save_transcript(study.root / "out/03_transcription/R01.json", changed)
    assert run_review(study) == (
        "done",
        ("approved 2024-04-02; the draft transcript changed after approval and is not used: the approved one is "
        "kept; to have the new draft reviewed, delete out/04_review/approved/R01.json and R01's row in "
        "reviews.csv, then run again"),
    )
    assert (study.root / "out/04_review/approved/R01.json").read_bytes() == before
    assert load_transcript(study.root / "out/04_review/approved/R01.json").segments[0].text == (
        "Thank you for taking the time for this interview."
    )


def test_review_status_for_everyone(study: Study) -> None:
    write_reviews(study, ["R02,approved,2024-04-02,", "R03,declined,2024-04-03,"])
    for rid in ("R01", "R02", "R03"):
        run_review(study, rid)
    rows = [row.to_json() for row in study_status(Study.at(study.root), "review")]
    assert [(r["respondent_id"], r["status"]) for r in rows] == [("R01", "waiting"), ("R02", "done"), ("R03", "excluded")]


def test_a_broken_cover_text_is_a_config_error(study: Study) -> None:
    path = study.root / "config" / "study.yaml"
    path.write_text(path.read_text().replace("by {due_date}", "by {deadline}"), encoding="utf-8")
    assert run_review(study) == (
        "failed",
        ("config/study.yaml: review.cover_text: unknown or malformed placeholder {deadline}; use {due_date}, "
        "{respondent_id}, {name}, {sent_date}, {title} (write {{ and }} for braces)"),
    )


def test_a_dutch_study_gets_a_dutch_document(study: Study) -> None:
    path = study.root / "config" / "study.yaml"
    text = path.read_text().replace("language: en", "language: nl")
    start = text.index("  cover_text: |")
    path.write_text(text[:start] + "\n".join(text[start:].splitlines()[5:]) + "\n", encoding="utf-8")
    run_review(study)
    document = docx.Document(str(outbox(study)))
    assert document.paragraphs[0].text == "Transcript ter controle: R01"
    assert document.paragraphs[2].text == "Beste Jan Jansen,"
    assert "uiterlijk 3 april 2024 lezen" in document.paragraphs[3].text
    assert read_segment_table(outbox(study), "R01.docx").header == ("Segment (niet wijzigen)", "Tijd", "Spreker", "Tekst")


GUIDE = InterviewGuide.model_validate(
    {
        "questions": [
            {"id": "q1", "topic": "t", "phase": "before", "text": "Hoe dacht u dat het zou worden?"},
            {"id": "q6", "topic": "t", "phase": "now", "text": "Hoe gaat u er nu mee om?", "follows": "q1"},
        ]
    }
)


def segment(n: int, text: str, speaker: str = "unknown") -> Segment:
    return Segment(f"R01-{n:04d}", float(n), float(n) + 1, speaker, text)  # type: ignore[arg-type]


def test_questions_are_found_with_small_deviations_in_any_language() -> None:
    segments = [
        segment(1, "Goedemorgen."),
        segment(2, "Hoe dacht u dat het zou gaan worden?"),
        segment(3, "Ik dacht dat het sneller zou gaan."),
        segment(4, "En hoe gaat u er nu mee om?"),
        segment(5, "Nu werken we met een dashboard.", "interviewer"),
    ]
    assert [(s.speaker, s.question_id) for s in assign(segments, GUIDE)] == [
        ("respondent", None), ("interviewer", "q1"), ("respondent", "q1"), ("interviewer", "q6"), ("interviewer", "q6"),
    ]
    assert similarity("Hoe gaat u er nu mee om", "Hoe gaat u er nu mee om?") == 1.0
    assert similarity("", "Hoe gaat u er nu mee om?") == 0.0


@pytest.mark.parametrize(
    ("before", "after", "count"),
    [("a b c", "a b c", 0), ("a b c", "a x c", 1), ("a b c", "a c", 1), ("a b", "a b c d", 2), ("a b c", "", 3)],
)
def test_words_changed(before: str, after: str, count: int) -> None:
    assert words_changed(before, after) == count
