"""Axial coding on the hand-made study (R01, R02, R03 eligible), every table checked cell by cell.

Distinct codings: R01-0002 silos · R01-0003 insight, silos · R01-0005 justify, technical (two
coders) · R02-0002 language · R02-0003 insight, technical · R03-0002 insight, silos ·
R03-0003 justify.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.axial_coding.stage import STAGE
from tasks.core.stage import Cohort
from tasks.core.study import Study
from tests.tasks.coding_fixtures import coded_study


@pytest.fixture(scope="module")
def axial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return coded_study(tmp_path_factory) / "out" / "06_axial"


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def test_codes_with_their_respondents_and_segments(axial: Path) -> None:
    assert read(axial, "codes.csv") == (
        "category,category_name,code,code_name,respondents,segments,respondent_ids,segment_ids\n"
        "org,Change in the organisation,silos,Working across silos,2,3,R01;R03,R01-0002;R01-0003;R03-0002\n"
        "org,Change in the organisation,language,Own language per domain,1,1,R02,R02-0002\n"
        "work,Change in work,insight,Data gives insight,3,3,R01;R02;R03,R01-0003;R02-0003;R03-0002\n"
        "work,Change in work,justify,Justifying choices,2,2,R01;R03,R01-0005;R03-0003\n"
        "skills,Competences,technical,Technical competences,2,2,R01;R02,R01-0005;R02-0003\n"
    )


def test_categories_count_a_segment_once(axial: Path) -> None:
    assert read(axial, "categories.csv") == (
        "category,name,codes,codes_used,respondents,segments,respondent_ids,segment_ids\n"
        "org,Change in the organisation,2,2,3,4,R01;R02;R03,R01-0002;R01-0003;R02-0002;R03-0002\n"
        "work,Change in work,2,2,3,5,R01;R02;R03,R01-0003;R01-0005;R02-0003;R03-0002;R03-0003\n"
        "skills,Competences,1,1,2,2,R01;R02,R01-0005;R02-0003\n"
    )


def test_cooccurrence_in_one_segment(axial: Path) -> None:
    assert read(axial, "cooccurrence_segments.csv") == (
        "code,silos,language,insight,justify,technical\n"
        "silos,3,0,2,0,0\n"
        "language,0,1,0,0,0\n"
        "insight,2,0,3,0,1\n"
        "justify,0,0,0,2,1\n"
        "technical,0,0,1,1,2\n"
    )


def test_cooccurrence_in_one_respondent(axial: Path) -> None:
    assert read(axial, "cooccurrence_respondents.csv") == (
        "code,silos,language,insight,justify,technical\n"
        "silos,2,0,2,2,1\n"
        "language,0,1,1,0,1\n"
        "insight,2,1,3,2,2\n"
        "justify,2,0,2,2,1\n"
        "technical,1,1,2,1,2\n"
    )


def test_relations_with_their_evidence(axial: Path) -> None:
    assert read(axial, "relations.csv") == (
        "from,to,type,note,segments,respondents,respondent_ids,segment_ids\n"
        "insight,silos,supports,,2,2,R01;R03,R01-0003;R03-0002\n"
        "work,org,causes,new work changes the organisation,2,3,R01;R02;R03,R01-0003;R03-0002\n"
        "technical,justify,relates_to,,1,1,R01,R01-0005\n"
    )


def test_links_between_categories(axial: Path) -> None:
    assert read(axial, "category_links.csv") == (
        "category,other,segments,respondents\n"
        "org,work,2,3\n"
        "org,skills,0,2\n"
        "work,org,2,3\n"
        "work,skills,2,2\n"
        "skills,org,0,2\n"
        "skills,work,2,2\n"
    )


def test_the_heatmap_is_a_png(axial: Path) -> None:
    assert (axial / "heatmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_outcome_and_waiting_without_respondents(axial: Path) -> None:
    study = Study.at(axial.parents[1])
    outcome = STAGE.run(study, Cohort(["R01", "R02", "R03"]))
    assert (outcome.status, outcome.detail) == ("done", "3 respondents, 7 coded segments; 3 of 3 relations with evidence")
    assert outcome.counts == {"respondents": 3, "segments": 7, "relations": 3}
    assert [p.name for p in outcome.outputs] == [
        "codes.csv", "categories.csv", "cooccurrence_segments.csv", "cooccurrence_respondents.csv",
        "category_links.csv", "relations.csv", "heatmap.png",
    ]
    nobody = STAGE.run(study, Cohort([]))
    assert (nobody.status, nobody.detail) == (
        "waiting",
        "researcher: no respondent has finished open coding yet; code a transcript and run again",
    )
