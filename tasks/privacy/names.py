"""Names, places and organisations the study's lists do not hold, found with `deduce` (a Dutch
de-identification library that ships its lookup lists and works offline).

Only the texts that are published are scanned (the quotes chosen for a report, or every segment
of an exported transcript), never more. Per respondent the detected names are numbered in the
order the texts are given (callers pass them in segment order), continuing after the numbers the
study's own lists use: `[PERSOON-n]`, `[GEMEENTE-n]` (deduce's locations: in these studies mostly
municipalities and towns), `[ORGANISATIE-n]`; dates and ages are left alone. Each respondent's
names are kept for the process and seeded from the key file (tasks/pseudonymise_key.py), so a
name keeps its placeholder across that respondent's quotes, the report, exports and later runs.
Without deduce (not installed, or the study is not Dutch) only the lists apply.

deduce is imported and loaded only when a text is actually scanned (a Dutch study with
`privacy.detect_names`, and a respondent who asked for anonymity is quoted or exported), once per
process. Its lookup structures (a 77 MB pickle, built on first use in its package folder, 1–2
minutes) load in 2–6 s with the garbage collector paused, instead of 16–30 s.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tasks.core.layout import KEY_FILE
from tasks.core.study import Study
from tasks.privacy.key import PLACEHOLDER, key_book

__all__ = ["KEY_FILE", "detect", "enabled", "list_counters", "replace_names", "version"]

log = logging.getLogger("interview_study")
TAGS = {
    "persoon": "PERSOON",
    "patient": "PERSOON",
    "locatie": "GEMEENTE",
    "instelling": "ORGANISATIE",
    "zorginstelling": "ORGANISATIE",
    "ziekenhuis": "ORGANISATIE",
    "emailadres": "E-MAIL",
    "telefoonnummer": "TELEFOON",
    "url": "URL",
    "bsn": "BSN",
}
TOKEN = PLACEHOLDER
_model_lock = threading.Lock()
_model: dict[str, Any] = {}  # "deduce": the loaded model, or None when it could not be loaded


@dataclass
class Names:
    """One respondent's detected names: original -> placeholder, the counters, the texts scanned."""

    mapping: dict[str, str]
    counters: dict[str, int]
    scanned: set[str] = field(default_factory=set)


def _deduce() -> Any | None:
    """The deduce model, loaded on first use and kept for the process (None without deduce)."""
    with _model_lock:
        if "deduce" not in _model:
            _model["deduce"] = _load()
        return _model["deduce"]


def _load() -> Any | None:
    try:
        from deduce import Deduce
    except Exception as error:  # noqa: BLE001 - without deduce the study's lists still apply
        log.warning("deduce is not available (%s); pseudonymising with the study's lists only", type(error).__name__)
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
        log.warning("deduce could not be loaded (%s); pseudonymising with the study's lists only", type(error).__name__)
        return None
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    log.info("deduce loaded in %.1f s", time.perf_counter() - started)
    return model


def version() -> str:
    """What detection depends on, for stage fingerprints."""
    try:
        from importlib.metadata import version as installed

        return f"deduce {installed('deduce')}"
    except Exception:  # noqa: BLE001
        return "lists only"


def enabled(study: Study) -> bool:
    return study.config.privacy.detect_names and study.language == "nl"


def detect(text: str) -> list[tuple[str, str]]:
    """(tag, original) of each entity deduce finds in `text`, in order of position."""
    if not text.strip():
        return []
    model = _deduce()
    if model is None:
        return []
    found = sorted(model.deidentify(text).annotations, key=lambda a: a.start_char)
    return [(TAGS[a.tag], a.text) for a in found if a.tag in TAGS]


def replace_names(study: Study, rid: str, texts: Sequence[str], start: dict[str, int]) -> list[str]:
    """`texts` (list values already replaced) with every detected name replaced consistently.

    `start`: the highest list placeholder per tag, so that detected names are numbered after them.
    """
    if not enabled(study):
        return list(texts)
    names = _names(study, rid, start)
    found: list[tuple[str, str, str]] = []
    for text in texts:
        if text in names.scanned:
            continue
        names.scanned.add(text)
        for tag, original in detect(text):
            known = _assign(names, tag, original)
            if known is not None:
                found.append((names.mapping[known], known, "deduce"))
    key_book(study).record(rid, found)
    if not names.mapping:
        return list(texts)
    originals = sorted(names.mapping, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(o)}(?!\w)" for o in originals), re.IGNORECASE)
    lowered = {o.lower(): token for o, token in names.mapping.items()}
    return [pattern.sub(lambda m: lowered[m.group(0).lower()], text) for text in texts]


def list_counters(tokens: list[str]) -> dict[str, int]:
    """The highest number per tag among the list placeholders, so detection continues after them."""
    counters: dict[str, int] = {}
    for token in tokens:
        match = TOKEN.fullmatch(token)
        if match is not None:
            counters[match["tag"]] = max(counters.get(match["tag"], 0), int(match["n"]))
    return counters


def _names(study: Study, rid: str, start: dict[str, int]) -> Names:
    """The respondent's names, seeded from the key file (placeholders handed out before keep their
    meaning unless the lists now use that number)."""
    return study.cache.memo(_names, None, lambda: _seeded(study, rid, start), slot=rid)


def _seeded(study: Study, rid: str, start: dict[str, int]) -> Names:
    names = Names({}, dict(start))
    for placeholder, original, source in key_book(study).previous(rid):
        match = TOKEN.fullmatch(placeholder)
        if source != "deduce" or match is None or int(match["n"]) <= start.get(match["tag"], 0):
            continue
        if not any(o.lower() == original.lower() for o in names.mapping):
            names.mapping[original] = placeholder
            names.counters[match["tag"]] = max(names.counters.get(match["tag"], 0), int(match["n"]))
    return names


def _assign(names: Names, tag: str, original: str) -> str | None:
    """The name as the mapping holds it (numbered when new); None when it is a placeholder already."""
    if TOKEN.fullmatch(original):
        return None
    known = next((o for o in names.mapping if o.lower() == original.lower()), None)
    if known is not None:
        return known
    names.counters[tag] = names.counters.get(tag, 0) + 1
    names.mapping[original] = f"[{tag}-{names.counters[tag]}]"
    return original
