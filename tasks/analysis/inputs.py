"""What the whole-study stages depend on, cheaply: content hashes and settings for their fingerprints.

`interview-study status` computes these for every whole-study stage, so this module stays light:
no pandas, numpy, docx or matplotlib (those are imported where the work is done). Hashes come
from the study's hash cache, so status never rereads a file that did not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tasks.core.catalog.consent import consent_of, pseudonymised
from tasks.core.catalog.recruitment import recruit, respondent_ids
from tasks.core.manifest import hash_cache
from tasks.core.study import Study
from tasks.privacy.pseudonymise import key


@dataclass(frozen=True)
class Permissions:
    quotes: frozenset[str]
    anonymize: frozenset[str]


def coding_inputs(study: Study, eligible: list[str]) -> dict[str, Any]:
    """What every whole-study stage depends on: the codings' hashes and the codebook."""
    hashes = hash_cache(study)
    return {
        "codings": {rid: hashes.digest(study.catalog.coded(rid)) for rid in eligible},
        "codebook": study.codebook.model_dump(mode="json", by_alias=True),
    }


def transcript_inputs(study: Study, eligible: list[str]) -> dict[str, str | None]:
    hashes = hash_cache(study)
    return {rid: hashes.digest(study.catalog.approved(rid)) for rid in eligible}


def permissions(study: Study, eligible: list[str]) -> Permissions:
    """Who may be quoted, and whose quotes are pseudonymised."""
    consents = {rid: consent_of(study, rid) for rid in eligible}
    return Permissions(
        quotes=frozenset(rid for rid, c in consents.items() if c is not None and c.quotes),
        anonymize=frozenset(rid for rid in eligible if pseudonymised(study, rid)),
    )


def respondent_numbers(ids: list[str]) -> dict[str, int]:
    """Thesis style numbers: the digits of the ids when they tell respondents apart, else 1..n."""
    digits = [re.search(r"(\d+)$", rid) for rid in ids]
    numbers = [int(m.group(1)) if m else None for m in digits]
    if None not in numbers and len(set(numbers)) == len(numbers):
        return {rid: int(n) for rid, n in zip(ids, numbers) if n is not None}
    return {rid: index for index, rid in enumerate(ids, start=1)}


def numbers(study: Study) -> dict[str, int]:
    """Respondent numbers over the whole roster, so they stay put when someone is left out."""
    return respondent_numbers(respondent_ids(study))


def quote_inputs(study: Study, eligible: list[str]) -> dict[str, object]:
    """Everything the published quotes depend on (for stage fingerprints)."""
    rights = permissions(study, eligible)
    numbered = numbers(study)
    return {
        "transcripts": transcript_inputs(study, eligible),
        "quotes": sorted(rights.quotes),
        "anonymize": sorted(rights.anonymize),
        "pseudonyms": {rid: key(study, rid) for rid in sorted(rights.quotes)},
        "numbers": {rid: numbered.get(rid) for rid in eligible},
        "per_code": study.config.aggregation.quotes_per_code,
    }


def attribute_rows(study: Study, eligible: list[str]) -> list[list[str]]:
    """Per eligible respondent: id and the configured recruitment attributes (never personal columns)."""
    names = study.config.breakdowns()
    rows = []
    for rid in eligible:
        record = recruit(study, rid)
        rows.append([rid, *[record.attribute(name) if record else "" for name in names]])
    return rows
