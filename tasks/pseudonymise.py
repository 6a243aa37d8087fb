"""Pseudonymising quote text: names, organisations and other personal values from the study's
own list (the personal columns of recruitment.csv) become [PERSOON-1], [ORGANISATIE-1], ...

Replacements are consistent within a respondent: the respondent's own values are numbered
first, then everyone else's in recruitment-log order, so the same name always gets the same
placeholder in that respondent's quotes. The raw table (with its personal columns) is read only
here. API: `pseudonymise(study, rid, text)`; `strip_personal` is the list-based part alone (for
respondents who did not ask for anonymisation: personal columns never leave recruitment.csv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tasks.core.files import fingerprint
from tasks.core.study import Study
from tasks.core.tables import read_table

PARTICLES = {"van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "'t", "von", "le", "la"}
ORG_PREFIXES = ("gemeente ", "municipality of ", "de gemeente ")


@dataclass(frozen=True)
class Value:
    owner: str
    tag: str
    text: str
    variants: tuple[str, ...]


@dataclass
class PersonalList:
    values: list[Value]
    pattern: re.Pattern[str] | None
    index: dict[str, int]  # lowercased variant -> position in values
    by_first: dict[str, list[str]] = field(default_factory=dict)  # first word -> variants starting with it


def pseudonymise(study: Study, respondent_id: str, text: str) -> str:
    """`text` with every listed personal value replaced by its placeholder for this respondent, then
    the names, places and organisations the lists miss (deduce, see tasks/pseudonymise_names.py)."""
    from tasks.pseudonymise_names import list_counters, replace_names, write_key

    personal = _personal(study)
    tokens = _tokens(study, respondent_id, personal)
    keyed: set[str] = study._cache.setdefault("pseudonym_keyed", set())  # type: ignore[assignment]
    if respondent_id not in keyed:
        keyed.add(respondent_id)
        write_key(study, respondent_id, {personal.values[i].text: t for i, t in tokens.items()}, source="list")
    stripped = strip_personal(study, respondent_id, text)
    return replace_names(study, respondent_id, stripped, list_counters(list(tokens.values())))


def strip_personal(study: Study, respondent_id: str, text: str) -> str:
    """`text` with the personal values of recruitment.csv replaced (own values numbered first)."""
    personal = _personal(study)
    if personal.pattern is None or not text:
        return text
    # One alternation of thousands of values is slow per text: try only the values whose first
    # word occurs in this text (most quotes hold none).
    words = set(WORD.findall(text.lower()))
    found = sorted({v for w in words for v in personal.by_first.get(w, ())}, key=lambda v: (-len(v), v))
    if not found:
        return text
    tokens = _tokens(study, respondent_id, personal)
    return _pattern(tuple(found)).sub(lambda m: tokens[personal.index[_norm(m.group(0))]], text)


WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _pattern(variants: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(r"\s+".join(re.escape(p) for p in v.split()) for v in variants)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def key(study: Study, respondent_id: str) -> str:
    """A hash of everything pseudonymisation depends on (for stage fingerprints; no values)."""
    cached = study._cache.get("pseudonym_key")
    if not isinstance(cached, str):
        from tasks.pseudonymise_names import enabled, version

        detection = version() if enabled(study) else "lists only"
        cached = fingerprint([[v.owner, v.tag, v.text] for v in _personal(study).values] + [detection])
        study._cache["pseudonym_key"] = cached
    return cached


def _tokens(study: Study, respondent_id: str, personal: PersonalList) -> dict[int, str]:
    cache: dict[str, dict[int, str]] = study._cache.setdefault("pseudonym_tokens", {})  # type: ignore[assignment]
    if respondent_id not in cache:
        order = sorted(range(len(personal.values)), key=lambda i: personal.values[i].owner != respondent_id)
        counters: dict[str, int] = {}
        seen: dict[tuple[str, str], str] = {}
        tokens: dict[int, str] = {}
        for i in order:
            value = personal.values[i]
            ident = (value.tag, _norm(value.text))
            if ident not in seen:
                counters[value.tag] = counters.get(value.tag, 0) + 1
                seen[ident] = f"[{value.tag}-{counters[value.tag]}]"
            tokens[i] = seen[ident]
        cache[respondent_id] = tokens
    return cache[respondent_id]


def _personal(study: Study) -> PersonalList:
    cached = study._cache.get("personal_list")
    if isinstance(cached, PersonalList):
        return cached
    values: list[Value] = []
    path = study.recruitment_file
    if path.is_file():
        columns = study.config.recruitment.personal_columns
        for row in read_table(path, path.name, ("respondent_id",)).rows:
            for column in columns:
                text = " ".join(row.get(column).split())
                if text:
                    tag = _tag(column)
                    values.append(Value(row.get("respondent_id"), tag, text, _variants(tag, text)))
    index: dict[str, int] = {}
    for position, value in enumerate(values):
        for variant in value.variants:
            index.setdefault(_norm(variant), position)
    variants = sorted(index, key=len, reverse=True)
    pattern = _pattern(tuple(variants)) if variants else None
    by_first: dict[str, list[str]] = {}
    for variant in variants:
        first = WORD.search(variant)
        by_first.setdefault(first.group(0) if first else variant, []).append(variant)
    personal = PersonalList(values, pattern, index, by_first)
    study._cache["personal_list"] = personal
    return personal


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
