"""Helpers for building study folders in tests."""

from __future__ import annotations

from pathlib import Path

from tasks.core.scaffold import create_study
from tasks.core.study import Study

RECRUITMENT_HEADER = (
    "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,"
    "municipality_size,role,name,email,organisation"
)
CONSENT_HEADER = "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on"


# What the thesis declares about its respondents, as the tests' thesis-style rows need it: sizes
# listed, role as free text, the thesis's channels and modes.
THESIS_ATTRIBUTES = """attributes:
  - name: municipality_size
    labels: {en: municipality size}
    values: [small, medium, large]
  - name: role
"""
THESIS_VOCABULARIES = """  channels: [linkedin, network, municipality_email, other]
  interview_modes: [online, in_person]
"""


def thesis_declared(text: str) -> str:
    """A study.yaml text with the thesis's attributes and vocabularies declared."""
    if "\nrecruitment:\n" in text:
        text = text.replace("\nrecruitment:\n", f"\n{THESIS_ATTRIBUTES}\nrecruitment:\n{THESIS_VOCABULARIES}", 1)
        return text
    return text.rstrip("\n") + f"\n{THESIS_ATTRIBUTES}recruitment:\n{THESIS_VOCABULARIES}"


def write_study(root: Path, recruitment: list[str], consent: list[str] | None = None) -> Study:
    """A study folder from the English templates with the thesis's attributes declared, and the
    given CSV rows (header added)."""
    create_study(root)
    config = root / "config" / "study.yaml"
    config.write_text(thesis_declared(config.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "recruitment.csv").write_text("\n".join([RECRUITMENT_HEADER, *recruitment]) + "\n", encoding="utf-8")
    if consent is not None:
        (root / "consent.csv").write_text("\n".join([CONSENT_HEADER, *consent]) + "\n", encoding="utf-8")
    return Study.at(root)




def run_plain(root: Path) -> None:
    """Every stage over the study in order, like the flow, without Prefect (for fast tests)."""
    from tasks import consent, recruitment
    from tasks.core.manifest import hash_cache
    from tasks.core.catalog.recruitment import respondent_ids
    from tasks.protocol import execute_report, execute_respondent, execute_study
    from tasks.protocol import RESPONDENT_STAGES, STUDY_STAGES

    from tasks.core.files import sweep_temporaries

    study = Study.at(root).validate()
    sweep_temporaries(study.catalog.out)
    for rid in respondent_ids(study):
        for stage in RESPONDENT_STAGES:
            execute_respondent(study, stage, rid)
    for report in (recruitment.REPORT, consent.REPORT):
        execute_report(study, report)
    hash_cache(study).save()
    study = Study.at(root)
    for stage in STUDY_STAGES:
        execute_study(study, stage)
    hash_cache(study).save()


DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "tiny_study"  # a copy of the example's config and first rows, frozen for these tests


def tiny_complete_study(root: Path, respondents: tuple[str, ...] = ("R01", "R02", "R03")) -> Study:
    """The thesis config with a few of R01-R03, each an 8 s Dutch clip, approved and coded.

    Small enough that every stage, real Whisper included, runs in seconds.
    """
    import shutil

    shutil.copytree(TINY / "config", root / "config")
    for name in ("recruitment.csv", "consent.csv"):
        lines = (TINY / name).read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in respondents]
        (root / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    reviews = ["respondent_id,decision,decided_on,note"] + [f"{rid},approved,2022-03-01," for rid in respondents]
    (root / "reviews.csv").write_text("\n".join(reviews) + "\n", encoding="utf-8")
    (root / "audio").mkdir()
    (root / "codings").mkdir()
    for rid in respondents:
        own_copy(DATA / "audio" / "nl.ogg", root / "audio" / f"{rid}.ogg", rid)
        (root / "codings" / f"{rid}.csv").write_text(
            f"segment_id,code,coder\n{rid}-0001,data_gives_insight,onderzoeker\n", encoding="utf-8"
        )
    return Study.at(root)


def own_copy(source: Path, target: Path, tag: str) -> Path:
    """`source`'s audio under another respondent's id: the same sound, other bytes (a metadata
    comment differs), since two respondents with one identical recording are refused as a mix-up."""
    import av

    with av.open(str(source)) as inp, av.open(str(target), "w", format=inp.format.name.split(",")[0]) as out:
        out.metadata["comment"] = f"respondent {tag}"
        stream = inp.streams.audio[0]
        copied = out.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.dts is not None:
                packet.stream = copied
                out.mux(packet)
    return target
