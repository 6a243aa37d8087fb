"""Recall and precision of pseudonymisation on the labelled sentences of tests/data/pseudonymisation/.

Each respondent's sentences go through `pseudonymise_texts` together (as their quotes would), in a
study whose recruitment.csv lists no names, so that only detection and name forms count. An
entity is caught when none of its identifying words (its words less titles, particles and generic
words such as "Gemeente" or "Council") is left in the published sentence. A replacement (a row of
the review list) is right when it overlaps a labelled entity of its sentence. Recall is given per
entity kind and for the variants (*); precision per kind that the placeholder names (NAAM: a
capitalised word of unknown kind).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tasks.core.study import Study
from tasks.privacy.pseudonymise import pseudonymise_texts
from tasks.privacy.review import review
from tasks.privacy.variants import WORD, distinctive
from tests.tasks.coded_study import write_coded_study

DATA = Path(__file__).resolve().parents[2] / "data" / "pseudonymisation"
ENTITY = re.compile(r"\{(?P<kind>[PLO])(?P<variant>\*?):(?P<text>[^}]+)\}")
KINDS = {"P": "person", "L": "place", "O": "organisation"}
TAGS = {"PERSOON": "person", "GEMEENTE": "place", "ORGANISATIE": "organisation", "NAAM": "name (kind unknown)"}


@dataclass(frozen=True)
class Entity:
    kind: str
    variant: bool
    text: str


@dataclass(frozen=True)
class Sentence:
    rid: str
    text: str
    entities: tuple[Entity, ...]


def load(language: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    rid = ""
    for line in (DATA / f"{language}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            rid = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            entities = tuple(Entity(KINDS[m["kind"]], bool(m["variant"]), m["text"]) for m in ENTITY.finditer(line))
            sentences.append(Sentence(rid, ENTITY.sub(lambda m: m["text"], line), entities))
    return sentences


def evaluation_study(root: Path, language: str) -> Study:
    """A study in `language` whose recruitment.csv has no personal columns."""
    study = write_coded_study(root)
    config = study.root / "config" / "study.yaml"
    text = re.sub(r"language: \w+", f"language: {language}", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    recruitment = study.root / "recruitment.csv"
    lines = recruitment.read_text(encoding="utf-8").splitlines()
    recruitment.write_text("\n".join(",".join(line.split(",")[:8]) for line in lines) + "\n", encoding="utf-8")
    return Study.at(study.root)


@dataclass
class Scores:
    caught: dict[str, list[bool]]  # kind (and "variants") -> caught per entity
    right: dict[str, list[bool]]  # placeholder kind -> right per replacement
    missed: list[str]
    wrong: list[str]


def evaluate(study: Study, sentences: list[Sentence]) -> Scores:
    by_rid: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_rid[sentence.rid].append(sentence)
    scores = Scores(defaultdict(list), defaultdict(list), [], [])
    for rid, group in by_rid.items():
        segments = [f"{rid}-{n:04d}" for n in range(1, len(group) + 1)]
        published = pseudonymise_texts(study, rid, [s.text for s in group], segments)
        rows = list(review(study).rows)
        for segment, sentence, text in zip(segments, group, published):
            _score_recall(scores, sentence, text)
            _score_precision(scores, sentence, [(r[2], r[3]) for r in rows if r[0] == rid and r[1] == segment])
    return scores


def _identifying(text: str) -> set[str]:
    return {w.lower() for w in (distinctive(text) or WORD.findall(text))}


def _score_recall(scores: Scores, sentence: Sentence, text: str) -> None:
    for entity in sentence.entities:
        left = [w for w in distinctive(entity.text) or WORD.findall(entity.text) if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
        scores.caught[entity.kind].append(not left)
        if entity.variant:
            scores.caught["variants (*)"].append(not left)
        if left:
            scores.missed.append(f"{entity.text!r} in {text!r}")


def _score_precision(scores: Scores, sentence: Sentence, replaced: list[tuple[str, str]]) -> None:
    gold = set().union(*(_identifying(e.text) for e in sentence.entities)) if sentence.entities else set()
    for candidate, placeholder in replaced:
        right = bool(_identifying(candidate) & gold)
        kind = TAGS.get(placeholder.strip("[]").rsplit("-", 1)[0], "other")
        scores.right[kind].append(right)
        if not right:
            scores.wrong.append(f"{candidate!r} -> {placeholder} in {sentence.text!r}")


def recall(scores: Scores) -> float:
    every = [c for kind, caught in scores.caught.items() if kind in KINDS.values() for c in caught]
    return sum(every) / len(every)


def precision(scores: Scores) -> float:
    every = [r for right in scores.right.values() for r in right]
    return sum(every) / len(every) if every else 1.0


def table(results: dict[str, Scores]) -> str:
    """Markdown: recall per language and entity kind, precision per language and placeholder kind."""
    lines = ["| language | entity kind | entities | caught | recall | replacements as this kind | right | precision |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for language, scores in results.items():
        kinds = [*KINDS.values(), "variants (*)", *(k for k in scores.right if k not in KINDS.values())]
        for kind in kinds:
            caught, right = scores.caught.get(kind, []), scores.right.get(kind, [])
            r = f"{sum(caught) / len(caught):.3f}" if caught else ""
            p = f"{sum(right) / len(right):.3f}" if right else ""
            lines.append(f"| {language} | {kind} | {len(caught) or ''} | {sum(caught) if caught else ''} | {r} | "
                         f"{len(right) or ''} | {sum(right) if right else ''} | {p} |")
        total = [c for k in KINDS.values() for c in scores.caught[k]]
        lines.append(f"| {language} | **all** | {len(total)} | {sum(total)} | **{recall(scores):.3f}** | "
                     f"{sum(len(r) for r in scores.right.values())} | {sum(sum(r) for r in scores.right.values())} | "
                     f"**{precision(scores):.3f}** |")
    return "\n".join(lines)
