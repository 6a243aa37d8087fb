"""A withdrawal recorded by hand in consent.csv, then `run`, removes what `interview-study withdraw`
removes: checked as the commands, with the other respondents' hashes and nothing of the respondent
left in out/ or Prefect's database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reliability.contained import DONE, assert_contained, digests, personal_data


def withdrawn_by_hand(root: Path, rid: str, day: str) -> None:
    path = root / "consent.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line + day if line.startswith(f"{rid},") and line.endswith(",") else line for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_withdrawal_by_hand_removes_what_the_command_removes(reference: Path, copied: Path, tmp_path: Path) -> None:
    withdrawn_by_hand(copied, "R02", "2022-03-05")
    assert_contained(copied, "run", code=DONE, others=("R01", "R03"), markers=[*personal_data(copied), "R02-0"])
    by_hand = digests(copied / "out", ["R02"])

    commanded = tmp_path / "commanded"
    shutil.copytree(reference, commanded)
    assert_contained(commanded, "withdraw", "R02", "--date", "2022-03-05", code=DONE, others=("R01", "R03"),
                     markers=personal_data(commanded))
    assert (commanded / "consent.csv").read_text(encoding="utf-8") == (copied / "consent.csv").read_text(encoding="utf-8")
    assert sorted(by_hand) == sorted(digests(commanded / "out", ["R02"]))
