"""Remake the example study's codings (codings/<id>.csv and codings/<id>.docx) from the coding plan.

    .venv/bin/python tests/example/make_codings.py                     # in a temporary copy
    .venv/bin/python tests/example/make_codings.py --workdir /tmp/ex    # keep (and reuse) the copy

The researcher ("onderzoeker") codes every planned segment of `coding_plan.csv` (utterance n is
segment <id>-000n): R01-R07 in a coding table (`codings/<id>.csv`), R08-R13 with Word comments on
the coding copy the pipeline writes (`out/05_open_coding/to_code/<id>.docx`, made in a copy of the
study, then saved as `codings/<id>.docx`), one comment per coded segment naming its codes, some by
name (as in config/codebook.yaml) and some by id. A second coder ("tweede codeur") codes R03 (in
its table) and R10 (with comments in the same Word file) independently, so that the intercoder
agreement has something to measure. Their differences never give a respondent a code the
researcher did not give them elsewhere, so the respondents per code stay the thesis's counts.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tasks.core.study import Study
from tests.example.interviews import PLAN, TARGETS, respondents_per_code
from tests.example.study_copy import ROOT, copy_inputs, interview_study, save_reproducibly
from tests.tasks.review_fixtures import WordEdit, w

CODINGS = ROOT / "codings"
CODER = "onderzoeker"
SECOND = "tweede codeur"
TABLES = [f"R{n:02d}" for n in range(1, 8)]
COMMENTED = [f"R{n:02d}" for n in range(8, 14)]
NOTES = {  # (respondent, utterance, code): the researcher's memo in the coding table
    ("R06", 4, "granularity"): "enige respondent die de granulariteit noemt",
    ("R02", 8, "autonomous_developments"): "vergrijzing als voorbeeld",
}
# The second coder's codes per utterance, where they differ from the plan; other utterances as planned.
SECOND_CODER: dict[str, dict[int, tuple[str, ...]]] = {
    "R03": {
        6: ("data_gives_insight", "own_language_per_domain", "technical_competences"),
        8: ("technical_competences", "data_shows_trends"),
    },
    "R10": {4: ("working_across_silos", "communicating_vessels", "data_gives_insight")},
}

Plan = dict[str, dict[int, list[str]]]


class CoderEdit(WordEdit):
    """WordEdit whose comments may come from different coders (each comment its own author)."""

    def __init__(self, source: Path) -> None:
        super().__init__(source, CODER)
        self.authors: dict[str, str] = {}

    def code(self, segment_id: str, text: str, author: str = CODER) -> None:
        """A comment by `author` on the segment's text."""
        self.authors[str(len(self.comments))] = author
        self.comment(segment_id, text)

    def _comments_xml(self) -> bytes:
        root = etree.fromstring(super()._comments_xml())
        for comment in root.iter(w("comment")):
            author = self.authors[comment.get(w("id"))]
            comment.set(w("author"), author)
            comment.set(w("initials"), "".join(part[0] for part in author.split()).upper())
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def load_plan() -> Plan:
    plan: Plan = {}
    with PLAN.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            plan.setdefault(row["respondent_id"], {}).setdefault(int(row["utterance"]), []).append(
                row["code"]
            )
    return plan


def second_coding(plan: Plan, rid: str) -> dict[int, list[str]]:
    """What the second coder gave each utterance of `rid`."""
    return {n: list(SECOND_CODER[rid].get(n, codes)) for n, codes in plan[rid].items()}


def coding_table(plan: Plan, rid: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["segment_id", "code", "coder", "note"])
    coders = [(CODER, plan[rid])] + ([(SECOND, second_coding(plan, rid))] if rid in SECOND_CODER else [])
    for coder, coded in coders:
        for n, codes in sorted(coded.items()):
            for code in codes:
                note = NOTES.get((rid, n, code), "") if coder == CODER else ""
                writer.writerow([f"{rid}-{n:04d}", code, coder, note])
    return buffer.getvalue()


def comment_text(codes: list[str], names: dict[str, str]) -> str:
    """The codes as a researcher writes them: by name and by id in turn (a name holding a comma,
    the separator between codes, by id)."""
    shown = [names[c] if i % 2 == 0 and "," not in names[c] else c for i, c in enumerate(codes)]
    return ", ".join(shown)


def coded_copy(copy: Path, plan: Plan, rid: str, names: dict[str, str], target: Path) -> int:
    """Comment the coding copy; the number of comments."""
    edit = CoderEdit(copy)
    for coder, coded in [(CODER, plan[rid])] + (
        [(SECOND, second_coding(plan, rid))] if rid in SECOND_CODER else []
    ):
        for n, codes in sorted(coded.items()):
            edit.code(f"{rid}-{n:04d}", comment_text(codes, names), coder)
    save_reproducibly(edit, target)
    return len(edit.comments)


def coding_copies(workdir: Path) -> Path:
    """Run the pipeline in a copy of the study (returned reviews included, no codings) until the
    coding copies of the commented respondents exist."""
    study = copy_inputs(workdir, folders=("config", "audio", "review"))
    selected = [arg for rid in COMMENTED for arg in ("--respondent", rid)]
    print(interview_study(study, "run", "--until", "open_coding", *selected).stdout, end="")
    return study


def planned_counts(plan: Plan) -> list[str]:
    """Differences between the respondents per code of every coder together and the thesis."""
    rows = [(rid, n, code) for rid, coded in plan.items() for n, codes in coded.items() for code in codes]
    rows += [
        (rid, n, code)
        for rid in SECOND_CODER
        for n, codes in second_coding(plan, rid).items()
        for code in codes
    ]
    counts = respondents_per_code(rows)
    return [
        f"{code}: {counts[code]} respondents, thesis {want}"
        for code, want in TARGETS.items()
        if counts[code] != want
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir", type=Path, help="copy of the study to run in (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    plan = load_plan()
    problems = planned_counts(plan)
    names = {code.id: code.name for _, code in Study.at(ROOT).codebook.codes()}
    CODINGS.mkdir(exist_ok=True)
    for rid in TABLES:
        (CODINGS / f"{rid}.csv").write_text(coding_table(plan, rid), encoding="utf-8")
        print(f"codings/{rid}.csv")
    with tempfile.TemporaryDirectory() as scratch:
        study = coding_copies(args.workdir or Path(scratch))
        for rid in COMMENTED:
            copy = study / "out" / "05_open_coding" / "to_code" / f"{rid}.docx"
            count = coded_copy(copy, plan, rid, names, CODINGS / f"{rid}.docx")
            print(f"codings/{rid}.docx: {count} comments")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
