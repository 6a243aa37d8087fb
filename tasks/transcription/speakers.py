"""Who speaks, found from the recording, in order of trust.

1. One track per participant (`audio/<id>/interviewer.<ext>`, `respondent.<ext>`, as Zoom and
   Teams record them): each track is transcribed on its own and the segments merged by time;
   the speaker is exact (`track`, confidence 1).
2. A stereo recording with one speaker per channel: `transcription.channels` says who is on
   which channel, or it is detected (one channel near-silent while the other speaks); each
   channel is then transcribed as a track (`channel`). Channels not named in the config are
   named as voices are (below), with that naming's confidence.
3. One mixed channel: each utterance is embedded and the utterances clustered into two voices
   (diarize.py; `voice`). The voices are named by the side of them on which the clip
   `audio/interviewer_voice.<ext>` falls and by which of them asks the interview guide's
   questions: their odds multiply. An utterance the voices put with the respondent but whose text
   is a guide question is flagged (confidence at most 0.5): the guide cross-checks the voices.

Where none of this can tell (no voice activity detection, a single utterance), the speaker stays
`unknown` and the review stage falls back on the guide alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import av
import numpy as np

from tasks.core.config import InterviewGuide
from tasks.core.ids import segment_id
from tasks.core.questions import matching_question
from tasks.core.transcripts import Segment, Speaker, SpeakerSource
from tasks.transcription.audio import SAMPLE_RATE, Samples, load
from tasks.transcription.diarize import Voices, embed, known_voices, two_voices
from tasks.transcription.engines import Options, Transcriber
from tasks.transcription.packing import Chunk
from tasks.transcription.segments import Progress, Utterance, transcribe_chunks

log = logging.getLogger("interview_study")
FRAME = 480  # 30 ms frames for the channel test
SPEAKING_DB = 40.0  # a frame within this many dB of the loudest frame has speech
APART_DB = 20.0  # a channel this much quieter than the other is near-silent in that frame
SPLIT_SHARE = 0.9  # share of speech frames with one channel near-silent: one speaker per channel
CROSS_CHECK = 0.5  # the most confidence a voice keeps against the guide's word
Kind = Literal["tracks", "channels", "mixed"]


@dataclass(frozen=True)
class Track:
    """Audio of one participant (`speaker` known), of one unnamed channel, or of everyone (mixed)."""

    samples: Samples
    speaker: Speaker | None = None


@dataclass(frozen=True)
class Recording:
    kind: Kind
    tracks: tuple[Track, ...]

    @property
    def duration(self) -> float:
        return max(len(track.samples) for track in self.tracks) / SAMPLE_RATE

    def mix(self) -> Samples:
        """All tracks as one mono signal (for the language check)."""
        if len(self.tracks) == 1:
            return self.tracks[0].samples
        size = max(len(track.samples) for track in self.tracks)
        mixed = np.zeros(size, dtype=np.float32)
        for track in self.tracks:
            mixed[: len(track.samples)] += track.samples / len(self.tracks)
        return mixed


@dataclass(frozen=True)
class Voiced:
    """An utterance and who said it: the speaker, how that was found and the confidence."""

    utterance: Utterance
    speaker: Speaker = "unknown"
    source: SpeakerSource | None = None
    confidence: float | None = None


def load_recording(
    path: Path, label: str, tracks: dict[str, Path] | None, channels: tuple[Speaker, Speaker] | None
) -> Recording:
    """The recording as tracks: one per participant (`tracks`: participant -> file), one per
    channel of a stereo file with one speaker per channel, or one mixed track."""
    if tracks is not None:
        named = tuple(Track(load(file, f"{label}{file.name}").samples, speaker) for speaker, file in tracks.items())  # type: ignore[arg-type]
        return Recording("tracks", named)
    audio = load(path, label)  # refuses empty, truncated and non-audio files first
    stereo = channel_samples(path)
    if stereo is not None and (channels is not None or one_speaker_per_channel(*stereo)):
        left, right = channels or (None, None)
        return Recording("channels", (Track(stereo[0], left), Track(stereo[1], right)))
    return Recording("mixed", (Track(audio.samples),))


def channel_samples(path: Path) -> tuple[Samples, Samples] | None:
    """The left and right channel at 16 kHz, or None when the file does not hold exactly two."""
    with av.open(str(path), metadata_errors="ignore") as container:
        stream = container.streams.audio[0]
        if stream.codec_context.channels != 2:
            return None
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=SAMPLE_RATE)
        blocks = [out.to_ndarray() for frame in container.decode(stream) for out in resampler.resample(frame)]
        blocks += [out.to_ndarray() for out in resampler.resample(None)]
    both = np.concatenate(blocks, axis=1).astype(np.float32)
    return both[0].copy(), both[1].copy()


def one_speaker_per_channel(left: Samples, right: Samples) -> bool:
    """Whether, in nearly every frame with speech, one channel is near-silent (and each channel
    has speech of its own): a recording with one speaker per channel, not a stereo mix."""
    frames = min(len(left), len(right)) // FRAME
    if frames == 0:
        return False
    levels = [10 * np.log10(np.mean(c[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1) + 1e-12) for c in (left, right)]
    loudest = np.maximum(*levels)
    speaking = loudest > loudest.max() - SPEAKING_DB
    apart = np.abs(levels[0] - levels[1]) >= APART_DB
    left_only = (levels[0] > levels[1]) & apart & speaking
    right_only = (levels[1] > levels[0]) & apart & speaking
    share = (left_only.sum() + right_only.sum()) / max(int(speaking.sum()), 1)
    return bool(share >= SPLIT_SHARE and left_only.any() and right_only.any())


def transcribe_tracks(
    engine: Transcriber,
    recording: Recording,
    chunks: Sequence[Sequence[Chunk]],
    options: Options,
    progress: Progress,
    pause_s: float | None = None,
) -> list[list[Utterance]]:
    """Each track's utterances, one track after another (progress counts the whole recording)."""
    found = []
    count = len(recording.tracks)
    for number, (track, track_chunks) in enumerate(zip(recording.tracks, chunks, strict=True)):
        def advance(seconds: float, number: int = number) -> None:
            progress((number * recording.duration + seconds) / count)

        found.append(transcribe_chunks(engine, track.samples, track_chunks, options, advance, pause_s) if track_chunks else [])
    return found


def attribute(
    recording: Recording,
    chunks: Sequence[Sequence[Chunk]],
    utterances: Sequence[Sequence[Utterance]],
    guide: InterviewGuide,
    reference: Samples | None,
) -> list[Voiced]:
    """Every utterance with its speaker, in time order (the order of the segment ids)."""
    if recording.kind == "mixed":
        voiced = _by_voice(recording.tracks[0].samples, chunks[0], utterances[0], guide, reference)
    else:
        voiced = _by_track(recording, chunks, utterances, guide, reference)
    return sorted(voiced, key=lambda v: (v.utterance.start, v.utterance.end))


def segments_of(respondent_id: str, voiced: Sequence[Voiced]) -> tuple[Segment, ...]:
    """Numbered from 0001 in time order, as `segments.to_segments`, with their speakers."""
    return tuple(
        Segment(
            segment_id(respondent_id, number), round(v.utterance.start, 2), round(v.utterance.end, 2), v.speaker,
            v.utterance.text, None, v.source, v.confidence,
        )
        for number, v in enumerate(voiced, start=1)
    )


def _by_track(
    recording: Recording,
    chunks: Sequence[Sequence[Chunk]],
    utterances: Sequence[Sequence[Utterance]],
    guide: InterviewGuide,
    reference: Samples | None,
) -> list[Voiced]:
    source: SpeakerSource = "track" if recording.kind == "tracks" else "channel"
    speakers = [track.speaker for track in recording.tracks]
    confidence = 1.0
    if None in speakers:  # channels not named in the config: name them as voices
        texts = [[u.text for u in track] for track in utterances]
        pieces = [[track.samples[c.start : c.end] for c in found] for track, found in zip(recording.tracks, chunks, strict=True)]
        interviewer, confidence = _name_channels(pieces, texts, guide, reference)
        speakers = ["interviewer" if n == interviewer else "respondent" for n in range(len(speakers))]
    return [
        Voiced(u, speaker or "unknown", source, confidence)
        for speaker, track in zip(speakers, utterances, strict=True)
        for u in track
    ]


def _name_channels(
    pieces: Sequence[Sequence[Samples]], texts: Sequence[Sequence[str]], guide: InterviewGuide, reference: Samples | None
) -> tuple[int, float]:
    """Which channel is the interviewer's, and how sure that is: by the clip and by the guide."""
    durations = [sum(len(p) for p in channel) / SAMPLE_RATE for channel in pieces]
    by_guide = _asks_questions(texts, durations, guide)
    if reference is None or not all(pieces):
        return by_guide
    everything = [p for channel in pieces for p in channel]
    labels = [n for n, channel in enumerate(pieces) for _ in channel]
    voices = known_voices(embed(everything), [len(p) / SAMPLE_RATE for p in everything], labels)
    return _combined(_by_clip(voices, reference), by_guide)


def _by_voice(
    samples: Samples, chunks: Sequence[Chunk], utterances: Sequence[Utterance], guide: InterviewGuide, reference: Samples | None
) -> list[Voiced]:
    if len(chunks) < 2:
        return [Voiced(u) for u in utterances]
    pieces = [samples[c.start : c.end] for c in chunks]
    weights = [len(p) / SAMPLE_RATE for p in pieces]
    voices = two_voices(embed(pieces), weights)
    texts = [[u.text for u, v in zip(utterances, voices.labels, strict=True) if v == n] for n in (0, 1)]
    durations = [sum(w for w, v in zip(weights, voices.labels, strict=True) if v == n) for n in (0, 1)]
    interviewer, naming = _asks_questions(texts, durations, guide)
    if reference is not None:
        interviewer, naming = _combined(_by_clip(voices, reference), (interviewer, naming))
    voiced = []
    for u, label, sure in zip(utterances, voices.labels, voices.confidence, strict=True):
        speaker: Speaker = "interviewer" if label == interviewer else "respondent"
        confidence = min(sure, naming)
        if speaker == "respondent" and matching_question(u.text, guide) is not None:
            confidence = min(confidence, CROSS_CHECK)  # the voice says respondent, the words a guide question
        voiced.append(Voiced(u, speaker, "voice", round(confidence, 3)))
    return voiced


def _by_clip(voices: Voices, reference: Samples) -> tuple[int, float]:
    """The voice the interviewer's clip belongs to, and how surely (0.5 where the voices are not apart)."""
    return voices.side(embed([reference])[0], len(reference) / SAMPLE_RATE)


def _combined(*namings: tuple[int, float]) -> tuple[int, float]:
    """Independent namings (voice, confidence) as one: their odds that voice 0 is the interviewer's
    multiply, so a clip and a guide that agree are surer together, and one that is a guess (0.5)
    changes nothing."""
    odds = 1.0
    for voice, sure in namings:
        first = min(max(sure if voice == 0 else 1 - sure, 1e-6), 1 - 1e-6)
        odds *= first / (1 - first)
    first = round(odds / (1 + odds), 3)
    return (0, first) if first >= 0.5 else (1, round(1 - first, 3))


def _asks_questions(texts: Sequence[Sequence[str]], durations: Sequence[float], guide: InterviewGuide) -> tuple[int, float]:
    """The voice that asks more of the guide's questions; with none asked, the one that speaks less
    (an interviewer listens more than they talk), at confidence 0.5."""
    asked = [sum(1 for text in voice if matching_question(text, guide) is not None) for voice in texts]
    if asked[0] == asked[1]:
        return int(np.argmin(durations)), 0.5
    interviewer = int(np.argmax(asked))
    return interviewer, round(asked[interviewer] / (asked[0] + asked[1]), 3)

