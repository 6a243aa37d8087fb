"""A small coded study on disk for the exchange, agreement and methods tests: two approved
transcripts (one respondent asked for anonymity), normalised codings by two coders, a codebook
with two categories, an unused code and a relation, one withdrawn respondent."""

from __future__ import annotations

import json
from pathlib import Path

from tasks.core.study import Study
from tests.helpers import write_study

CODEBOOK = """\
categories:
  - id: organisation
    name: Organisatie
    definition: Hoe de organisatie verandert.
    codes:
      - id: silos
        name: Over kokers heen
        definition: Samenwerken over domeinen heen.
        keywords: [integraal]
      - id: team
        name: Datateam
        definition: Een team van analisten.
  - id: quality
    name: Kwaliteit van data
    definition: ""
    codes:
      - id: granularity
        name: Granulariteit
        definition: Data is te grof.
      - id: unused
        name: Ongebruikt
        definition: Niemand gebruikt deze code.
relations:
  - {from: team, to: silos, type: enables, note: een datateam maakt integraal werken mogelijk}
"""
RECRUITMENT = [
    "R01,linkedin,2024-03-01,yes,2024-03-15,online,large,allround,Jan Jansen,jan@voorbeeld.invalid,Gemeente Aa",
    "R02,municipality_email,2024-03-02,yes,2024-03-20,in_person,small,wmo,Piet Pieters,piet@voorbeeld.invalid,Gemeente Bb",
    "R03,network,2024-03-02,yes,2024-03-22,online,medium,jeugd,Kees Klaassen,kees@voorbeeld.invalid,Gemeente Cc",
    "C01,network,2024-03-04,no,,,large,,Anna Ananas,anna@voorbeeld.invalid,Gemeente Dd",
]
CONSENT = [
    "R01,2024-03-15,yes,yes,yes,no,",
    "R02,2024-03-20,yes,yes,yes,yes,",
    "R03,2024-03-22,yes,yes,yes,no,2024-04-02",
]
SEGMENTS = {
    "R01": [
        ("interviewer", "Hoe werkt u nu met data?"),
        ("respondent", "We werken integraal, über alle kokers heen 🙂."),
        ("interviewer", "En het team?"),
        ("respondent", "Het datateam is klein.\nMaar goed."),
    ],
    "R02": [
        ("interviewer", "Dag Piet, hoe gaat het?"),
        ("respondent", "De data is te grof, zegt Piet Pieters."),
        ("unknown", "Verder niets."),
    ],
}
# respondent_id, segment number, code, coder, note
CODINGS = [
    ("R01", 2, "silos", "AB", "mooi citaat"),
    ("R01", 2, "silos", "CD", ""),
    ("R01", 2, "team", "CD", ""),
    ("R01", 4, "team", "AB", ""),
    ("R01", 4, "team", "CD", ""),
    ("R02", 2, "granularity", "AB", ""),
    ("R02", 2, "granularity", "CD", ""),
    ("R02", 3, "silos", "AB", ""),
]


def write_coded_study(root: Path) -> Study:
    write_study(root, RECRUITMENT, CONSENT)
    (root / "config" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "reviews.csv").write_text(
        "respondent_id,decision,decided_on,note\nR01,approved,2024-03-25,\nR02,approved_with_changes,2024-03-28,\n",
        encoding="utf-8",
    )
    for rid, segments in SEGMENTS.items():
        write_approved(root, rid, segments)
    lines = ["respondent_id,segment_id,code,coder,source,note"]
    for rid in SEGMENTS:
        rows = [c for c in CODINGS if c[0] == rid]
        body = [f"{r},{r}-{n:04d},{code},{coder},csv,{note}" for r, n, code, coder, note in rows]
        path = root / "out" / "05_open_coding" / f"{rid}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([*lines, *body]) + "\n", encoding="utf-8")
    return Study.at(root)


def write_approved(root: Path, rid: str, segments: list[tuple[str, str]], duration: float = 1800.0) -> None:
    data = {
        "respondent_id": rid,
        "engine": "faster-whisper",
        "model": "base",
        "duration": duration,
        "language": "nl",
        "decision": "approved",
        "decided_on": "2024-03-25",
        "segments": [
            {
                "segment_id": f"{rid}-{n:04d}",
                "start": 10.0 * (n - 1),
                "end": 10.0 * n - 2,
                "speaker": speaker,
                "text": text,
                "question_id": None,
            }
            for n, (speaker, text) in enumerate(segments, start=1)
        ],
    }
    path = root / "out" / "04_review" / "approved" / f"{rid}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
