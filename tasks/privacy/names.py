"""Names, places and organisations beyond the study's lists, in every form they are said.

Only the texts that are published are scanned (the quotes chosen for a report, or every segment
of an exported transcript), never more; see tasks/privacy/detect.py for the detectors per
language, tasks/privacy/cache.py for the detections kept by text hash. Per respondent each name
found is numbered in the order the texts are given (callers pass them in segment order),
continuing after the numbers the study's own lists use: `[PERSOON-n]`, `[GEMEENTE-n]` (places),
`[ORGANISATIE-n]`, `[NAAM-n]` (a capitalised name of unknown kind). Then every form of every
known name (listed, detected, or added by the researcher to the key file) is replaced: its parts,
possessives, inflections, a town's adjective and inhabitants (tasks/privacy/variants.py).

Each respondent's names are kept for the process and seeded from the key file, so a name keeps
its placeholder across that respondent's quotes, the report, exports and later runs. With
`privacy.detect_names: false` nothing is detected; the forms of the listed names and of the key
file's names are still replaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tasks.core.layout import KEY_FILE
from tasks.core.study import Study
from tasks.privacy import detect as detectors
from tasks.privacy.cache import detection_cache
from tasks.privacy.key import key_book
from tasks.privacy.variants import PLACEHOLDER, Lexicon, distinctive

__all__ = ["KEY_FILE", "enabled", "list_counters", "replace_names", "version"]

TOKEN = PLACEHOLDER
POSSESSIVE = re.compile(r"['’]s?$")
KEEP = "keep"
Said = tuple[str, str, str]  # as said, placeholder, found_by


@dataclass
class Names:
    """One respondent's names: original -> placeholder, who found each placeholder, the counters,
    every form of the known names, and the texts scanned."""

    mapping: dict[str, str]
    counters: dict[str, int]
    lexicon: Lexicon = field(default_factory=Lexicon)
    sources: dict[str, str] = field(default_factory=dict)
    scanned: set[str] = field(default_factory=set)
    phrases: tuple[int, re.Pattern[str] | None] = (0, None)


def version(study: Study) -> str:
    """What detection depends on, for stage fingerprints."""
    return detectors.version(study.language) if enabled(study) else "lists only"


def enabled(study: Study) -> bool:
    return study.config.privacy.detect_names


def replace_names(
    study: Study, rid: str, texts: Sequence[str], start: dict[str, int], known: list[tuple[str, str]]
) -> tuple[list[str], list[list[Said]]]:
    """`texts` (list values already replaced) with every detected and every known name replaced
    consistently, and per text what was replaced (as said, placeholder, found_by).

    `start`: the highest list placeholder per tag, so that detected names are numbered after them;
    `known`: (listed value, its placeholder for this respondent), whose other forms are replaced too.
    """
    names = study.cache.memo(_seeded, None, lambda: _seeded(study, rid, start, known), slot=rid)
    if enabled(study):
        found: list[tuple[str, str, str]] = []
        for text in texts:
            if text in names.scanned:
                continue
            names.scanned.add(text)
            for span in _spans(study, text):
                row = _assign(names, span.tag, text[span.start : span.end], span.source)
                if row is not None:
                    found.append(row)
        key_book(study).record(rid, found)
    done = [_apply(names, text) for text in texts]
    return [text for text, _ in done], [said for _, said in done]


def list_counters(tokens: list[str]) -> dict[str, int]:
    """The highest number per tag among the list placeholders, so detection continues after them."""
    counters: dict[str, int] = {}
    for token in tokens:
        match = TOKEN.fullmatch(token)
        if match is not None:
            counters[match["tag"]] = max(counters.get(match["tag"], 0), int(match["n"]))
    return counters


def _spans(study: Study, text: str) -> list[detectors.Span]:
    """The detections in `text`, from the cache when this text was scanned before by this detector."""
    language = study.language
    cache = detection_cache(study)
    tag = detectors.version(language)
    held = cache.get(tag, text)
    if held is None:
        held = detectors.detect(language, text)
        cache.put(tag, text, held)
    return held


def _seeded(study: Study, rid: str, start: dict[str, int], known: list[tuple[str, str]]) -> Names:
    """The respondent's names: the researcher's key rows first, then the listed values, then what
    was detected in earlier runs (unless the lists now use that number)."""
    names = Names({}, dict(start))
    book = key_book(study)
    rows = [*book.previous("*"), *book.previous(rid)]
    for placeholder, original, source in rows:
        if source == "researcher" and placeholder.lower() == KEEP:
            names.lexicon.keep.update(w.lower() for w in distinctive(original))
    for placeholder, original, source in rows:
        if source == "researcher" and placeholder.lower() != KEEP:
            _remember(names, original, placeholder, source)
    for original, placeholder in known:
        names.lexicon.add(original, placeholder)
        names.sources.setdefault(placeholder, "list")
    for placeholder, original, source in rows:
        match = TOKEN.fullmatch(placeholder)
        if source in ("list", "researcher") or match is None or int(match["n"]) <= start.get(match["tag"], 0):
            continue
        _remember(names, original, placeholder, source)
    return names


def _remember(names: Names, original: str, placeholder: str, source: str) -> None:
    if any(o.lower() == original.lower() for o in names.mapping):
        return
    names.mapping[original] = placeholder
    names.sources.setdefault(placeholder, source)
    names.lexicon.add(original, placeholder)
    match = TOKEN.fullmatch(placeholder)
    if match is not None:
        names.counters[match["tag"]] = max(names.counters.get(match["tag"], 0), int(match["n"]))


def _assign(names: Names, tag: str, original: str, source: str) -> tuple[str, str, str] | None:
    """A key row (placeholder, original, found_by) for a name not known yet; None when it is known
    (in any of its forms), a placeholder, or no name (generic words, or words the researcher keeps)."""
    original = POSSESSIVE.sub("", original.strip())
    words = distinctive(original)
    if not words or TOKEN.fullmatch(original) or all(w.lower() in names.lexicon.keep for w in words):
        return None
    if any(o.lower() == original.lower() for o in names.mapping):
        return None
    hits = [names.lexicon.lookup(w) for w in words]
    if hits[-1] is not None or (len(words) == 1 and hits[0] is not None):
        known = hits[-1] or hits[0]
        if known is None or all(hit is not None for hit in hits):
            return None
        _remember(names, original, known, source)  # "Anna Persoon" after "Persoon": Anna is that name too
        return known, original, source
    names.counters[tag] = names.counters.get(tag, 0) + 1
    placeholder = f"[{tag}-{names.counters[tag]}]"
    _remember(names, original, placeholder, source)
    return placeholder, original, source


def _apply(names: Names, text: str) -> tuple[str, list[Said]]:
    """`text` with every known multi-word name (as found) and every form of a known name replaced."""
    said: list[Said] = []
    pattern = _phrases(names)
    if pattern is not None:

        def phrase(match: re.Match[str]) -> str:
            placeholder = next(p for o, p in names.mapping.items() if o.lower() == match.group(0).lower())
            said.append((match.group(0), placeholder, names.sources.get(placeholder, "list")))
            return placeholder

        text = pattern.sub(phrase, text)
    text, replaced = names.lexicon.replace(text)
    said += [(as_said, p, names.sources.get(p, "list")) for as_said, p in replaced]
    return text, said


def _phrases(names: Names) -> re.Pattern[str] | None:
    """One pattern of the known names of more than one word, longest first (rebuilt when names grow)."""
    if names.phrases[0] != len(names.mapping):
        phrases = sorted((o for o in names.mapping if len(o.split()) > 1), key=len, reverse=True)
        body = "|".join(r"\s+".join(re.escape(p) for p in o.split()) for o in phrases)
        names.phrases = (len(names.mapping), re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE) if body else None)
    return names.phrases[1]
