"""One family of exceptions for expected failures; the CLI turns them into one line and exit 1."""

from __future__ import annotations


class StudyError(Exception):
    """An expected failure caused by the study's inputs or configuration.

    The message is one line that names the file, the row or key, and what to do. It must never
    hold personal data (names, e-mail addresses, transcript text): it ends up in manifests and
    may be shown by the orchestrator.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self.args[0])


class ConfigError(StudyError):
    """A YAML file in `config/` is missing, malformed or invalid."""


class InputError(StudyError):
    """A researcher's input file (CSV, recording, returned document, codings) is unusable."""


class LockError(StudyError):
    """Another run holds the study's lock."""


def where(file: str, row: int | None = None, column: str | None = None) -> str:
    """`recruitment.csv row 4, column channel` — the prefix every input error starts with."""
    text = file
    if row is not None:
        text += f" row {row}"
    if column is not None:
        text += f", column {column}" if row is not None else f" column {column}"
    return text
