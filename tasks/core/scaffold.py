"""A new study folder: config templates, input tables with their headers, input folders."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tasks.core.errors import InputError
from tasks.core.files import write_text

HEADERS = {
    "recruitment.csv": "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,municipality_size,role,name,email,organisation\n",
    "consent.csv": "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on\n",
    "reviews.csv": "respondent_id,decision,decided_on,note\n",
}
FOLDERS = ("audio", "review/returned", "codings")
GITIGNORE = """# outputs and orchestration state: derived, may hold personal data, never committed
/out/
/.prefect/
# the key that reverses pseudonymisation holds names: keep it as safe as recruitment.csv
/pseudonymisation_key.csv
# inputs with personal data: keep them out of version control unless your protocol allows it
# /audio/
# /recruitment.csv
"""


def create_study(directory: Path) -> list[Path]:
    """Write the templates; refuses a folder that already holds files."""
    if directory.exists() and any(directory.iterdir()):
        raise InputError(f"{directory}: folder is not empty; choose a new folder")
    created = []
    templates = resources.files("tasks.core") / "templates"
    for name in ("study.yaml", "codebook.yaml", "interview_guide.yaml"):
        created.append(write_text(directory / "config" / name, (templates / name).read_text(encoding="utf-8")))
    for name, header in HEADERS.items():
        created.append(write_text(directory / name, header))
    for folder in FOLDERS:
        (directory / folder).mkdir(parents=True, exist_ok=True)
        created.append(write_text(directory / folder / ".gitkeep", ""))
    created.append(write_text(directory / ".gitignore", GITIGNORE))
    return created
