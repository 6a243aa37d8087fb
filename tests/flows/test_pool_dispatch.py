"""The work pool gets only respondents with work, never more runs in flight than the cap, and
rides out a Prefect API that answers 503 or drops the connection for a moment."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from flows import pool
from flows.respondent import stages_until
from tasks.core.errors import InputError
from tasks.core.study import Study
from tasks.protocol import execute_respondent


def test_only_respondents_whose_stages_have_work_are_sent(small_study: Study) -> None:
    stages = stages_until("consent")
    ids = ["R01", "R02", "R03"]
    assert pool.with_work(small_study, ids, stages, force=False) == ids
    for rid in ids:
        for stage in stages:
            execute_respondent(small_study, stage, rid)
    study = Study.at(small_study.root)
    assert pool.with_work(study, ids, stages, force=False) == []
    recruitment = small_study.catalog.recruitment_file  # R02's interview turns out to have been online
    text = recruitment.read_text(encoding="utf-8")
    recruitment.write_text(text.replace("2024-03-20,in_person,small", "2024-03-20,online,small"), encoding="utf-8")
    assert pool.with_work(Study.at(small_study.root), ids, stages, force=False) == ["R02"]
    assert pool.with_work(Study.at(small_study.root), ids, stages, force=True) == ids


class FakeClient:
    """Flow runs that end one poll after they were submitted."""

    def __init__(self, submitted: list[str], in_flight: list[int], waiting_of: dict[UUID, str]) -> None:
        self.submitted, self.in_flight, self.waiting_of = submitted, in_flight, waiting_of

    def __enter__(self) -> FakeClient:
        return self

    def __exit__(self, *args: object) -> None:
        return None


def test_no_more_runs_in_flight_than_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    submitted: list[str] = []
    peak: list[int] = []
    live: dict[str, UUID] = {}

    def submit_one(deployment: str, study_dir: str, rid: str, until: str, force: bool) -> UUID:
        submitted.append(rid)
        live[rid] = uuid4()
        peak.append(len(live))
        return live[rid]

    def collect(client: Any, waiting: dict[str, UUID], unfinished: dict[str, str]) -> None:
        for rid in list(waiting)[:1]:  # one run ends per poll
            del waiting[rid]
            del live[rid]

    monkeypatch.setattr(pool, "_submit_one", submit_one)
    monkeypatch.setattr(pool, "_collect", collect)
    monkeypatch.setattr(pool, "_pause", lambda: None)
    monkeypatch.setattr("prefect.client.orchestration.get_client", lambda sync_client: FakeClient([], [], {}))
    ids = [f"R{n:02d}" for n in range(1, 11)]
    assert pool.dispatch("d", "/study", ids, "consent", False, cap=3) == {}
    assert submitted == ids
    assert max(peak) == 3


def test_a_503_is_retried_with_backoff_then_given_up_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(pool, "_backoff", waits.append)
    answers = iter([503, 503, 200])

    def flaky() -> str:
        code = next(answers)
        if code != 200:
            request = httpx.Request("POST", "http://127.0.0.1:4200/api/deployments/x/create_flow_run")
            raise httpx.HTTPStatusError("unavailable", request=request, response=httpx.Response(code, request=request))
        return "submitted"

    assert pool._retrying(flaky, "submitting R01's flow run") == "submitted"
    assert waits == [0.5, 1.0]

    def reset() -> str:
        raise httpx.ReadError("connection reset by peer")

    with pytest.raises(InputError) as caught:
        pool._retrying(reset, "submitting R02's flow run")
    assert caught.value.message == (
        "the Prefect server dropped the connection (ReadError) 5 times while submitting R02's flow run; "
        "check the server and run again"
    )
    assert waits[2:] == [0.5, 1.0, 2.0, 4.0, 8.0]
