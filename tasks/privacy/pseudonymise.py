"""Pseudonymising quote text: names, organisations and other personal values from the study's
own list (the personal columns of recruitment.csv) become [PERSOON-1], [ORGANISATIE-1], ...

Replacements are consistent within a respondent: the respondent's own values are numbered
first, then everyone else's in recruitment-log order, so the same name always gets the same
placeholder in that respondent's quotes, whichever quotes are published. The raw table (with its
personal columns) is read only here. API: `pseudonymise_texts(study, rid, texts)` (one
respondent's texts, in reading order) and `pseudonymise(study, rid, text)`; `strip_personal` is the
list-based part alone (for respondents who did not ask for anonymisation: personal columns never
leave recruitment.csv). What was replaced is recorded for the key file, which
`tasks.privacy.key.save_key` writes once at the end of a stage run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tasks.core.files import fingerprint
from tasks.core.study import Study
from tasks.core.tables import read_table
from tasks.privacy.key import key_book
from tasks.privacy.names import replace_names, version
from tasks.privacy.review import review

PARTICLES = {"van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "'t", "von", "le", "la"}
ORG_PREFIXES = ("gemeente ", "municipality of ", "de gemeente ")
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Value:
    owner: str
    tag: str
    text: str
    variants: tuple[str, ...]


@dataclass
class PersonalList:
    values: list[Value]
    index: dict[str, int]  # lowercased variant -> position in values
    by_first: dict[str, list[str]] = field(default_factory=dict)  # first word -> variants starting with it
    rank: list[int] = field(default_factory=list)  # per value: its number among its tag's distinct values
    totals: dict[str, int] = field(default_factory=dict)  # tag -> number of distinct values
    owned: dict[str, list[int]] = field(default_factory=dict)  # respondent -> positions of their own values


def pseudonymise(study: Study, respondent_id: str, text: str) -> str:
    """`text` pseudonymised for this respondent (see `pseudonymise_texts`)."""
    return pseudonymise_texts(study, respondent_id, [text])[0]


def pseudonymise_texts(
    study: Study, respondent_id: str, texts: Sequence[str], segments: Sequence[str] | None = None
) -> list[str]:
    """`texts` of one respondent with every listed personal value replaced by its placeholder for this
    respondent, then the names, places and organisations the lists miss (tasks/privacy/names.py,
    only on these texts) and every form of every known name, numbered consistently across the
    texts and calls.

    The respondent's own values and every name actually replaced are recorded for the key file
    (`tasks.privacy.key.save_key(study)` once when the run is done) and, with `segments` (the
    texts' segment ids), for the review list (`tasks.privacy.review.save_review`).
    """
    personal = _personal(study)
    found: set[int] = set(personal.owned.get(respondent_id, ()))
    said: list[list[tuple[str, str, str]]] = [[] for _ in texts]
    stripped = [_strip(study, respondent_id, text, found, said[n]) for n, text in enumerate(texts)]
    rows = [(_token(personal, respondent_id, i), personal.values[i].text, "list") for i in sorted(found)]
    key_book(study).record(respondent_id, rows)
    known = [
        (value.text, _token(personal, respondent_id, i))
        for i, value in enumerate(personal.values)
        if value.tag in ("PERSOON", "ORGANISATIE")
    ]
    published, detected = replace_names(study, respondent_id, stripped, dict(personal.totals), known)
    if segments is not None:
        review(study).add(
            [(respondent_id, segment, *row) for segment, first, then in zip(segments, said, detected) for row in (*first, *then)],
            len(texts),
        )
    return published


def strip_personal(study: Study, respondent_id: str, text: str) -> str:
    """`text` with the personal values of recruitment.csv replaced (own values numbered first)."""
    return _strip(study, respondent_id, text, set(), [])


def _strip(study: Study, respondent_id: str, text: str, found: set[int], said: list[tuple[str, str, str]]) -> str:
    personal = _personal(study)
    if not personal.index or not text:
        return text
    # One alternation of thousands of values is slow per text: try only the values whose first
    # word occurs in this text (most quotes hold none).
    words = set(WORD.findall(text.lower()))
    candidates = sorted({v for w in words for v in personal.by_first.get(w, ())}, key=lambda v: (-len(v), v))
    if not candidates:
        return text

    def replace(match: re.Match[str]) -> str:
        position = personal.index[_norm(match.group(0))]
        found.add(position)
        token = _token(personal, respondent_id, position)
        said.append((match.group(0), token, "list"))
        return token

    return _pattern(tuple(candidates)).sub(replace, text)


@lru_cache(maxsize=4096)
def _pattern(variants: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(r"\s+".join(re.escape(p) for p in v.split()) for v in variants)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def key(study: Study, respondent_id: str) -> str:
    """A hash of everything pseudonymisation depends on (for stage fingerprints; no values): the
    lists, the detectors, and the rows the researcher added to the key file (not the rows a run
    writes there, so that a second run finds nothing changed)."""
    def compute() -> str:
        researcher = sorted(
            [rid, *row] for rid, rows in key_book(study).rows.items() for row in rows if row[2] == "researcher"
        )
        return fingerprint([[v.owner, v.tag, v.text] for v in _personal(study).values] + [version(study), researcher])

    return study.cache.memo(key, None, compute)


def _token(personal: PersonalList, respondent_id: str, position: int) -> str:
    """The placeholder of value `position` for this respondent: their own distinct values of a tag
    are 1..k in file order, everyone else's follow in file order (computed from the global ranks,
    so no respondent needs a table of every value)."""
    value = personal.values[position]
    own = _own_ranks(personal, respondent_id)
    ident = (value.tag, _norm(value.text))
    if ident in own:
        return f"[{value.tag}-{own[ident][0]}]"
    rank = personal.rank[position]
    before = sum(1 for (tag, _), (_, r) in own.items() if tag == value.tag and r < rank)
    mine = sum(1 for tag, _ in own if tag == value.tag)
    return f"[{value.tag}-{mine + rank - before}]"


def _own_ranks(personal: PersonalList, respondent_id: str) -> dict[tuple[str, str], tuple[int, int]]:
    """The respondent's distinct own values: (tag, text) -> (own number, global rank)."""
    ranks: dict[tuple[str, str], tuple[int, int]] = {}
    counters: dict[str, int] = {}
    for position in personal.owned.get(respondent_id, ()):
        value = personal.values[position]
        ident = (value.tag, _norm(value.text))
        if ident not in ranks:
            counters[value.tag] = counters.get(value.tag, 0) + 1
            ranks[ident] = (counters[value.tag], personal.rank[position])
    return ranks


def _personal(study: Study) -> PersonalList:
    return study.cache.memo(_personal, None, lambda: _read_personal(study))


def _read_personal(study: Study) -> PersonalList:
    values: list[Value] = []
    path = study.catalog.recruitment_file
    if path.is_file():
        columns = study.config.recruitment.personal_columns
        # per row: a malformed row stops its own respondent (the recruitment stage reports it), not
        # everyone's quotes; its values are still replaced, as far as they can be read
        for row in read_table(path, path.name, ("respondent_id",), per_row=True).rows:
            for column in columns:
                text = " ".join(row.get(column).split())
                if text:
                    tag = _tag(column)
                    values.append(Value(row.get("respondent_id"), tag, text, _variants(tag, text)))
    return _index(values)


def _index(values: list[Value]) -> PersonalList:
    index: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    rank: list[int] = []
    owned: dict[str, list[int]] = {}
    for position, value in enumerate(values):
        for variant in value.variants:
            index.setdefault(_norm(variant), position)
        ident = (value.tag, _norm(value.text))
        if ident not in seen:
            totals[value.tag] = totals.get(value.tag, 0) + 1
            seen[ident] = totals[value.tag]
        rank.append(seen[ident])
        owned.setdefault(value.owner, []).append(position)
    by_first: dict[str, list[str]] = {}
    for variant in sorted(index, key=len, reverse=True):
        first = WORD.search(variant)
        by_first.setdefault(first.group(0) if first else variant, []).append(variant)
    return PersonalList(values, index, by_first, rank, totals, owned)


def _tag(column: str) -> str:
    name = column.lower()
    if "mail" in name:
        return "E-MAIL"
    if any(word in name for word in ("organi", "employer", "werkgever", "gemeente", "municipality")):
        return "ORGANISATIE"
    if "name" in name or "naam" in name:
        return "PERSOON"
    return "GEGEVEN"


def _variants(tag: str, text: str) -> tuple[str, ...]:
    """The full value and the parts people say on their own (given name, surname, town)."""
    found = [text]
    if tag == "PERSOON":
        parts = [p for p in text.split() if p.lower() not in PARTICLES and len(p) >= 3]
        found += [parts[0], parts[-1]] if parts else []
    elif tag == "ORGANISATIE":
        found += [text[len(p):] for p in ORG_PREFIXES if text.lower().startswith(p) and len(text) - len(p) >= 3]
    return tuple(dict.fromkeys(found))


def _norm(text: str) -> str:
    return " ".join(text.lower().split())
