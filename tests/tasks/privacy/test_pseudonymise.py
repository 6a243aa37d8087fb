"""The study's own lists (recruitment.csv personal columns) in quote text: replaced consistently per
respondent, the respondent's own values numbered first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.core.study import Study
from tasks.privacy.pseudonymise import strip_personal
from tests.tasks.coding_fixtures import write_study


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return write_study(tmp_path / "study")


@pytest.mark.parametrize(
    ("rid", "text", "expected"),
    [
        ("R01", "Jan de Vries at Gemeente Utrecht", "[PERSOON-1] at [ORGANISATIE-1]"),
        ("R01", "vries said UTRECHT; and Jan  de\nVries again.", "[PERSOON-1] said [ORGANISATIE-1]; and [PERSOON-1] again."),
        ("R01", "Mail jan@example.org or Petra in Zwolle.", "Mail [E-MAIL-1] or [PERSOON-2] in [ORGANISATIE-2]."),
        ("R02", "Mail jan@example.org or Petra in Zwolle.", "Mail [E-MAIL-2] or [PERSOON-1] in [ORGANISATIE-1]."),
        ("R01", "Janssen and Utrechtse words stay; so do dates 2024-01-10.", "Janssen and Utrechtse words stay; so do dates 2024-01-10."),
        ("R03", "", ""),
    ],
)
def test_listed_values_become_placeholders(study: Study, rid: str, text: str, expected: str) -> None:
    assert strip_personal(study, rid, text) == expected


def test_without_personal_columns_nothing_changes(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    lines = (study.root / "recruitment.csv").read_text(encoding="utf-8").splitlines()
    kept = [",".join(line.split(",")[:8]) for line in lines]
    (study.root / "recruitment.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert strip_personal(Study.at(study.root), "R01", "Jan de Vries") == "Jan de Vries"
