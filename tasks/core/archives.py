"""Limits on the zip archives the tool reads (.docx, .xlsx, .qdpx), checked before any part is
unpacked or parsed: a few megabytes on disk must not unpack to gigabytes in memory.

The sizes come from the archive's directory; Python's zipfile never returns more than the declared
size of a member, so a member that lies about its size cannot get past these checks.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from tasks.core.errors import InputError

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # 1 GiB: pictures included, far above any interview document
MAX_XML_BYTES = 64 * 1024 * 1024  # one XML part that is parsed (document, comments, sheet, project)
MAX_RATIO = 200  # a compressed XML part rarely shrinks more than 20x; 200x is a bomb


def check_archive(path: Path, label: str, kind: str) -> None:
    """Refuse an archive with too many parts or parts that unpack to too much. `kind` names what the
    file should be ("Word document", "Excel workbook", "REFI-QDA project") for the message."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader's own check says what the file is
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{label}: holds {len(members)} parts (at most {MAX_MEMBERS}); it is not a {kind} this tool reads; save it again")
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{label}: would unpack to {_size(total)} (at most {_size(MAX_TOTAL_BYTES)}); save the {kind} again without it")
    for member in members:
        if not member.filename.lower().endswith((".xml", ".rels", ".qde")):
            continue
        if member.file_size > MAX_XML_BYTES or member.file_size > MAX_RATIO * max(member.compress_size, 1024):
            raise InputError(
                f"{label}: its part {member.filename} would unpack to {_size(member.file_size)}; "
                f"this is not a normal {kind}; save it again"
            )


def check_regular_file(path: Path, label: str, what: str) -> None:
    """Refuse a pipe, device, socket or folder given as an input, before opening it (reading a
    named pipe would wait forever)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return  # the caller says what is missing
    if stat.S_ISDIR(mode):
        raise InputError(f"{label}: is a folder, not {what}; give the path of the file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{label}: is not a regular file (a pipe, device or socket); save {what} as a file and use that")


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"
