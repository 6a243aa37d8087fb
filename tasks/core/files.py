"""Safe file writing (temporary file, then rename) and content hashing."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one rename.

    For libraries that insist on writing to a path themselves (python-docx, matplotlib, openpyxl).
    A crash leaves at most a hidden `.name.tmp-*` file, which no reader takes for an output.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text(target: Path, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def write_json(target: Path, data: Any) -> Path:
    return write_text(target, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(value: Any) -> str:
    """A content hash of any JSON-able value (dict keys sorted), for cache keys."""
    return sha256_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode())


def remove(path: Path) -> bool:
    """Delete a file if it is there; True when something was removed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def sweep_temporaries(folder: Path) -> int:
    """Remove temporary files a killed run left behind (only runs under the study lock call this)."""
    removed = 0
    if folder.is_dir():
        for path in folder.rglob(".*.tmp-*"):
            removed += remove(path)
    return removed


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
FIXED_STAMP = b"2000-01-01T00:00:00Z"


def write_office(target: Path, save: Callable[[IO[bytes]], object]) -> Path:
    """Write a .docx/.xlsx atomically and reproducibly: the same content gives the same bytes.

    python-docx and openpyxl stamp every zip member with the current time, which would make
    every rewrite look like a change; the members are repacked with a fixed time instead.
    """
    buffer = io.BytesIO()
    save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving here
                data = STAMP.sub(rb"\g<1>" + FIXED_STAMP + rb"\g<2>", data)
            archive.writestr(member, data)
    return write_bytes(target, packed.getvalue())
