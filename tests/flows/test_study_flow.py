"""The real Prefect flow on a tiny study: fan-out, no repeated work, no personal data in Prefect."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tasks.core.study import Study
from tests.helpers import write_study

MARKERS = {
    "name": "Zyxwv Markernaam",
    "email": "qqmarker.mail@voorbeeld.invalid",
    "organisation": "Gemeente Qqmarkerstad",
    "note": "Qqmarker notitie vertrouwelijk",
}


def marked_study(root: Path) -> Study:
    """Every personal column and free-text note holds a unique marker string."""
    name, email, org = MARKERS["name"], MARKERS["email"], MARKERS["organisation"]
    study = write_study(
        root,
        [
            f"R01,linkedin,2024-03-01,yes,2024-03-15,online,large,allround,{name} 1,1{email},{org} 1",
            f"R02,network,2024-03-01,yes,2024-03-15,online,small,wmo,{name} 2,2{email},{org} 2",
            f"R03,network,2024-03-01,yes,2024-03-15,fax,small,wmo,{name} 3,3{email},{org} 3",
            f"R04,other,2024-03-01,yes,2024-03-15,online,small,wmo,{name} 4,4{email},{org} 4",
        ],
        [
            "R01,2024-03-15,yes,yes,yes,no,",
            "R02,2024-03-15,yes,no,yes,no,",
            "R03,2024-03-15,yes,yes,yes,no,",
            "R04,2024-03-15,yes,yes,yes,no,2024-04-01",
        ],
    )
    (root / "reviews.csv").write_text(
        f"respondent_id,decision,decided_on,note\nR01,approved,2024-04-01,{MARKERS['note']}\n", encoding="utf-8"
    )
    return study


def run_flow(study: Study, **options: object) -> list[dict[str, object]]:
    """The flow's results, also when it ends Failed because a respondent failed (R03's row is bad)."""
    from flows.study import results_of, study_pipeline, without_heartbeat

    with without_heartbeat():
        return results_of(study_pipeline(str(study.root), return_state=True, **options))  # type: ignore[call-overload]


@pytest.fixture
def flow_study(tmp_path: Path, prefect_harness: None) -> Study:
    return marked_study(tmp_path / "study")


def test_second_run_does_no_stage_work(flow_study: Study) -> None:
    first = run_flow(flow_study, until="consent")
    second = run_flow(flow_study, until="consent")
    ran_first = sorted((r["stage"], r["respondent_id"]) for r in first if r["ran"])
    assert ran_first == [
        ("consent", "R01"), ("consent", "R02"), ("consent", "R04"), ("consent", "_study"),
        ("recruitment", "R01"), ("recruitment", "R02"), ("recruitment", "R03"), ("recruitment", "R04"),
        ("recruitment", "_study"),
    ]
    assert [r for r in second if r["ran"]] == []
    statuses = {(r["stage"], r["respondent_id"]): r["status"] for r in second}
    assert statuses[("recruitment", "R03")] == "failed"  # interview_mode 'fax'
    assert statuses[("consent", "R03")] == "blocked"
    assert statuses[("consent", "R02")] == "excluded"
    assert statuses[("consent", "R04")] == "excluded"
    assert statuses[("consent", "R01")] == "done"


def test_one_failure_stops_no_other_respondent(flow_study: Study) -> None:
    path = flow_study.catalog.recruitment_file
    path.write_text(path.read_text().replace("R01,linkedin,2024-03-01", "R01,linkedin,2024-13-01"), encoding="utf-8")
    results = run_flow(flow_study, until="consent")
    statuses = {(r["stage"], r["respondent_id"]): r["status"] for r in results}
    assert statuses[("recruitment", "R01")] == "failed"
    assert statuses[("consent", "R01")] == "blocked"
    assert statuses[("recruitment", "R02")] == "done"
    assert statuses[("consent", "R02")] == "excluded"


def test_no_personal_data_reaches_prefect(flow_study: Study) -> None:
    from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL

    run_flow(flow_study)
    database = Path(PREFECT_SERVER_DATABASE_CONNECTION_URL.value().split("///", 1)[1])
    places = [database, Path(os.environ["PREFECT_HOME"]), flow_study.catalog.out]
    hits = scan(places, [*MARKERS.values(), "Markernaam", "qqmarker", "Qqmarker"])
    assert database.stat().st_size > 0
    assert hits == []


def scan(places: list[Path], markers: list[str]) -> list[str]:
    """Every file under the places whose bytes contain a marker (also UTF-16, as SQLite may store)."""
    hits = []
    files = [p for place in places for p in ([place] if place.is_file() else place.rglob("*")) if p.is_file()]
    for path in files:
        data = path.read_bytes()
        for marker in markers:
            for encoded in (marker.encode(), marker.encode("utf-16-le"), marker.lower().encode()):
                if encoded in data:
                    hits.append(f"{path}: {marker}")
    return hits
