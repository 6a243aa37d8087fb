"""`status` for a lead: filters, counts per stage, who needs action (overdue reviews first), the
collapsed view of a large study, and the rows as a workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import flows.commands  # noqa: F401 - registers the commands
from flows.cli import app
from tasks.core.stage import StageStatus
from tasks.core.study import Study
from tasks.protocol import STAGES, execute_respondent
from tasks.status import Selection, needing_action, overdue_since, summary

runner = CliRunner()

OVERDUE = (
    "respondent: review sent 2024-03-01 (19 days ago, 5 days past the due date); save the returned file as "
    "review/returned/R04.docx and record the decision in reviews.csv"
)
SENT = (
    "respondent: review sent 2024-03-18 (2 days ago); save the returned file as review/returned/R01.docx and "
    "record the decision in reviews.csv"
)
NO_CONSENT = "researcher: no consent recorded; add a row for R03 to consent.csv once signed"
BAD_AUDIO = "audio/R02.wav: not a recording (no audio stream); record it again or replace the file"


def chain(rid: str, *known: tuple[str, str, str]) -> list[StageStatus]:
    """One respondent's rows: the given (stage, status, detail), then blocked for the later stages."""
    rows = [StageStatus(rid, stage, status, detail) for stage, status, detail in known]  # type: ignore[arg-type]
    last = rows[-1]
    for stage in STAGES[len(rows):]:
        rows.append(StageStatus(rid, stage, "blocked", f"{last.stage} is not done ({last.status})"))
    return rows


def team_rows() -> list[StageStatus]:
    """R01's review is not due yet, R02's recording failed, R03 waits for consent, R04's review is overdue."""
    done = [("recruitment", "done", "interviewed 2024-02-12, online"), ("consent", "done", "consented: recording, transcription, quotes")]
    return [
        *chain("R01", *done, ("transcription", "done", "32 segments"), ("review", "waiting", SENT)),
        *chain("R02", *done, ("transcription", "failed", BAD_AUDIO)),
        *chain("R03", done[0], ("consent", "waiting", NO_CONSENT)),
        *chain("R04", *done, ("transcription", "done", "28 segments"), ("review", "waiting", OVERDUE)),
    ]


@pytest.fixture
def team(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> Study:
    rows = team_rows()
    monkeypatch.setattr("flows.commands.status.study_status", lambda study, stage=None: [r for r in rows if stage in (None, r.stage)])
    monkeypatch.setattr("flows.commands.status.respondent_ids", lambda study: ["R01", "R02", "R03", "R04"])
    return small_study


def status(study: Study, *arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["status", "--study", str(study.root), *arguments])
    return result.exit_code, result.stdout, result.stderr




TABLE_HEAD = (
    "My interview study\n"
    "┏━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┓\n"
    "┃ respondent ┃ recruitment ┃ consent ┃ transcription ┃ review  ┃ open_coding ┃ axial_coding ┃ selective_coding ┃ aggregation ┃\n"
    "┡━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━┩\n"
)
LINE_R04 = f"  R04 review: waiting (overdue): {OVERDUE}\n"
LINE_R01 = f"  R01 review: waiting: {SENT}\n"
LINE_R02 = f"  R02 transcription: failed: {BAD_AUDIO}\n"
LINE_R03 = f"  R03 consent: waiting: {NO_CONSENT}\n"


def test_the_table_puts_overdue_reviews_first(team: Study) -> None:
    assert status(team) == (0, TABLE_HEAD + (
        "│ R04        │ done        │ done    │ done          │ waiting │ blocked     │ blocked      │ blocked          │ blocked     │\n"
        "│ R01        │ done        │ done    │ done          │ waiting │ blocked     │ blocked      │ blocked          │ blocked     │\n"
        "│ R02        │ done        │ done    │ failed        │ blocked │ blocked     │ blocked      │ blocked          │ blocked     │\n"
        "│ R03        │ done        │ waiting │ blocked       │ blocked │ blocked     │ blocked      │ blocked          │ blocked     │\n"
        "└────────────┴─────────────┴─────────┴───────────────┴─────────┴─────────────┴──────────────┴──────────────────┴─────────────┘\n"
        "9 done, 3 waiting, 19 blocked, 1 failed\n"
    ) + LINE_R04 + LINE_R01 + LINE_R02 + LINE_R03, "")


SUMMARY_HEAD = (
    "┏━━━━━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━┓\n"
    "┃ stage            ┃ done ┃ waiting ┃ overdue ┃ pending ┃ blocked ┃ excluded ┃ failed ┃\n"
    "┡━━━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━┩\n"
)
SUMMARY_FOOT = "└──────────────────┴──────┴─────────┴─────────┴─────────┴─────────┴──────────┴────────┘\n"


def test_summary_counts_each_stage_then_lists_who_needs_action_overdue_first(team: Study) -> None:
    assert status(team, "--summary") == (0, "My interview study: 4 respondents\n" + SUMMARY_HEAD + (
        "│ recruitment      │    4 │       0 │       0 │       0 │       0 │        0 │      0 │\n"
        "│ consent          │    3 │       1 │       0 │       0 │       0 │        0 │      0 │\n"
        "│ transcription    │    2 │       0 │       0 │       0 │       1 │        0 │      1 │\n"
        "│ review           │    0 │       2 │       1 │       0 │       2 │        0 │      0 │\n"
        "│ open_coding      │    0 │       0 │       0 │       0 │       4 │        0 │      0 │\n"
        "│ axial_coding     │    0 │       0 │       0 │       0 │       4 │        0 │      0 │\n"
        "│ selective_coding │    0 │       0 │       0 │       0 │       4 │        0 │      0 │\n"
        "│ aggregation      │    0 │       0 │       0 │       0 │       4 │        0 │      0 │\n"
    ) + SUMMARY_FOOT + (
        "Needs action: 4 of 4 (1 overdue review, 1 failed, 1 waiting on the researcher, 1 waiting on the respondent)\n"
    ) + LINE_R04 + LINE_R02 + LINE_R03 + LINE_R01, "")


def test_summary_as_csv_and_json(team: Study) -> None:
    assert status(team, "--summary", "--stage", "review", "--format", "csv") == (
        0, "stage,done,waiting,overdue,pending,blocked,excluded,failed\nreview,0,2,1,0,2,0,0\n", ""
    )
    code, out, _ = status(team, "--summary", "--stage", "consent", "--format", "json")
    assert (code, json.loads(out)) == (
        0, [{"stage": "consent", "done": 3, "waiting": 1, "overdue": 0, "pending": 0, "blocked": 0, "excluded": 0, "failed": 0}]
    )


def test_filter_by_who_must_act(team: Study) -> None:
    assert status(team, "--who", "respondent") == (0, (
        "My interview study\n"
        "┏━━━━━━━━━━━━┳━━━━━━━━━┓\n"
        "┃ respondent ┃ review  ┃\n"
        "┡━━━━━━━━━━━━╇━━━━━━━━━┩\n"
        "│ R04        │ waiting │\n"
        "│ R01        │ waiting │\n"
        "└────────────┴─────────┘\n"
        "2 waiting\n"
    ) + LINE_R04 + LINE_R01, "")
    code, out, _ = status(team, "--who", "researcher", "--format", "json")
    assert (code, json.loads(out)) == (0, [{"respondent_id": "R03", "stage": "consent", "status": "waiting", "detail": NO_CONSENT}])


def test_filter_by_status_leaves_blank_cells_where_a_stage_does_not_match(team: Study) -> None:
    assert status(team, "--status", "waiting", "--status", "failed") == (0, (
        "My interview study\n"
        "┏━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━━━┓\n"
        "┃ respondent ┃ consent ┃ transcription ┃ review  ┃\n"
        "┡━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━╇━━━━━━━━━┩\n"
        "│ R04        │         │               │ waiting │\n"
        "│ R01        │         │               │ waiting │\n"
        "│ R02        │         │ failed        │         │\n"
        "│ R03        │ waiting │               │         │\n"
        "└────────────┴─────────┴───────────────┴─────────┘\n"
        "3 waiting, 1 failed\n"
    ) + LINE_R04 + LINE_R01 + LINE_R02 + LINE_R03, "")
    assert status(team, "--status", "failed", "--format", "csv") == (
        0, f"respondent_id,stage,status,detail\nR02,transcription,failed,{BAD_AUDIO}\n", ""
    )


def test_filter_by_respondent_shows_every_stage_with_its_detail(team: Study) -> None:
    code, out, _ = status(team, "--respondent", "R02", "--respondent", "R03", "--stage", "consent", "--format", "csv")
    assert (code, out) == (
        0,
        "respondent_id,stage,status,detail\n"
        "R02,consent,done,\"consented: recording, transcription, quotes\"\n"
        f"R03,consent,waiting,{NO_CONSENT}\n",
    )
    code, out, _ = status(team, "--respondent", "R02")
    assert out.splitlines()[-8:] == [
        "  R02 recruitment: done: interviewed 2024-02-12, online",
        "  R02 consent: done: consented: recording, transcription, quotes",
        f"  R02 transcription: failed: {BAD_AUDIO}",
        "  R02 review: blocked: transcription is not done (failed)",
        "  R02 open_coding: blocked: transcription is not done (failed)",
        "  R02 axial_coding: blocked: transcription is not done (failed)",
        "  R02 selective_coding: blocked: transcription is not done (failed)",
        "  R02 aggregation: blocked: transcription is not done (failed)",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--status", "late"], "error: --status: unknown status 'late'; use one of done, waiting, pending, blocked, excluded, failed\n"),
        (["--who", "coder"], "error: --who: 'coder' is neither researcher nor respondent\n"),
        (["--respondent", "R09"], "error: --respondent: R09 is not in the recruitment log; check the id\n"),
        (["--respondent", "../R01"], "error: --respondent: '../R01' is not a respondent id; use letters, digits, '-' or '_' "
         "(start with a letter or digit, at most 32 characters)\n"),
        (["--format", "xlsx"], "error: --format xlsx: name the workbook to write, e.g. interview-study status --format xlsx status.xlsx\n"),
        (["status.xlsx"], "error: status.xlsx: only --format xlsx writes a file; add --format xlsx or leave the file out\n"),
    ],
)
def test_bad_status_arguments_give_one_line(team: Study, arguments: list[str], message: str) -> None:
    assert status(team, *arguments) == (1, "", message)


def test_filters_on_a_real_study(small_study: Study) -> None:
    for rid in ("R01", "R02", "R03"):
        execute_respondent(small_study, "recruitment", rid)
        execute_respondent(small_study, "consent", rid)
    assert status(small_study, "--who", "researcher", "--format", "csv") == (
        0,
        "respondent_id,stage,status,detail\n"
        "R03,consent,waiting,researcher: no consent recorded; add a row for R03 to consent.csv once signed\n",
        "",
    )
    code, out, _ = status(small_study, "--respondent", "R02", "--status", "excluded", "--format", "json")
    assert [(row["stage"], row["status"]) for row in json.loads(out)] == [
        ("consent", "excluded"), *((stage, "excluded") for stage in STAGES[2:])
    ]


def large_rows(n: int) -> list[StageStatus]:
    """`n` respondents all done but three: R010's review is overdue, R020's recording failed, R030 waits for consent."""
    rows: list[StageStatus] = []
    for i in range(1, n + 1):
        rid = f"R{i:03d}"
        detail = {10: OVERDUE.replace("R04", rid), 20: BAD_AUDIO.replace("R02", rid), 30: NO_CONSENT.replace("R03", rid)}
        stage, state = {10: ("review", "waiting"), 20: ("transcription", "failed"), 30: ("consent", "waiting")}.get(i, ("", "done"))
        known = [(name, "done", "") for name in STAGES[: STAGES.index(stage)]] if stage else [(name, "done", "") for name in STAGES]
        rows += chain(rid, *known, *([(stage, state, detail[i])] if stage else []))
    return rows


def test_a_large_study_shows_the_counts_and_who_needs_action_unless_all(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = large_rows(45)
    monkeypatch.setattr("flows.commands.status.study_status", lambda study, stage=None: rows)
    assert status(small_study) == (0, "My interview study: 45 respondents\n" + SUMMARY_HEAD + (
        "│ recruitment      │   45 │       0 │       0 │       0 │       0 │        0 │      0 │\n"
        "│ consent          │   44 │       1 │       0 │       0 │       0 │        0 │      0 │\n"
        "│ transcription    │   43 │       0 │       0 │       0 │       1 │        0 │      1 │\n"
        "│ review           │   42 │       1 │       1 │       0 │       2 │        0 │      0 │\n"
        "│ open_coding      │   42 │       0 │       0 │       0 │       3 │        0 │      0 │\n"
        "│ axial_coding     │   42 │       0 │       0 │       0 │       3 │        0 │      0 │\n"
        "│ selective_coding │   42 │       0 │       0 │       0 │       3 │        0 │      0 │\n"
        "│ aggregation      │   42 │       0 │       0 │       0 │       3 │        0 │      0 │\n"
    ) + SUMMARY_FOOT + (
        "Needs action: 3 of 45 (1 overdue review, 1 failed, 1 waiting on the researcher)\n"
        f"  R010 review: waiting (overdue): {OVERDUE.replace('R04', 'R010')}\n"
        f"  R020 transcription: failed: {BAD_AUDIO.replace('R02', 'R020')}\n"
        f"  R030 consent: waiting: {NO_CONSENT.replace('R03', 'R030')}\n"
        "Shown: the counts and who needs action; all 45 respondents, every stage: interview-study status --all\n"
    ), "")
    code, out, _ = status(small_study, "--all")
    assert out.count("\n│ R0") == 45 and out.splitlines()[4].startswith("│ R010 ")
    assert status(small_study, "--format", "csv")[1].count("\n") == 1 + 45 * len(STAGES)


def test_nobody_needs_action(small_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [StageStatus("R01", stage, "done", "") for stage in STAGES]
    monkeypatch.setattr("flows.commands.status.study_status", lambda study, stage=None: rows)
    assert status(small_study, "--summary")[1].endswith(SUMMARY_FOOT + "Needs action: nobody\n")


def test_needing_action_orders_overdue_by_the_day_the_review_was_sent() -> None:
    late = OVERDUE.replace("2024-03-01 (19 days ago, 5", "2024-02-20 (29 days ago, 15")
    rows = [
        StageStatus("A", "consent", "waiting", NO_CONSENT),
        StageStatus("B", "review", "waiting", OVERDUE),
        StageStatus("C", "review", "waiting", late),
        StageStatus("C", "aggregation", "failed", "boom"),
        StageStatus("D", "transcription", "failed", BAD_AUDIO),
    ]
    assert [(row.respondent_id, row.stage) for row in needing_action(rows)] == [
        ("C", "review"), ("B", "review"), ("D", "transcription"), ("A", "consent")
    ]
    assert overdue_since(rows[2]) == dt.date(2024, 2, 20)
    assert overdue_since(StageStatus("E", "review", "waiting", SENT)) is None
    assert Selection(statuses=["failed"], respondents=["C"]).of(rows) == [rows[3]]
    assert summary(rows[:2]) == [
        {"stage": "consent", "done": 0, "waiting": 1, "overdue": 0, "pending": 0, "blocked": 0, "excluded": 0, "failed": 0},
        {"stage": "review", "done": 0, "waiting": 1, "overdue": 1, "pending": 0, "blocked": 0, "excluded": 0, "failed": 0},
    ]


def test_xlsx_writes_the_rows_and_counts_for_the_team_spreadsheet(team: Study, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rows = team_rows()
    rows[10] = StageStatus("R02", "transcription", "failed", '=HYPERLINK("http://x.invalid","open")')
    monkeypatch.setattr("flows.commands.status.study_status", lambda study, stage=None: rows)
    target = tmp_path / "team.xlsx"
    assert status(team, "--format", "xlsx", str(target), "--status", "waiting", "--status", "failed") == (
        0, f"wrote {target}: 4 rows, 4 respondents\n", ""
    )
    book = load_workbook(target)
    sheet = book["status"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["respondent_id", "stage", "status", "waiting on", "overdue: review sent", "detail"],
        ["R01", "review", "waiting", "respondent", None, SENT],
        ["R02", "transcription", "failed", None, None, '=HYPERLINK("http://x.invalid","open")'],
        ["R03", "consent", "waiting", "researcher", None, NO_CONSENT],
        ["R04", "review", "waiting", "respondent", dt.datetime(2024, 3, 1), OVERDUE],
    ]
    assert sheet["F3"].data_type == "s"  # shown as typed, never run
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet["A1"].font.b) == ("A2", "A1:F5", True)
    assert sheet.column_dimensions["A"].width == 17 and sheet.column_dimensions["F"].width == 82
    assert [[cell.value for cell in row] for row in book["summary"].iter_rows()][:2] == [
        ["stage", "done", "waiting", "overdue", "pending", "blocked", "excluded", "failed"],
        ["consent", 0, 1, 0, 0, 0, 0, 0],
    ]


def test_xlsx_is_never_written_over_an_input_a_folder_or_an_existing_file(team: Study, tmp_path: Path) -> None:
    recruitment = team.root / "recruitment.csv"
    before = recruitment.read_bytes()
    assert status(team, "--format", "xlsx", str(recruitment), "--force") == (
        1, "", f"error: {recruitment}: is an input of the study; write the export elsewhere\n"
    )
    assert recruitment.read_bytes() == before
    assert status(team, "--format", "xlsx", str(tmp_path)) == (
        1, "", f"error: {tmp_path}: is a folder; name a file such as status.xlsx\n"
    )
    existing = tmp_path / "status.xlsx"
    existing.write_bytes(b"keep")
    assert status(team, "--format", "xlsx", str(existing)) == (1, "", f"error: {existing}: exists; pass --force to replace it\n")
    assert existing.read_bytes() == b"keep"
    assert status(team, "--format", "xlsx", str(existing), "--force")[0] == 0
    assert load_workbook(existing)["status"].max_row == 1 + 4 * len(STAGES)
