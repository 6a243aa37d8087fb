"""The example study's inputs (repository root) are the thesis study of ../shared/STUDY.md."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from tasks.core.catalog.consent import consent_of
from tasks.core.study import Study
from tasks.core.catalog.recruitment import read_log
from tests.example.interviews import PLAN, load_all, plan_csv, plan_problems, plan_rows

ROOT = Path(__file__).resolve().parents[2]
RESPONDENTS = [f"R{n:02d}" for n in range(1, 14)]
MARKERS = ("Fictief Persoon", ".fictief@voorbeeld.invalid", "Gemeente Verzin")


@pytest.fixture(scope="module")
def study() -> Study:
    return Study.at(ROOT)


def test_config_files_load(study: Study) -> None:
    assert study.config.study.language == "nl"
    assert study.config.sampling.targets == {"municipality_size": {"small": 4, "medium": 4, "large": 5}}
    assert study.config.aggregation.attributes == ["municipality_size", "role", "interview_mode"]
    assert "{due_date}" in study.config.review.cover_text
    config = study.config
    assert config.attribute_names() == ("municipality_size", "role")
    assert config.allowed_values("municipality_size") == ("small", "medium", "large")
    assert [config.label("municipality_size", size, "nl") for size in ("small", "medium", "large")] == [
        "klein",
        "middelgroot",
        "groot",
    ]
    assert config.allowed_values("role") == (
        "informatieregisseur",
        "adviseur_informatievoorziening",
        "allround",
        "jeugd",
        "wmo",
        "participatie",
    )
    assert config.allowed_values("channel") == ("linkedin", "network", "municipality_email")
    assert config.allowed_values("interview_mode") == ("online", "in_person")


def test_the_methods_section_answers_every_coreq_item_from_the_thesis(study: Study) -> None:
    from tasks.aggregation.coreq import missing

    methods = study.config.methods
    assert missing(methods) == {}
    assert len(methods.interviewers) == 1  # the researcher was the sole interviewer
    assert "masterthesis" in (methods.interviewers[0].credentials or "")
    assert "online via Teams" in (methods.setting or "")
    assert (methods.data_saturation, methods.field_notes) == ("Niet besproken in de thesis.", "Niet vermeld in de thesis.")


def test_codebook_has_the_six_categories_and_27_codes(study: Study) -> None:
    codebook = study.codebook
    assert [len(c.codes) for c in codebook.categories] == [6, 9, 3, 4, 2, 3]
    assert codebook.core_category == "work_change"
    for _, code in codebook.codes():
        assert code.name and code.definition and code.keywords, code.id


def test_guide_asks_four_topics_before_and_now(study: Study) -> None:
    questions = study.guide.questions
    assert [q.id for q in questions] == [f"q{n}" for n in range(1, 11)]
    assert [q.phase for q in questions] == ["before"] * 5 + ["now"] * 5
    assert [q.follows for q in questions[5:]] == ["q1", "q2", "q3", "q4", "q5"]
    assert [q.topic for q in questions[:5]] == [q.topic for q in questions[5:]]


def test_recruitment_matches_chapter_3_2(study: Study) -> None:
    log = read_log(study)
    assert not log.errors and not log.row_errors
    interviewed = [r for r in log.recruits.values() if r.interview_date is not None]
    assert [r.respondent_id for r in interviewed] == RESPONDENTS
    assert Counter(r.attributes["municipality_size"] for r in interviewed) == {"large": 11, "medium": 1, "small": 1}
    assert Counter(r.interview_mode for r in interviewed) == {"online": 12, "in_person": 1}
    assert Counter(r.attributes["role"] for r in interviewed) == {
        "allround": 6,
        "informatieregisseur": 1,
        "adviseur_informatievoorziening": 1,
        "jeugd": 1,
        "wmo": 2,
        "participatie": 2,
    }
    channels = Counter(r.channel for r in interviewed)
    assert channels.most_common(1)[0] == ("municipality_email", 9)
    assert len(log.recruits) - len(interviewed) == 12  # contacted, never responded


def test_personal_columns_are_fictitious_and_unique() -> None:
    with (ROOT / "recruitment.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for column, marker in zip(("name", "email", "organisation"), MARKERS, strict=True):
        values = [row[column] for row in rows]
        assert len(set(values)) == len(rows)
        assert all(marker in value for value in values), column


def test_everyone_consented_three_asked_for_anonymity(study: Study) -> None:
    consents = [consent_of(study, rid) for rid in RESPONDENTS]
    assert all(c is not None and c.state == "consented" for c in consents)
    assert [c.respondent_id for c in consents if c and c.anonymize] == ["R04", "R09", "R12"]
    assert [c.respondent_id for c in consents if c and not c.quotes] == ["R09"]


def test_reviews_come_after_the_interviews(study: Study) -> None:
    log = read_log(study)
    with (ROOT / "reviews.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["respondent_id"] for row in rows] == RESPONDENTS
    # Whisper base hears the synthetic voices roughly: every respondent corrects their transcript
    assert Counter(row["decision"] for row in rows) == {"approved_with_changes": 13}
    assert all(row["note"] for row in rows)
    for row in rows:
        interview = log.recruits[row["respondent_id"]].interview_date
        assert interview is not None and dt.date.fromisoformat(row["decided_on"]) > interview


def test_dialogues_ask_guide_questions_and_code_answers(study: Study) -> None:
    guide = {q.id: q.text for q in study.guide.questions}
    codes = study.codebook.code_ids()
    dialogues = load_all()
    assert [d.respondent_id for d in dialogues] == RESPONDENTS
    for d in dialogues:
        questions = [u for u in d.utterances if u.speaker == "interviewer"]
        assert 4 <= len(questions) <= 8, d.respondent_id
        for u in d.utterances:
            assert not any(marker.lower() in u.text.lower() for marker in MARKERS)
            if u.speaker == "interviewer":
                assert u.question_id in guide and u.text == guide[u.question_id] and not u.codes
            else:
                assert u.question_id is None and all(code in codes for code in u.codes)


def test_coding_plan_reproduces_the_thesis_counts() -> None:
    dialogues = load_all()
    assert plan_problems(plan_rows(dialogues)) == []
    assert PLAN.read_text(encoding="utf-8") == plan_csv(dialogues)
    assert [(rid, code) for rid, _, code in plan_rows(dialogues) if code == "granularity"] == [
        ("R06", "granularity")
    ]


def test_recordings_of_three_kinds_and_the_voice_clip_at_most_6_mb(study: Study) -> None:
    from tests.example.make_recordings import audio_files

    paths = {rid: study.catalog.recording(rid) for rid in RESPONDENTS}
    assert paths["R02"] == ROOT / "audio" / "R02"  # one track per participant
    assert study.catalog.tracks(ROOT / "audio" / "R02") == {
        "interviewer": ROOT / "audio" / "R02" / "interviewer.ogg",
        "respondent": ROOT / "audio" / "R02" / "respondent.ogg",
    }
    assert all(paths[rid] == ROOT / "audio" / f"{rid}.ogg" for rid in RESPONDENTS if rid != "R02")
    assert study.catalog.interviewer_voice() == ROOT / "audio" / "interviewer_voice.ogg"
    assert [p.relative_to(ROOT).as_posix() for p in audio_files()] == sorted(
        ["audio/interviewer_voice.ogg", "audio/R02/interviewer.ogg", "audio/R02/respondent.ogg"]
        + [f"audio/{rid}.ogg" for rid in RESPONDENTS if rid != "R02"]
    )
    assert sum(p.stat().st_size for p in audio_files()) <= 6 * 1024 * 1024


def test_stereo_and_mono_recordings() -> None:
    channels = {path.stem: av_channels(path) for path in (ROOT / "audio").rglob("*.ogg")}
    assert {name for name, count in channels.items() if count == 2} == {"R03"}
    assert set(channels.values()) == {1, 2}


def av_channels(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        return int(container.streams.audio[0].codec_context.channels)


@pytest.mark.slow
def test_recordings_split_into_one_segment_per_utterance() -> None:
    from tests.example.make_recordings import check

    assert [p for d in load_all() for p in check(d)] == []


def test_returned_documents_for_exactly_the_respondents_who_made_changes() -> None:
    with (ROOT / "reviews.csv").open(encoding="utf-8") as handle:
        changed = [row["respondent_id"] for row in csv.DictReader(handle) if row["decision"] == "approved_with_changes"]
    assert sorted(path.stem for path in (ROOT / "review" / "returned").glob("*.docx")) == changed


def test_returned_documents_read_as_the_script() -> None:
    from tasks.core.wordml import read_segment_table
    from tasks.review.importer import speaker_written
    from tests.example.make_returns import COMMENTS

    for path in sorted((ROOT / "review" / "returned").glob("*.docx")):
        table = read_segment_table(path, path.name)
        dialogue = next(d for d in load_all() if d.respondent_id == path.stem)
        assert [row.text for row in table.rows] == [u.text for u in dialogue.utterances]
        assert [speaker_written(row.cells[2]) for row in table.rows] == [u.speaker for u in dialogue.utterances]
        assert table.comment_count == len(COMMENTS.get(path.stem, [])) <= 2


def test_codings_are_tables_for_r01_to_r07_and_word_comments_for_r08_to_r13() -> None:
    from tests.example.make_codings import coding_table, load_plan

    files = sorted(p.name for p in (ROOT / "codings").iterdir())
    assert files == [f"R{n:02d}.csv" for n in range(1, 8)] + [f"R{n:02d}.docx" for n in range(8, 14)]
    plan = load_plan()
    for n in range(1, 8):
        rid = f"R{n:02d}"
        assert (ROOT / "codings" / f"{rid}.csv").read_text(encoding="utf-8") == coding_table(plan, rid)


def test_word_codings_name_the_planned_codes() -> None:
    from tasks.open_coding.stage import CodeLookup
    from tasks.open_coding.word import read_comments
    from tests.example.make_codings import CODER, load_plan

    lookup = CodeLookup(Study.at(ROOT).codebook)
    plan = load_plan()
    written: set[str] = set()
    for n in range(8, 14):
        rid = f"R{n:02d}"
        comments = read_comments(ROOT / "codings" / f"{rid}.docx", rid)
        coded = {
            (int(c.segment_ids[0][-4:]), lookup.resolve(name))
            for c in comments
            if c.author == CODER
            for name in c.text.split(", ")
        }
        assert all(len(c.segment_ids) == 1 for c in comments)
        assert coded == {(u, code) for u, codes in plan[rid].items() for code in codes}
        written |= {name for c in comments for name in c.text.split(", ")}
    ids = set(Study.at(ROOT).codebook.code_ids())
    assert written & ids and written - ids  # codes named by id and by name
