"""What every hostile case of issue 14 checks beyond its one-line message: the command, run as a
user runs it (a process), exits with the code DESIGN.md gives; the other respondents' outputs keep
their hashes; and no marker planted in the hostile input reaches out/ (its logs included) or
Prefect's database.

    outcome = assert_contained(root, "run", code=REJECTED, others=("R01", "R03"), markers=[NAME, SENTENCE])
    assert outcome.errors == ["consent.csv row 3, column ...: ..."]
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# DESIGN.md, "Command line (contract)"
DONE = 0  # everything that could run did (waiting on a person is normal)
REJECTED = 1  # an input row rejected or a stage failed for a respondent: one line per problem
UNEXPECTED = 2  # an unexpected error, with where its traceback was written

# Invented personal data to plant in hostile inputs: a name, an e-mail address and a sentence that
# nothing in a study says otherwise, so that finding one anywhere is a leak.
NAME = "Geertruida Lekvrijstra"
EMAIL = "g.lekvrijstra@nergens.invalid"
SENTENCE = "Dit vertrouwelijke zinnetje hoort alleen in de invoer"
PLANTED = (NAME, EMAIL, SENTENCE)
PERSONAL = ("name", "email", "organisation")  # the personal columns of the test studies' recruitment logs


def personal_data(root: Path, of: Iterable[str] | None = None) -> list[str]:
    """The personal columns' values in the study's recruitment.csv (of the respondents `of`, or of
    all): they never leave that file (but for the respondent's own review document)."""
    wanted = None if of is None else set(of)
    with open(root / "recruitment.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if wanted is None or row["respondent_id"] in wanted]
    return [row[column] for row in rows for column in PERSONAL if row.get(column)]


# The command line as a user starts it (the console script's entry point), in a fresh interpreter
# that reports its own peak memory (VmHWM: ru_maxrss of a child would keep the forking parent's peak
# across exec).
_CLI = """
import atexit, os, sys
def _peak():
    with open('/proc/self/status') as status, open(os.environ['CONTAINED_PEAK'], 'w') as report:
        report.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))
atexit.register(_peak)
exec(os.environ.get('CONTAINED_INJECT', ''))
from flows.launch import main
main()
"""

# A fault of the machine, injected into the command's process: every write under FOLDER (opening a
# file to write or creating one) fails with the errno named CODE, as on a full or read-only disk.
# Renames and reads still work, as they do on a full disk.
FAULT = """
import builtins, errno, io
_folder, _code = {folder!r}, errno.{code}
def _refused(path):
    return isinstance(path, (str, bytes, os.PathLike)) and os.path.abspath(os.fsdecode(path)).startswith(_folder)
def _fail(path):
    raise OSError(_code, os.strerror(_code), os.fsdecode(path))
_open, _os_open = builtins.open, os.open
def _guarded_open(file, mode='r', *args, **kwargs):
    if any(flag in mode for flag in 'wax+') and _refused(file):
        _fail(file)
    return _open(file, mode, *args, **kwargs)
def _guarded_os_open(path, flags, *args, **kwargs):
    if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and _refused(path):
        _fail(path)
    return _os_open(path, flags, *args, **kwargs)
builtins.open = io.open = _guarded_open
os.open = _guarded_os_open
"""


def fault(folder: Path, code: str) -> str:
    """The code that makes every write under `folder` fail with errno `code` (ENOSPC, EROFS, EACCES)."""
    return FAULT.format(folder=str(folder.absolute()), code=code)


@dataclass(frozen=True)
class Outcome:
    """What a command did: exit code, its two streams, its own peak memory in MB."""

    code: int
    stdout: str
    stderr: str
    peak_mb: int

    @property
    def errors(self) -> list[str]:
        """The problems it listed, one line each, without the `error: ` in front."""
        return [line.removeprefix("error: ") for line in self.stderr.splitlines() if line.startswith("error: ")]


def interview_study(root: Path, *args: str, inject: str = "", timeout: float = 600) -> Outcome:
    """`interview-study ARGS --study ROOT` in a new process, with the study's own Prefect state
    (.prefect/ inside it), as a user gets it: no Prefect setting of the test session is passed on.
    `inject`: Python code the process runs first (a `fault`)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    environment["CONTAINED_INJECT"] = inject
    with tempfile.TemporaryDirectory(prefix="contained-") as scratch:
        peak = Path(scratch) / "peak"
        environment["CONTAINED_PEAK"] = str(peak)
        result = subprocess.run(
            [sys.executable, "-c", _CLI, *args, "--study", str(root)],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout,
        )
        peak_mb = int(peak.read_text()) // 1024 if peak.is_file() else -1
    return Outcome(result.returncode, result.stdout, result.stderr, peak_mb)


def owned_by(ids: Iterable[str]) -> Callable[[str], bool]:
    """Whether a path inside out/ belongs to one of `ids` (a part of it is named after the id)."""
    wanted = set(ids)
    return lambda relative: any(part.split(".")[0] in wanted for part in relative.split("/"))


def digests(folder: Path, ids: Iterable[str]) -> dict[str, str]:
    """The content hash of every file in `folder` that belongs to one of `ids`."""
    keep = owned_by(ids)
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and keep(path.relative_to(folder).as_posix())
    }


def hits(path: Path, markers: Iterable[str]) -> list[str]:
    """The markers a file holds, in any case, as UTF-8 or UTF-16, also inside a zip archive's
    members (docx, xlsx, qdpx)."""
    blobs = [path.read_bytes().lower()]
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(name).lower() for name in archive.namelist()]
        except (zipfile.BadZipFile, OSError, NotImplementedError):
            pass  # a damaged archive: its raw bytes were searched
    found = []
    for marker in markers:
        needles = (marker.lower().encode(), marker.lower().encode("utf-16-le"), marker.lower().encode("utf-16-be"))
        if any(needle in blob for blob in blobs for needle in needles):
            found.append(f"{path}: {marker}")
    return found


def files(folder: Path) -> list[Path]:
    return [path for path in sorted(folder.rglob("*")) if path.is_file()] if folder.is_dir() else []


def leaks(root: Path, markers: Iterable[str] = PLANTED, private: Iterable[str] = (), out: str = "out") -> list[str]:
    """Where a marker was found: `markers` anywhere in out/ (logs included) or Prefect's state
    (.prefect/: database, its journal, storage); `private` (what a study may rightly publish, such as
    a transcript's text) in the logs and Prefect's state only."""
    markers, private = list(markers), list(private)
    logs = root / out / "logs"
    found = [hit for path in files(root / out) for hit in hits(path, markers)]
    found += [hit for path in files(logs) + files(root / ".prefect") for hit in hits(path, private)]
    found += [hit for path in files(root / ".prefect") for hit in hits(path, markers)]
    return found


def assert_contained(
    root: Path,
    *args: str,
    code: int,
    others: Iterable[str] = (),
    markers: Iterable[str] = PLANTED,
    private: Iterable[str] = (),
    out: str = "out",
    inject: str = "",
) -> Outcome:
    """Run `interview-study ARGS --study ROOT` and check that it exits with `code`, with no traceback
    on the console, that the files of `others` (respondents the hostile input is not about) are
    unchanged, and that no marker leaked (see `leaks`). The outcome, for the case's exact message."""
    others = tuple(others)
    before = digests(root / out, others)
    assert not others or before, f"no files of {others} in {out}/ to compare"
    outcome = interview_study(root, *args, inject=inject)
    shown = f"exit {outcome.code}\n{outcome.stdout[-3000:]}\n{outcome.stderr[-3000:]}"
    assert outcome.code == code, shown
    assert "Traceback" not in outcome.stdout + outcome.stderr, shown
    assert code == UNEXPECTED or "unexpected error" not in outcome.stderr, shown
    assert digests(root / out, others) == before
    assert leaks(root, markers, private, out) == []
    return outcome
