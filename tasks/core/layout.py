"""The names of a study's folders and of the tool's own folders inside the output folder.

The catalog (`tasks.core.catalog`) joins these into paths. They live apart, with no imports, so
that the respondent id check can refuse an id that would name one of the tool's folders: an id
`approved` would otherwise share a name with the folder of approved transcripts, and withdrawing
it would remove every other respondent's approved transcript.
"""

from __future__ import annotations

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus")
TRACKS = ("interviewer", "respondent")  # audio/<id>/<track>.<ext>: one track per participant
INTERVIEWER_VOICE = "interviewer_voice"  # audio/interviewer_voice.<ext>: a clip of the interviewer's voice
STAGE_DIRS = {
    "recruitment": "01_recruitment",
    "consent": "02_consent",
    "transcription": "03_transcription",
    "review": "04_review",
    "open_coding": "05_open_coding",
    "axial_coding": "06_axial",
    "selective_coding": "07_selective",
    "aggregation": "results",
}
STATE_DIR = ".state"
LOG_DIR = "logs"
KEY_FILE = "pseudonymisation_key.csv"
# Input files and folders of a study folder (the output folder may be none of these, nor hold one).
INPUT_NAMES = (
    "config",
    "audio",
    "review",
    "codings",
    "recruitment.csv",
    "recruitment.xlsx",
    "consent.csv",
    "reviews.csv",
    KEY_FILE,
    ".prefect",
)
# Sub-folders the stages write beside per-respondent files: no respondent id may take these names.
SUBFOLDERS = ("approved", "outbox", "sent", "to_code", "suggestions")
RESERVED = frozenset(
    name.lower() for name in (*STAGE_DIRS.values(), *SUBFOLDERS, STATE_DIR, LOG_DIR, "hashes", "run", "_study", INTERVIEWER_VOICE)
)
