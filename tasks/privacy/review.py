"""The review list: `out/results/pseudonymisation_review.csv`, one row per name replaced in the
published quotes (`respondent_id, segment_id, candidate, replacement, found_by`), so that the
researcher can check them before the quotes go out.

`candidate` is the name as the segment says it ("Deltas", "Mevrouw Persoon" gives "Persoon"): a
piece of an approved transcript, which out/ holds already; the listed values of recruitment.csv
and the key's originals are not written here. To correct a decision, add a row to
`pseudonymisation_key.csv` with `found_by` = `researcher`: `R02,[PERSOON-9],Verzinhoven,researcher`
replaces that name (and its forms) for R02, `*` as respondent for everyone; `keep` as placeholder
(`R02,keep,Teams,researcher`) leaves a word that is no name alone. The next run applies it.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tasks.core.files import write_text
from tasks.core.sheets import safe_row
from tasks.core.study import Study

HEADER = ("respondent_id", "segment_id", "candidate", "replacement", "found_by")
ReviewRow = tuple[str, str, str, str, str]


@dataclass
class Review:
    rows: dict[ReviewRow, None] = field(default_factory=dict)  # ordered set
    texts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, rows: list[ReviewRow], texts: int) -> None:
        with self.lock:
            self.rows.update(dict.fromkeys(rows))
            self.texts += texts


def review(study: Study) -> Review:
    """What this process replaced in published texts (kept for the run)."""
    return study.cache.memo(review, None, Review)


def save_review(study: Study) -> Path:
    """Write the review list for the quotes just published (atomically; the whole list each time)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(safe_row(row) for row in sorted(review(study).rows))
    return write_text(study.catalog.pseudonymisation_review, buffer.getvalue())


def counts(study: Study) -> tuple[int, dict[str, int], dict[str, int]]:
    """Texts pseudonymised, replacements by kind (placeholder tag) and by detector, this run."""
    rows = list(review(study).rows)
    tags = Counter(row[3].strip("[]").rsplit("-", 1)[0] for row in rows)
    sources = Counter(row[4] for row in rows)
    return review(study).texts, dict(sorted(tags.items())), dict(sorted(sources.items()))
