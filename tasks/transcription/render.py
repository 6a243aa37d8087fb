"""The draft transcript in the formats a researcher uses: .txt, .vtt (subtitles) and .docx."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt, RGBColor

from tasks.core.files import write_office, write_text
from tasks.core.transcripts import Transcript, save_transcript

SUFFIXES = (".json", ".txt", ".vtt", ".docx")


def clock(seconds: float, decimals: int = 0) -> str:
    """01:02:03 (or 01:02:03.450 with decimals=3)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{text}.{millis:03d}"[: len(text) + 1 + decimals] if decimals else text


def heading(transcript: Transcript) -> str:
    meta = transcript.meta
    return (
        f"Draft transcript {transcript.respondent_id} ({meta.get('engine')}, model {meta.get('model')}, "
        f"language {meta.get('language')}; {clock(float(meta.get('duration', 0)))} of audio)"
    )


def to_text(transcript: Transcript) -> str:
    lines = [heading(transcript), "Automatic draft; not reviewed. Segment ids are fixed: quote and code by them.", ""]
    for segment in transcript.segments:
        lines.append(f"[{clock(segment.start)} - {clock(segment.end)}] {segment.segment_id}  {segment.text}")
    return "\n".join(lines) + "\n"


def to_vtt(transcript: Transcript) -> str:
    cues = ["WEBVTT", ""]
    for segment in transcript.segments:
        cues += [segment.segment_id, f"{clock(segment.start, 3)} --> {clock(segment.end, 3)}", segment.text, ""]
    return "\n".join(cues)


def to_docx(transcript: Transcript) -> DocxDocument:
    """A clean draft: a heading, one paragraph per segment (id and time in grey, then the text)."""
    document = Document()
    document.add_heading(f"Draft transcript {transcript.respondent_id}", level=1)
    note = document.add_paragraph(heading(transcript) + ". Automatic draft; not reviewed.")
    note.runs[0].italic = True
    for segment in transcript.segments:
        paragraph = document.add_paragraph()
        label = paragraph.add_run(f"{segment.segment_id}  {clock(segment.start)}  ")
        label.font.size = Pt(8)
        label.font.color.rgb = RGBColor(0x70, 0x70, 0x70)
        paragraph.add_run(segment.text)
    return document


def write_outputs(folder: Path, transcript: Transcript) -> tuple[Path, ...]:
    """`<id>.json`, `.txt`, `.vtt` and `.docx` in `folder`, each written atomically."""
    stem = folder / transcript.respondent_id
    save_transcript(stem.with_suffix(".json"), transcript)
    return (stem.with_suffix(".json"), *render_from_json(folder, transcript, only_missing=False))


def render_from_json(folder: Path, transcript: Transcript, only_missing: bool = True) -> tuple[Path, ...]:
    """The readable formats, derived from the JSON (so they can be restored without decoding audio)."""
    stem = folder / transcript.respondent_id
    paths = (stem.with_suffix(".txt"), stem.with_suffix(".vtt"), stem.with_suffix(".docx"))
    if not (only_missing and paths[0].is_file()):
        write_text(paths[0], to_text(transcript))
    if not (only_missing and paths[1].is_file()):
        write_text(paths[1], to_vtt(transcript))
    if not (only_missing and paths[2].is_file()):
        write_office(paths[2], to_docx(transcript).save)
    return paths
