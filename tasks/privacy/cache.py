"""Detections cached by text: a repeated `aggregate` does not load deduce or spaCy for texts it
has already scanned.

`out/.state/pseudonymisation/detections.json` maps the SHA-256 of (detector version, text) to the
spans found in that text: start, end, tag (PERSOON, GEMEENTE, ...) and detector. It holds no
names and no text: offsets mean something only beside the text they were found in, and those
texts (the approved transcripts) are in out/ already. The names themselves stay in the key file,
beside recruitment.csv. Read once per process; written once, atomically, by `save_cache` when
something was added. Entries of another detector version are dropped when it is written.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from tasks.core.files import sha256_bytes, write_text
from tasks.core.study import Study
from tasks.privacy.detect import Span

FORMAT = 1


@dataclass
class DetectionCache:
    entries: dict[str, list[list[object]]]
    changed: bool = False
    versions: set[str] = field(default_factory=set)  # detector versions used in this process
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, version: str, text: str) -> list[Span] | None:
        with self.lock:
            self.versions.add(version)
            held = self.entries.get(_digest(version, text))
        if held is None:
            return None
        return [Span(int(s), int(e), str(t), str(src)) for s, e, t, src in held]  # type: ignore[call-overload]

    def put(self, version: str, text: str, spans: list[Span]) -> None:
        with self.lock:
            self.versions.add(version)
            self.entries[_digest(version, text)] = [[s.start, s.end, s.tag, s.source] for s in spans]
            self.changed = True


def detection_cache(study: Study) -> DetectionCache:
    """The study's detection cache (read from disk on first use, then kept for the process)."""
    return study.cache.memo(detection_cache, None, lambda: DetectionCache(_read(study)))


def save_cache(study: Study) -> None:
    cache = detection_cache(study)
    with cache.lock:
        if not cache.changed:
            return
        prefixes = tuple(f"{_digest(v, '')[:8]}:" for v in cache.versions)
        entries = {k: v for k, v in cache.entries.items() if k.startswith(prefixes)}
        write_text(study.catalog.pseudonymisation_cache, json.dumps({"format": FORMAT, "entries": entries}, sort_keys=True) + "\n")
        cache.changed = False


def _read(study: Study) -> dict[str, list[list[object]]]:
    path = study.catalog.pseudonymisation_cache
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no cache yet, or a damaged one: texts are scanned again
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return {k: v for k, v in data["entries"].items() if isinstance(v, list)}


def _digest(version: str, text: str) -> str:
    """`<version tag>:<hash of version and text>`: the tag lets old versions be dropped."""
    tag = sha256_bytes((version + "\0").encode())[:8]
    return f"{tag}:{sha256_bytes((version + chr(0) + text).encode())}"
