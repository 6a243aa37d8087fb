"""Manifests: the small record each stage leaves per respondent (ids, paths, hashes, counts).

A manifest is what the orchestrator sees of a stage's work and what status is derived from.
It never holds names or transcript text.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import stat
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from tasks.core.archives import check_regular_file
from tasks.core.files import read_json, sha256_file, write_json
from tasks.core.study import Study

Status = Literal["done", "waiting", "blocked", "excluded", "failed", "pending"]
STUDY_KEY = "_study"
log = logging.getLogger("interview_study")


@dataclass(frozen=True)
class Outcome:
    """What a stage's plain function reports back: no data, only status, paths and counts."""

    status: Literal["done", "waiting", "excluded", "failed"]
    detail: str = ""
    outputs: tuple[Path, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    # An earlier stage from which on the respondent's outputs are withdrawn (a transcript declined
    # at review): the engine forgets them and records those stages as excluded with this detail.
    retracts: str | None = None
    # The respondent leaves the study at this stage (withdrawn, refused): the engine forgets their
    # outputs of every later stage and every whole-study output that included them.
    forgets_later: bool = False


@dataclass(frozen=True)
class Manifest:
    stage: str
    respondent_id: str
    status: Status
    detail: str
    fingerprint: str
    outputs: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    finished_at: str = ""
    reused: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("reused")
        return data


def manifest_path(study: Study, stage: str, respondent_id: str | None) -> Path:
    return study.catalog.manifest(stage, respondent_id or STUDY_KEY)


def load_manifest(study: Study, stage: str, respondent_id: str | None) -> Manifest | None:
    path = manifest_path(study, stage, respondent_id)
    try:
        data = read_json(path)
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None  # unreadable manifests mean "not done": the stage simply runs again
    return Manifest(**data)


def save_manifest(study: Study, manifest: Manifest) -> None:
    rid = None if manifest.respondent_id == STUDY_KEY else manifest.respondent_id
    write_json(manifest_path(study, manifest.stage, rid), manifest.to_json())


def record(study: Study, stage: str, respondent_id: str | None, fp: str, outcome: Outcome) -> Manifest:
    """Turn an outcome into a manifest (hashing the outputs) and persist it."""
    outputs = {study.catalog.relative(path): sha256_file(path) for path in outcome.outputs}
    manifest = Manifest(
        stage=stage,
        respondent_id=respondent_id or STUDY_KEY,
        status=outcome.status,
        detail=outcome.detail,
        fingerprint=fp,
        outputs=outputs,
        counts=dict(outcome.counts),
        meta=dict(outcome.meta),
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    save_manifest(study, manifest)
    return manifest


def outputs_intact(study: Study, manifest: Manifest) -> bool:
    """True when every output the manifest lists is on disk with the hash it recorded."""
    hashes = hash_cache(study)
    return all(hashes.digest(study.root / rel) == sha for rel, sha in manifest.outputs.items())


class HashCache:
    """sha256 of files, remembered by (size, mtime) so that status never rereads a recording."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._dirty = False
        try:
            self._entries: dict[str, list[Any]] = read_json(path)
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            self._entries = {}

    def digest(self, path: Path) -> str | None:
        """The file's sha256, or None when it does not exist."""
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(info.st_mode):  # reading a named pipe would wait forever
            check_regular_file(path, f"{path.parent.name}/{path.name}", "the file")
        key = str(path)
        stamp = [info.st_size, info.st_mtime_ns]
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[:2] == stamp:
                return str(entry[2])
        digest = sha256_file(path)
        with self._lock:
            self._entries[key] = [*stamp, digest]
            self._dirty = True
        return digest

    def save(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            entries = {key: value for key, value in self._entries.items() if Path(key).exists()}
            self._dirty = False
        try:
            write_json(self.path, entries)
        except OSError:  # a cache only: a read-only study (status on a copy, a full disk) works without it
            log.debug("hash cache not saved to %s", self.path)


def hash_cache(study: Study) -> HashCache:
    if study.cache.hashes is None:
        study.cache.hashes = HashCache(study.catalog.hashes_file)
    return study.cache.hashes
