"""A new study folder: config templates, input tables with their headers, input folders."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tasks.core.config import CORE_COLUMNS, StudyConfig, load_model
from tasks.core.errors import InputError
from tasks.core.files import write_text

LANGUAGES = ("en", "nl")  # the template sets in templates/: <name>.<language>.yaml
CONFIG_FILES = ("study.yaml", "codebook.yaml", "interview_guide.yaml")
HEADERS = {
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


def create_study(directory: Path, language: str = "en") -> list[Path]:
    """Write the templates in `language`; refuses a folder that already holds files."""
    if language not in LANGUAGES:
        raise InputError(f"--language {language}: no templates in that language; choose {' or '.join(LANGUAGES)}")
    if directory.exists() and any(directory.iterdir()):
        raise InputError(f"{directory}: folder is not empty; choose a new folder")
    created = []
    templates = resources.files("tasks.core") / "templates"
    for name in CONFIG_FILES:
        template = templates / name.replace(".yaml", f".{language}.yaml")
        created.append(write_text(directory / "config" / name, template.read_text(encoding="utf-8")))
    config = load_model(directory / "config" / "study.yaml", StudyConfig, "config/study.yaml")
    created.append(write_text(directory / "recruitment.csv", recruitment_header(config)))
    for name, header in HEADERS.items():
        created.append(write_text(directory / name, header))
    for folder in FOLDERS:
        (directory / folder).mkdir(parents=True, exist_ok=True)
        created.append(write_text(directory / folder / ".gitkeep", ""))
    created.append(write_text(directory / ".gitignore", GITIGNORE))
    return created


def recruitment_header(config: StudyConfig) -> str:
    """The core columns, one per declared attribute, then the personal columns."""
    columns = dict.fromkeys([*CORE_COLUMNS, *config.attribute_names(), *config.recruitment.personal_columns])
    return ",".join(columns) + "\n"
