"""A hand-made coded study for the coding and aggregation tests, small enough to count by hand.

Respondents: R01 (CSV codings, two coders, anonymised), R02 (Word comments), R03 (no consent for
quotes), R04 (withdrawn), R05 (approved, not coded yet); R06 was contacted and never responded.
Transcription and review are stand-ins (their real modules belong to other issues): the
approved transcripts are written directly, as the review stage would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import tasks.protocol as engine
from tasks.protocol import PROTOCOL
from tasks.core.files import write_text
from tasks.core.manifest import Outcome
from tasks.core.study import Study
from tasks.protocol import RESPONDENT_STAGES, STUDY_STAGES
from tasks.core.transcripts import Segment, Transcript, save_transcript
from tests.helpers import thesis_declared

STUDY_YAML = thesis_declared("""study:
  title: Data-driven steering
  language: en
""")
CODEBOOK_YAML = """categories:
  - id: org
    name: Change in the organisation
    definition: How the municipal organisation changes.
    codes:
      - {id: silos, name: Working across silos, definition: Integral working., keywords: [integra, across silos]}
      - {id: language, name: Own language per domain, definition: Definitions differ., keywords: [definition]}
  - id: work
    name: Change in work
    codes:
      - {id: insight, name: Data gives insight, definition: Data shows problems., keywords: [insight]}
      - {id: justify, name: Justifying choices, definition: Data supports choices., keywords: [justif]}
  - id: skills
    name: Competences
    codes:
      - {id: technical, name: Technical competences, definition: Reading data., keywords: [dashboard, interpret]}
relations:
  - {from: insight, to: silos, type: supports}
  - {from: work, to: org, type: causes, note: new work changes the organisation}
  - {from: technical, to: justify, type: relates_to}
"""
GUIDE_YAML = """topics:
  t1: Change
questions:
  - {id: q1, topic: t1, phase: before, text: "How did you expect data would change your work?"}
  - {id: q2, topic: t1, phase: now, follows: q1, text: "And how do you deal with it now?"}
"""
RECRUITMENT_CSV = """respondent_id,channel,contacted_on,responded,interview_date,interview_mode,municipality_size,role,name,email,organisation
R01,municipality_email,2024-01-02,yes,2024-01-10,online,large,all_round,Jan de Vries,jan@example.org,Gemeente Utrecht
R02,linkedin,2024-01-02,yes,2024-01-12,in_person,small,wmo,Petra Bakker,petra@example.org,Gemeente Zwolle
R03,network,2024-01-03,yes,2024-01-15,online,large,jeugd,Karel Smit,karel@example.org,Gemeente Leiden
R04,municipality_email,2024-01-03,yes,2024-01-16,online,medium,wmo,Anna Visser,anna@example.org,Gemeente Delft
R05,municipality_email,2024-01-04,yes,2024-01-20,online,large,participatie,Mark Jansen,mark@example.org,Gemeente Ede
R06,linkedin,2024-01-04,no,,,large,,Els Mulder,els@example.org,Gemeente Gouda
"""
CONSENT_CSV = """respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on
R01,2024-01-10,yes,yes,yes,yes,
R02,2024-01-12,yes,yes,yes,no,
R03,2024-01-15,yes,yes,no,no,
R04,2024-01-16,yes,yes,yes,no,2024-03-01
R05,2024-01-20,yes,yes,yes,no,
"""
Q1 = "How did you expect data would change your work?"
Q2 = "And how do you deal with it now?"
TRANSCRIPTS: dict[str, list[tuple[str, str, str | None]]] = {
    "R01": [
        ("interviewer", Q1, "q1"),
        ("respondent", "I expected that we would work across silos, and Jan de Vries at Gemeente Utrecht said the same thing about data.", "q1"),
        ("respondent", "Data gives insight into problems in the neighbourhood, that was the hope for all of us.", "q1"),
        ("interviewer", Q2, "q2"),
        ("respondent", "Now I read a dashboard every week and I justify choices with the figures we have.", "q2"),
    ],
    "R02": [
        ("interviewer", Q1, "q1"),
        ("respondent", "Every domain in Zwolle has its own definition of a client, which confuses everybody here.", "q1"),
        ("respondent", "The data gives insight, but we must interpret it with care and context.", "q2"),
    ],
    "R03": [
        ("interviewer", Q1, "q1"),
        ("respondent", "We hoped for more integral working across the silos of the social domain.", "q1"),
        ("respondent", "I now justify every budget choice with data from the dashboard.", "q2"),
    ],
    "R04": [("respondent", "Withdrawn words that must never appear anywhere in the results.", "q1")],
    "R05": [("respondent", "Approved but not coded yet, so not counted.", "q1")],
}
R01_CODINGS = """segment_id,code,coder,note
R01-0002,silos,AB,
R01-0003,insight,AB,
R01-0003,Working across silos,AB,name instead of id
R01-0005,technical,AB,
R01-0005,justify,AB,
R01-0005,TECHNICAL,CD,second coder
"""
R03_CODINGS = """segment_id;code;coder
R03-0002;silos;AB
R03-0002;insight;AB
R03-0003;justify;AB
"""
NAMES = ("Jan de Vries", "Vries", "Utrecht", "Petra", "Bakker", "Zwolle", "Karel", "Smit", "Leiden", "example.org")


def transcript(rid: str) -> Transcript:
    segments = tuple(
        Segment(f"{rid}-{n:04d}", 10.0 * n, 10.0 * n + 8, speaker, text, qid)  # type: ignore[arg-type]
        for n, (speaker, text, qid) in enumerate(TRANSCRIPTS[rid], start=1)
    )
    return Transcript(rid, segments, {"decision": "approved", "decided_on": "2024-02-01"})


def write_study(root: Path, codebook: str = CODEBOOK_YAML) -> Study:
    """The study folder with approved transcripts and codings (R02's as Word comments)."""
    write_text(root / "config" / "study.yaml", STUDY_YAML)
    write_text(root / "config" / "codebook.yaml", codebook)
    write_text(root / "config" / "interview_guide.yaml", GUIDE_YAML)
    write_text(root / "recruitment.csv", RECRUITMENT_CSV)
    write_text(root / "consent.csv", CONSENT_CSV)
    study = Study.at(root)
    for rid in TRANSCRIPTS:
        save_transcript(study.catalog.stage_dir("review") / "approved" / f"{rid}.json", transcript(rid))
    write_text(root / "codings" / "R01.csv", R01_CODINGS)
    write_text(root / "codings" / "R03.csv", R03_CODINGS)
    write_text(root / "codings" / "R04.csv", "segment_id,code,coder\nR04-0001,silos,AB\n")
    write_comments(root / "codings" / "R02.docx", transcript("R02"), {2: "own LANGUAGE per domain", 3: "insight; technical"})
    return study


def write_comments(path: Path, source: Transcript, comments: dict[int, str], author: str = "CD") -> None:
    """A coded copy as Word saves it: the coding copy with comments on segment rows (by number)."""
    from tasks.open_coding.word import coding_copy

    document = coding_copy(source, "instructions")
    rows = document.tables[0].rows
    for number, text in comments.items():
        document.add_comment(rows[number].cells[3].paragraphs[0].runs, text=text, author=author, initials=author)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


class FakeStage:
    """Stands in for transcription and review; counts how often its work runs."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.version = "test"
        self.calls = 0

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        return {}

    def run(self, study: Study, respondent_id: str) -> Outcome:
        self.calls += 1
        return Outcome("done", "stand-in")


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> dict[str, FakeStage]:
    return install_fakes(monkeypatch)


def run_pipeline(root: Path, study_stages: bool = True) -> dict[str, Any]:
    """What `interview-study run` does, without Prefect: every stage through the engine."""
    study = Study.at(root)
    manifests: dict[str, Any] = {}
    for rid in TRANSCRIPTS:
        for stage in RESPONDENT_STAGES:
            manifests[f"{stage}/{rid}"] = engine.execute_respondent(study, stage, rid)
    if study_stages:
        manifests.update(run_aggregate(root))
    return manifests


def run_aggregate(root: Path) -> dict[str, Any]:
    """What `interview-study aggregate` does, without Prefect: refresh open coding, then the study stages."""
    study = Study.at(root)
    manifests: dict[str, Any] = {}
    for rid in TRANSCRIPTS:
        manifests[f"open_coding/{rid}"] = engine.execute_respondent(study, "open_coding", rid)
    study = Study.at(root)
    for stage in STUDY_STAGES:
        manifests[stage] = engine.execute_study(study, stage)
    return manifests


def install_fakes(patch: pytest.MonkeyPatch) -> dict[str, FakeStage]:
    stand_ins = {"transcription": FakeStage("transcription"), "review": FakeStage("review")}
    patch.setattr(PROTOCOL, "respondent", tuple(stand_ins.get(stage.name, stage) for stage in PROTOCOL.respondent))
    return stand_ins


def coded_study(factory: pytest.TempPathFactory) -> Path:
    """The hand-made study run through every stage once (for read-only tests)."""
    root = factory.mktemp("coded") / "study"
    with pytest.MonkeyPatch.context() as patch:
        install_fakes(patch)
        write_study(root)
        manifests = run_pipeline(root)
    assert [manifests[s].status for s in STUDY_STAGES] == ["done", "done", "done"]
    return root
