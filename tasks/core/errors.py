"""One family of exceptions for expected failures; the CLI turns them into one line and exit 1."""

from __future__ import annotations

import errno
import re
from pathlib import Path

TEMPORARY = re.compile(r"\.(.+)\.tmp-[^.]*(?:\.[^.]*)?")  # files.atomic_path's `.NAME.tmp-XXXX.SUFFIX`


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


class StorageError(StudyError):
    """The disk is full, or a folder cannot be written: nothing is wrong with the study's inputs."""


def storage_problem(error: OSError, root: Path | None = None, out: Path | None = None) -> StorageError | None:
    """The one-line message for a full disk, a read-only or unwritable output folder, or an input
    the tool may not read; None for other OS errors. Paths are shown relative to the study folder
    when they lie inside it (they hold ids, never names)."""
    shown = _shown(error.filename, root)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(f"disk full while writing {shown}; free some space and run again")
    if error.errno == errno.EROFS:
        return StorageError(f"cannot write to {shown}: the disk is read-only; choose a writable output_dir")
    if error.errno in (errno.EACCES, errno.EPERM):
        inside = out is not None and error.filename is not None and Path(str(error.filename)).resolve().is_relative_to(out.resolve())
        if inside or out is None:
            return StorageError(f"cannot write to {shown}: permission denied; make the output folder writable")
        return StorageError(f"cannot read {shown}: permission denied; give your user read access to it")
    return None


def _shown(filename: object, root: Path | None) -> str:
    if not filename:
        return "the output folder"
    path = Path(str(filename))
    written = TEMPORARY.fullmatch(path.name)
    if written:  # the hidden temporary of an atomic write: name the output it was to become
        path = path.with_name(written.group(1))
    if root is not None:
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            pass
    return str(path)


def where(file: str, row: int | None = None, column: str | None = None) -> str:
    """`recruitment.csv row 4, column channel` — the prefix every input error starts with."""
    text = file
    if row is not None:
        text += f" row {row}"
    if column is not None:
        text += f", column {column}" if row is not None else f" column {column}"
    return text
