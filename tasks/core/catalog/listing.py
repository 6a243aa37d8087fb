"""The file names of the researcher's input folders (audio/, codings/, review/returned/), matched
without regard to case, as macOS and Windows file systems match them.

Every respondent's lookup asks the same folder; listing it each time cost 0.4 s for a `status`
of 300 respondents. A folder's listing is reused while the folder's modification time is the one
it was read at (adding, removing or renaming a file changes it), and kept only once that time is
over a second old, so that a change within the same clock tick is never missed (git's "racy"
rule for its index).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

SETTLED_NS = 1_000_000_000


def stem_key(name: str) -> str:
    """`R02` for R02.ogg, r02.CSV and R02.csv.bak: the part before the first dot, case folded."""
    return name.split(".", 1)[0].casefold()


@dataclass
class Listings:
    """Folder -> (its mtime when read, its file names by stem_key)."""

    held: dict[Path, tuple[int, dict[str, list[str]]]] = field(default_factory=dict)

    def by_stem(self, folder: Path, stem: str) -> list[str]:
        """The names of the files in `folder` whose stem_key is `stem` (case folded), sorted."""
        return self._index(folder).get(stem.casefold(), [])

    def _index(self, folder: Path) -> dict[str, list[str]]:
        try:
            mtime = os.stat(folder).st_mtime_ns
        except (FileNotFoundError, NotADirectoryError):
            return {}
        held = self.held.get(folder)
        if held is not None and held[0] == mtime:
            return held[1]
        index: dict[str, list[str]] = {}
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not entry.is_dir():  # pipes and devices too: the readers refuse them by name
                        index.setdefault(stem_key(entry.name), []).append(entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return {}
        for names in index.values():
            names.sort()
        if time.time_ns() - mtime > SETTLED_NS:
            self.held[folder] = (mtime, index)
        else:
            self.held.pop(folder, None)
        return index


LISTINGS = Listings()
