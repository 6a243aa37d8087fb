"""Names, places and organisations the study's lists do not hold, found with `deduce` (a Dutch
de-identification library that ships its lookup lists and works offline), and the key file.

Per respondent, the whole approved transcript is scanned once, in segment order, so the numbering
is the same whichever quote or export asks first: `[PERSOON-n]`, `[GEMEENTE-n]` (deduce's
locations: in these studies mostly municipalities and towns), `[ORGANISATIE-n]`, continuing after
the numbers the study's own lists used. Dates and ages are left alone. Every placeholder and its
original go to `pseudonymisation_key.csv` beside the inputs (never in out/), so the researcher
can reverse them. Without deduce (not installed, or the study is not Dutch) only the lists apply.
deduce builds its lookup structures on first use (about 1–2 minutes, cached in its package
folder afterwards) and takes some 20 seconds to load per process.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import threading
from functools import lru_cache
from typing import Any

from tasks.core.files import write_text
from tasks.core.study import Study

log = logging.getLogger("interview_study")
KEY_FILE = "pseudonymisation_key.csv"
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
TOKEN = re.compile(r"\[(?P<tag>[A-Z-]+?)-(?P<n>[0-9]+)\]")
_write_lock = threading.Lock()


@lru_cache(maxsize=1)
def _deduce() -> Any | None:
    try:
        from deduce import Deduce

        return Deduce()
    except Exception as error:  # noqa: BLE001 - without deduce the study's lists still apply
        log.warning("deduce is not available (%s); pseudonymising with the study's lists only", type(error).__name__)
        return None


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
    model = _deduce()
    if model is None or not text.strip():
        return []
    found = sorted(model.deidentify(text).annotations, key=lambda a: a.start_char)
    return [(TAGS[a.tag], a.text) for a in found if a.tag in TAGS]


def replace_names(study: Study, rid: str, text: str, counters: dict[str, int]) -> str:
    """`text` (list values already replaced) with every detected name replaced consistently."""
    if not enabled(study):
        return text
    mapping, counters = _mapping(study, rid, counters)
    for tag, original in detect(text):
        _assign(mapping, tag, original, counters)  # text from outside the transcript: numbered further
    if not mapping:
        return text
    originals = sorted(mapping, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(o)}(?!\w)" for o in originals), re.IGNORECASE)
    lowered = {o.lower(): token for o, token in mapping.items()}
    return pattern.sub(lambda m: lowered[m.group(0).lower()], text)


def list_counters(tokens: list[str]) -> dict[str, int]:
    """The highest number per tag among the list placeholders, so detection continues after them."""
    counters: dict[str, int] = {}
    for token in tokens:
        match = TOKEN.fullmatch(token)
        if match is not None:
            counters[match["tag"]] = max(counters.get(match["tag"], 0), int(match["n"]))
    return counters


def _mapping(study: Study, rid: str, start: dict[str, int]) -> tuple[dict[str, str], dict[str, int]]:
    """The respondent's original -> placeholder map from the whole transcript, and its counters."""
    cache: dict[str, Any] = study._cache.setdefault("detected_names", {})  # type: ignore[assignment]
    if rid not in cache:
        from tasks.pseudonymise import strip_personal

        mapping: dict[str, str] = {}
        counters = dict(start)
        for segment in _segments(study, rid):
            for tag, original in detect(strip_personal(study, rid, segment)):
                _assign(mapping, tag, original, counters)
        cache[rid] = (mapping, counters)
        write_key(study, rid, mapping)
    return cache[rid]  # type: ignore[no-any-return]


def _assign(mapping: dict[str, str], tag: str, original: str, counters: dict[str, int]) -> None:
    if TOKEN.fullmatch(original) or any(o.lower() == original.lower() for o in mapping):
        return
    counters[tag] = counters.get(tag, 0) + 1
    mapping[original] = f"[{tag}-{counters[tag]}]"


def _segments(study: Study, rid: str) -> list[str]:
    from tasks.core.errors import StudyError
    from tasks.core.transcripts import load_transcript

    path = study.stage_dir("review") / "approved" / f"{rid}.json"
    try:
        return [segment.text for segment in load_transcript(path).segments] if path.is_file() else []
    except StudyError:
        return []


def write_key(study: Study, rid: str, mapping: dict[str, str], source: str = "deduce") -> None:
    """Merge one respondent's placeholders into the key file (other respondents' rows are kept)."""
    path = study.root / KEY_FILE
    with _write_lock:
        rows = _read_key(study)
        rows = [r for r in rows if not (r[0] == rid and r[3] == source)]
        rows += [(rid, token, original, source) for original, token in mapping.items()]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("respondent_id", "placeholder", "original", "found_by"))
        ordered: list[tuple[str, str, str, str]] = sorted(rows, key=lambda r: (r[0], r[3], r[1]))
        writer.writerows(ordered)
        if rows or path.is_file():
            write_text(path, buffer.getvalue())


def _read_key(study: Study) -> list[tuple[str, str, str, str]]:
    path = study.root / KEY_FILE
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return [(r[0], r[1], r[2], r[3]) for r in reader if len(r) >= 4]
