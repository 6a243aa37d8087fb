"""The example study's synthetic interviews: dialogue scripts and the coding plan derived from them.

Each `dialogues/<rid>.yaml` holds the utterances of one interview, in order. Utterance n (1-based)
becomes segment `<rid>-000n` once transcribed (one utterance = one segment: the recordings put
1.5 s of silence between utterances). A respondent utterance's `codes` are the researcher's planned
codings; `coding_plan.csv` lists them as `respondent_id, utterance, code` and `TARGETS` holds the
number of respondents per code that the thesis reports (../../shared/STUDY.md, chapter 4).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DIALOGUES = HERE / "dialogues"
PLAN = HERE / "coding_plan.csv"
PLAN_COLUMNS = ("respondent_id", "utterance", "code")
SPEAKERS = ("interviewer", "respondent")

# Respondents per code, as the thesis reports them (n = 13). "Expected to work more integrally" is
# planned as `working_across_silos` (category 1), not as `integral_working` (category 2).
TARGETS: dict[str, int] = {
    "data_gives_insight": 13,
    "working_across_silos": 13,
    "technical_competences": 11,
    "statistics_research_department": 10,
    "counting_and_recounting": 8,
    "prevention": 7,  # "more than half"
    "own_language_per_domain": 7,
    "managing_expectations": 5,
    "neighbourhood_oriented": 5,
    "justifying_choices": 5,
    "affinity_with_data": 5,
    "communicating_vessels": 4,
    "data_shows_trends": 4,
    "interpersonal_competences": 4,
    "autonomous_developments": 3,
    "granularity": 1,  # respondent 6 only
}
OTHER_MAX = 3  # codes the thesis does not count: 0 to 3 respondents each


@dataclass(frozen=True)
class Utterance:
    speaker: str
    text: str
    question_id: str | None = None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dialogue:
    respondent_id: str
    respondent_voice: str
    utterances: tuple[Utterance, ...]


def load(path: Path) -> Dialogue:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    utterances = tuple(
        Utterance(
            speaker=u["speaker"],
            text=" ".join(str(u["text"]).split()),
            question_id=u.get("question_id"),
            codes=tuple(u.get("codes", ())),
        )
        for u in data["utterances"]
    )
    for n, u in enumerate(utterances, 1):
        if u.speaker not in SPEAKERS:
            raise ValueError(f"{path.name}: utterance {n}: speaker must be one of {SPEAKERS}")
    return Dialogue(data["respondent_id"], data.get("respondent_voice", "nl+f3"), utterances)


def load_all(folder: Path = DIALOGUES) -> list[Dialogue]:
    return [load(path) for path in sorted(folder.glob("*.yaml"))]


def plan_rows(dialogues: list[Dialogue]) -> list[tuple[str, int, str]]:
    return [
        (d.respondent_id, n, code)
        for d in dialogues
        for n, u in enumerate(d.utterances, 1)
        for code in u.codes
    ]


def plan_csv(dialogues: list[Dialogue]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLAN_COLUMNS)
    writer.writerows(plan_rows(dialogues))
    return buffer.getvalue()


def respondents_per_code(rows: list[tuple[str, int, str]]) -> Counter[str]:
    return Counter(code for _, code in {(rid, code) for rid, _, code in rows})


def plan_problems(rows: list[tuple[str, int, str]]) -> list[str]:
    """Differences between the plan and the thesis's counts (empty when the plan reproduces them)."""
    counts = respondents_per_code(rows)
    problems = [
        f"{code}: {counts.get(code, 0)} respondents planned, thesis reports {want}"
        for code, want in TARGETS.items()
        if counts.get(code, 0) != want
    ]
    problems += [
        f"{code}: {got} respondents planned, at most {OTHER_MAX} for a code the thesis does not count"
        for code, got in sorted(counts.items())
        if code not in TARGETS and got > OTHER_MAX
    ]
    return problems
