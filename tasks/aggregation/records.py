"""The records behind the methods appendix, gathered once: ids, dates and counts only, never names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tasks.aggregation.agreement import study_tables
from tasks.analysis.frames import load_coded, transcript_meta
from tasks.core.catalog.consent import read_consents
from tasks.core.catalog.recruitment import read_log
from tasks.core.catalog.reviews import decision_of
from tasks.core.errors import StudyError
from tasks.core.study import Study


@dataclass
class Facts:
    """What the records say, gathered once; ids and counts only."""

    eligible: list[str]
    contacted: int = 0
    responded: int = 0
    interviewed: list[str] = field(default_factory=list)
    channels: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    attributes: dict[str, Counter[str]] = field(default_factory=dict)  # per declared attribute
    dates: list[str] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)
    minutes: dict[str, float] = field(default_factory=dict)
    engines: Counter[str] = field(default_factory=Counter)
    quotes_allowed: int = 0
    anonymity: int = 0
    coders: list[str] = field(default_factory=list)
    code_respondents: Counter[str] = field(default_factory=Counter)
    code_holders: dict[str, list[str]] = field(default_factory=dict)  # code -> the respondents who have it
    agreement: dict[str, float] = field(default_factory=dict)  # overall agreement; empty: nobody double-coded


def gather(study: Study, eligible: list[str]) -> Facts:
    facts = Facts(sorted(eligible))
    _recruitment(study, facts)
    _consent(study, facts)
    _reviews(study, facts)
    _transcripts(study, facts)
    _coding(study, facts)
    return facts


def _recruitment(study: Study, facts: Facts) -> None:
    recruits = read_log(study).recruits.values()
    facts.contacted = len(recruits)
    facts.responded = sum(r.responded for r in recruits)
    held = [r for r in recruits if r.interview_date is not None]
    facts.interviewed = [r.respondent_id for r in held]
    facts.channels = Counter(r.channel for r in held)
    analysed = [r for r in held if r.respondent_id in facts.eligible]
    facts.modes = Counter(r.interview_mode or "unknown" for r in analysed)
    facts.attributes = {
        name: Counter(r.attribute(name) or "unknown" for r in analysed) for name in study.config.attribute_names()
    }
    facts.dates = sorted(r.interview_date.isoformat() for r in analysed if r.interview_date is not None)


def _consent(study: Study, facts: Facts) -> None:
    consents = read_consents(study).consents
    for rid, consent in sorted(consents.items()):
        if consent.state == "withdrawn" and consent.withdrawn_on is not None:
            facts.withdrawn.append((rid, consent.withdrawn_on.isoformat()))
        elif consent.state == "refused":
            facts.refused.append(rid)
    analysed = [consents[rid] for rid in facts.eligible if rid in consents]
    facts.quotes_allowed = sum(bool(c.quotes) for c in analysed)
    facts.anonymity = sum(bool(c.anonymize) for c in analysed) if not study.config.privacy.anonymize_all else len(analysed)


def _reviews(study: Study, facts: Facts) -> None:
    for rid in facts.interviewed:
        try:
            decision = decision_of(study, rid)
        except StudyError:
            continue  # a broken row is reported by the review stage, not here
        if decision is not None:
            facts.decisions[rid] = (decision.value, decision.decided_on.isoformat())


def _transcripts(study: Study, facts: Facts) -> None:
    for rid, meta in transcript_meta(study, facts.eligible).items():
        if isinstance(meta.get("duration"), (int, float)):
            facts.minutes[rid] = float(meta["duration"]) / 60
        facts.engines[f"{meta.get('engine', 'unknown')} (model {meta.get('model', 'unknown')})"] += 1


def _coding(study: Study, facts: Facts) -> None:
    codings = load_coded(study, facts.eligible).rows
    human = codings[codings["source"] != "suggestion"]
    facts.coders = sorted(set(human["coder"]) - {""})
    pairs = codings[["respondent_id", "code"]].drop_duplicates()
    facts.code_respondents = Counter(pairs["code"])
    facts.code_holders = {code: sorted(group["respondent_id"]) for code, group in pairs.groupby("code")}
    overall = study_tables(study, facts.eligible)[1].iloc[0]
    if overall["respondents"] > 0:
        keys = ("respondents", "segments", "codes", "percent_agreement", "kappa", "alpha")
        facts.agreement = {key: float(overall[key]) for key in keys}
