"""Transcription stage: each consented respondent's recording becomes a draft transcript.

Outputs in `out/03_transcription/`: `<id>.json` (the segment list other stages read), `<id>.txt`,
`<id>.vtt` and `<id>.docx`. Work is redone only when the recording or the transcription settings
change, and never over an approved transcript: once `out/04_review/approved/<id>.json` exists,
changed settings leave the draft as it is and the status says what changed and what to do.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from tasks.core.catalog.consent import consent_of, may_process
from tasks.core.catalog.recruitment import respondent_ids
from tasks.core.errors import InputError
from tasks.core.files import fingerprint, read_json
from tasks.core.layout import AUDIO_SUFFIXES
from tasks.core.manifest import Outcome, hash_cache
from tasks.core.study import Study
from tasks.core.transcripts import Transcript, load_transcript

log = logging.getLogger("interview_study")
VERSION = "3"  # 2: packed, batched decoding; integrity flags; 3: speakers from the recording
IDENTITY = ("audio_sha256", "language", "settings")
REMOVED = "recording removed from audio/"


def settings_of(study: Study) -> dict[str, Any]:
    return study.config.transcription.model_dump(mode="json")


def recording_digest(study: Study, path: Path | None) -> str | None:
    """The recording's content hash; for a folder of tracks, the hash of its tracks' hashes."""
    if path is None:
        return None
    hashes = hash_cache(study)
    if not path.is_dir():
        return hashes.digest(path)
    return fingerprint({track: hashes.digest(file) for track, file in study.catalog.tracks(path).items()})


def same_recording(study: Study, respondent_id: str) -> list[str]:
    """Other consented respondents whose recording has exactly this respondent's content: a mix-up
    (one interview saved under two ids) that must stop both before a review document carries
    another person's interview."""
    digests = study.cache.memo(_digests, None, lambda: _digests(study))  # once per run
    mine = digests.get(respondent_id)
    return sorted(rid for rid, digest in digests.items() if digest == mine and rid != respondent_id) if mine else []


def _digests(study: Study) -> dict[str, str]:
    found: dict[str, str] = {}
    for rid in respondent_ids(study):
        if may_process(study, rid):  # without consent a recording is not even opened
            try:
                digest = recording_digest(study, study.catalog.recording(rid))
            except InputError:
                continue  # two recordings or a broken track folder: that respondent's own error
            if digest is not None:
                found[rid] = digest
    return found


def speaker_inputs(study: Study) -> dict[str, Any]:
    """What naming the speakers reads besides the recording: the interviewer's voice clip and the
    guide (whose questions tell which voice is the interviewer's)."""
    voice = study.catalog.interviewer_voice()
    guide = study.catalog.config_file("interview_guide.yaml")
    return {
        "interviewer_voice": hash_cache(study).digest(voice) if voice else None,
        "guide": fingerprint(study.guide.model_dump(mode="json")) if guide.is_file() else None,
    }


def approved_identity(study: Study, respondent_id: str) -> dict[str, Any] | None:
    """Recording hash, language and settings the approved transcript was made from (None: no approval).

    The approved file carries the draft's metadata; where it does not, the draft it names by
    `draft_sha256` stands in for it.
    """
    path = study.catalog.approved(respondent_id)
    if not path.is_file():
        return None
    try:
        meta: dict[str, Any] = read_json(path)
    except (ValueError, UnicodeDecodeError):
        return {key: None for key in IDENTITY}
    draft = study.catalog.draft(respondent_id)
    fallback: dict[str, Any] = {}
    if any(key not in meta for key in IDENTITY) and hash_cache(study).digest(draft) == meta.get("draft_sha256"):
        fallback = read_json(draft)
    return {key: meta.get(key, fallback.get(key)) for key in IDENTITY}


def changes(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs, in words that hold no transcript text ('beam_size 5 → 1', 'recording replaced')."""
    found = []
    if now["audio_sha256"] is None:
        found.append(REMOVED)  # deleting the recording after approval is normal practice
    elif before.get("audio_sha256") != now["audio_sha256"]:
        found.append("recording replaced")
    if before.get("language") != now["language"]:
        found.append(f"language {before.get('language')} → {now['language']}")
    old_settings = before.get("settings") or {}
    for key, value in now["settings"].items():
        old = old_settings.get(key)
        if old != value:
            found.append(f"{key} changed" if key == "initial_prompt" else f"{key} {_short(old)} → {_short(value)}")
    return found


def _short(value: Any) -> str:
    text = "none" if value is None else str(value)
    return text if len(text) <= 30 else text[:27] + "..."


class TranscriptionStage:
    """Per respondent: recording -> draft transcript (JSON, text, subtitles, Word)."""

    name = "transcription"
    version = VERSION

    def inputs(self, study: Study, respondent_id: str) -> dict[str, Any]:
        if not may_process(study, respondent_id):
            return {"consent": False}  # the recording is not even hashed
        path = study.catalog.recording(respondent_id)
        current = {
            "recording": path.name if path else None,
            "audio_sha256": recording_digest(study, path),
            "language": study.language,
            "settings": settings_of(study),
            **speaker_inputs(study),
        }
        twins = same_recording(study, respondent_id)
        if twins:
            current["same_recording"] = twins
        approved = approved_identity(study, respondent_id)
        if approved is not None and changes(approved, current):
            current["approval"] = "kept"  # deleting the approval changes this, so the stage reruns
        return current

    def run(self, study: Study, respondent_id: str) -> Outcome:
        if not may_process(study, respondent_id):
            return _no_consent(study, respondent_id)
        path = study.catalog.recording(respondent_id)
        current = {
            "audio_sha256": recording_digest(study, path),
            "language": study.language,
            "settings": settings_of(study),
        }
        approved = approved_identity(study, respondent_id)
        draft = study.catalog.draft(respondent_id)
        if approved is not None and (changes(approved, current) or draft.is_file()):
            return _keep(study, respondent_id, changes(approved, current))
        if path is None:
            return Outcome(
                "waiting",
                f"researcher: no recording yet; save it as audio/{respondent_id}.wav (or {'/'.join(AUDIO_SUFFIXES[1:])})",
            )
        twins = same_recording(study, respondent_id)
        if twins:
            others = ", ".join(_shown(study, study.catalog.recording(rid)) for rid in twins)
            raise InputError(
                f"{_shown(study, path)} and {others}: the same recording (identical content) for {respondent_id} and "
                f"{', '.join(twins)}; save each respondent's own interview under their id"
            )
        from tasks.transcription import work  # PyAV, Whisper, python-docx: loaded when a recording is transcribed

        return _done(*work.transcribe(study, respondent_id, path, current), "")


def _shown(study: Study, path: Path | None) -> str:
    return "" if path is None else study.catalog.relative(path) + ("/" if path.is_dir() else "")


def _no_consent(study: Study, respondent_id: str) -> Outcome:
    consent = consent_of(study, respondent_id)
    if consent is not None and consent.state in ("refused", "withdrawn"):
        return Outcome("excluded", f"no consent ({consent.state}); the recording is not opened")
    return Outcome(
        "waiting",
        f"researcher: no complete consent for {respondent_id} in {study.catalog.consent_file.name}; "
        "the recording is not opened until it is recorded",
    )


def _keep(study: Study, respondent_id: str, changed: list[str]) -> Outcome:
    """Leave the approved draft in place; redo only missing readable formats, from its JSON."""
    draft = study.catalog.draft(respondent_id)
    outputs: tuple[Path, ...] = ()
    transcript = None
    if draft.is_file():
        transcript = load_transcript(draft, study.catalog.relative(draft))
        from tasks.transcription.render import render_from_json  # python-docx: only to redo a missing format

        outputs = (draft, *render_from_json(draft.parent, transcript))
    if transcript is not None and changed in ([], [REMOVED]):
        return _done(transcript, outputs, "; ".join(["approved in review", *changed]))
    approval = study.catalog.relative(study.catalog.approved(respondent_id))
    return Outcome(
        "done",
        f"approved transcript kept; changed since approval: {', '.join(changed)}; "
        f"to retranscribe, withdraw the approval by deleting {approval} and run again",
        outputs=outputs,
        counts=_counts(transcript) if transcript else {},
        meta={"kept_approved": True},
    )


def _counts(transcript: Transcript) -> dict[str, int]:
    return {"segments": len(transcript.segments), "duration_s": round(float(transcript.meta.get("duration", 0)))}


def _done(transcript: Transcript, outputs: tuple[Path, ...], note: str) -> Outcome:
    meta = transcript.meta
    minutes = float(meta.get("duration", 0)) / 60
    count = len(transcript.segments)
    detail = f"{count} segment{'' if count == 1 else 's'}, {minutes:.1f} min ({meta.get('engine')} {meta.get('model')})"
    return Outcome(
        "done",
        f"{detail}; {note}" if note else detail,
        outputs=outputs,
        counts=_counts(transcript),
        meta={"audio_sha256": meta.get("audio_sha256"), "duration": meta.get("duration")},
    )


STAGE = TranscriptionStage()
