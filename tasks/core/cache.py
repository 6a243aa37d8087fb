"""Per-run state of one study: what was read once and may be reused until the inputs change.

One small typed class instead of a dict of strings shared across modules: the researcher's logs
and the hash cache have named fields; what a stage derives from them (coded segments, agreement
tables, detected names) is memoised under the function that computes it and a key of its inputs
(`memo`), so a changed input is a miss, never a stale hit. `forget()` is the one way to drop it
all (after a withdrawal rewrote consent.csv, or when a new run starts).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from tasks.core.catalog.consent import ConsentLog
    from tasks.core.catalog.recruitment import RecruitmentLog
    from tasks.core.catalog.reviews import ReviewLog
    from tasks.core.manifest import HashCache

T = TypeVar("T")


@dataclass
class RunCache:
    recruitment_log: RecruitmentLog | None = None
    consent_log: ConsentLog | None = None
    review_log: ReviewLog | None = None
    hashes: HashCache | None = None
    study_fresh: dict[str, bool] = field(default_factory=dict)  # whole-study stage name: fingerprint current
    _memos: dict[tuple[Callable[..., Any], Hashable], tuple[Hashable, Any]] = field(default_factory=dict, repr=False)

    def memo(self, owner: Callable[..., T], key: Hashable, compute: Callable[[], T], slot: Hashable = None) -> T:
        """`owner`'s last result (per `slot`, e.g. a respondent) when it was computed for the same
        `key` (a fingerprint of its inputs), else `compute()`, which replaces it."""
        held = self._memos.get((owner, slot))
        if held is not None and held[0] == key:
            value: T = held[1]
            return value
        value = compute()
        self._memos[(owner, slot)] = (key, value)
        return value

    def forget(self) -> None:
        """Drop everything, so that the next read goes to disk."""
        self.recruitment_log = self.consent_log = self.review_log = None
        self.hashes = None
        self.study_fresh.clear()
        self._memos.clear()
