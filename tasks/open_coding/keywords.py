"""Keyword suggestions for open coding: the codebook's keywords found in a transcript.

A keyword is a phrase or a word stem: it must start at a word boundary and may run on to the end
of a word ("integraal werk" matches "integraal werken"), case-insensitive, spaces matching any
whitespace. Suggestions are proposals only; they count when the researcher accepts them.
"""

from __future__ import annotations

import re

from tasks.core.config import Codebook
from tasks.core.transcripts import Transcript

SUGGESTION_COLUMNS = ("segment_id", "code", "matched", "accepted")


def keyword_patterns(codebook: Codebook) -> dict[str, re.Pattern[str]]:
    """One compiled pattern per code that has keywords (longest keywords tried first)."""
    patterns = {}
    for _, code in codebook.codes():
        words = sorted({_phrase(word) for word in code.keywords if word.strip()}, key=len, reverse=True)
        if words:
            patterns[code.id] = re.compile(rf"(?<!\w)(?:{'|'.join(words)})\w*", re.IGNORECASE)
    return patterns


def _phrase(keyword: str) -> str:
    return r"\s+".join(re.escape(part) for part in keyword.split())


def suggest(transcript: Transcript, codebook: Codebook, accepted: bool) -> list[dict[str, str]]:
    """Rows of (segment_id, code, matched, accepted) for every segment not spoken by the interviewer."""
    patterns = keyword_patterns(codebook)
    rows = []
    for segment in transcript.segments:
        if segment.speaker == "interviewer":
            continue
        for code, pattern in patterns.items():
            found = [" ".join(match.split()).lower() for match in pattern.findall(segment.text)]
            if found:
                rows.append(
                    {
                        "segment_id": segment.segment_id,
                        "code": code,
                        "matched": "; ".join(dict.fromkeys(found)),
                        "accepted": "yes" if accepted else "",
                    }
                )
    return rows
