"""Transcripts as the stages exchange them: a list of segments, stored as JSON.

Draft transcripts (`out/03_transcription/<id>.json`) and approved transcripts
(`out/04_review/approved/<id>.json`) share this shape; approved ones add the review decision.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from tasks.core.errors import InputError
from tasks.core.files import read_json, write_json

LOW_CONFIDENCE = 0.75

Speaker = Literal["interviewer", "respondent", "unknown"]
# how a segment's speaker was found, most trusted first: its own track, its own stereo channel, its
# voice (diarization), the interview guide's questions (text only), or the respondent's correction
SpeakerSource = Literal["track", "channel", "voice", "guide", "review"]


@dataclass(frozen=True)
class Segment:
    segment_id: str
    start: float
    end: float
    speaker: Speaker
    text: str
    question_id: str | None = None
    speaker_source: SpeakerSource | None = None
    speaker_confidence: float | None = None  # 0..1; below LOW_CONFIDENCE the review document flags it

    def with_text(self, text: str) -> Segment:
        return replace(self, text=text)


@dataclass(frozen=True)
class Transcript:
    respondent_id: str
    segments: tuple[Segment, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def by_id(self) -> dict[str, Segment]:
        return {segment.segment_id: segment for segment in self.segments}

    def to_json(self) -> dict[str, Any]:
        return {
            "respondent_id": self.respondent_id,
            **self.meta,
            "segments": [asdict(segment) for segment in self.segments],
        }


def save_transcript(path: Path, transcript: Transcript) -> Path:
    return write_json(path, transcript.to_json())


def load_transcript(path: Path, label: str | None = None) -> Transcript:
    """Read a transcript JSON written by this tool; a damaged file is an InputError naming it."""
    name = label or path.name
    try:
        data = read_json(path)
        segments = tuple(Segment(**segment) for segment in data.pop("segments"))
        respondent_id = data.pop("respondent_id")
    except FileNotFoundError:
        raise InputError(f"{name}: transcript not found; run the transcription stage first") from None
    except (ValueError, KeyError, TypeError):
        raise InputError(f"{name}: not a transcript written by this tool; delete it and run again") from None
    return Transcript(respondent_id, segments, data)
