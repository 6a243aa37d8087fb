"""Forgetting a respondent: delete exactly what the manifests and the catalog record for them.

Used when a respondent withdraws and when they decline their transcript at review. Nothing is
found by a name pattern: a respondent's files are the outputs their manifests list and the
per-respondent paths of the catalog; a whole-study output is removed when its manifest says the
respondent was included (the next run writes it again without them). Log lines that name or
quote the respondent are dropped from the study's own log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from tasks.core.files import read_json, remove, write_json
from tasks.core.manifest import load_manifest, manifest_path
from tasks.core.study import Study

SHORTEST_QUOTE = 20  # shorter segment texts ("Yes, indeed.") are not evidence of this respondent


def forget(study: Study, rid: str, respondent_stages: Sequence[str], study_stages: Sequence[str]) -> list[Path]:
    """Delete the respondent's outputs of these stages and their manifests; returns what was removed.

    `study_stages` are the whole-study stages (and reports) whose outputs go when they included
    the respondent, or, for a report, always: reports list every respondent.
    """
    needles = _needles(study, rid)  # before the transcripts go
    listed: list[Path] = []
    for stage in respondent_stages:
        listed += _recorded(study, stage, rid)
    listed += study.catalog.respondent_files(rid)
    for stage in study_stages:
        manifest = load_manifest(study, stage, None)
        if manifest is not None and rid in manifest.meta.get("included", [rid]):
            listed += _recorded(study, stage, None)
    removed = [path for path in dict.fromkeys(listed) if remove(path)]
    _scrub_hashes(study, removed)
    if study.catalog.log_file.is_file():
        _scrub_lines(study.catalog.log_file, needles)
    return removed


def _recorded(study: Study, stage: str, rid: str | None) -> list[Path]:
    """The outputs the manifest lists (inside the output folder only), then the manifest itself."""
    path = manifest_path(study, stage, rid)
    manifest = load_manifest(study, stage, rid)
    if manifest is None:
        return [path]
    out = study.catalog.out.resolve()
    outputs = [(study.root / name).resolve() for name in manifest.outputs]
    return [*(p for p in outputs if p.is_relative_to(out)), path]


def _scrub_hashes(study: Study, removed: list[Path]) -> None:
    path = study.catalog.hashes_file
    try:
        entries = read_json(path)
    except (FileNotFoundError, ValueError):
        return
    gone = {str(p) for p in removed} | {str(p.resolve()) for p in removed}
    kept = {key: value for key, value in entries.items() if key not in gone and Path(key).exists()}
    if kept != entries:
        write_json(path, kept)
    study.cache.forget()


def _needles(study: Study, rid: str) -> list[re.Pattern[str] | str]:
    """The respondent's id (also inside segment ids) and the longer texts of their transcripts."""
    token = re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(rid)}(?=$|[^A-Za-z0-9_-]|-[0-9]{{4}}(?![A-Za-z0-9_-]))")
    texts: set[str] = set()
    for path in (study.catalog.draft(rid), study.catalog.approved(rid)):
        try:
            texts |= {" ".join(s.get("text", "").split()) for s in read_json(path).get("segments", [])}
        except (FileNotFoundError, ValueError, AttributeError, TypeError):
            continue
    quotes = [t for t in texts if len(t) >= SHORTEST_QUOTE]
    variants = {v for t in quotes for v in (t, json.dumps(t, ensure_ascii=False)[1:-1], t.replace('"', '""'))}
    return [token, *sorted(variants)]


def _scrub_lines(path: Path, needles: list[re.Pattern[str] | str]) -> None:
    """Drop the log lines that name or quote the respondent (in place: a log handler may hold it open)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not _line_mentions(line, needles)]
    if len(kept) != len(lines):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("".join(kept))


def _line_mentions(line: str, needles: list[re.Pattern[str] | str]) -> bool:
    return any(n in line if isinstance(n, str) else n.search(line) is not None for n in needles)

