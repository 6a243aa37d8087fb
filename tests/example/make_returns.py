"""Remake the example study's returned review documents (review/returned/<id>.docx).

    .venv/bin/python tests/example/make_returns.py                     # in a temporary copy
    .venv/bin/python tests/example/make_returns.py --workdir /tmp/ex    # keep (and reuse) the copy

For every respondent whose decision in reviews.csv is `approved_with_changes`, the pipeline runs in
a copy of the study (their decision left out, so that the review stage sends the review document)
until the review stage; then each of their review documents (`out/04_review/outbox/<id>.docx`) is
edited the way Word records a respondent's work: every passage Whisper misheard is corrected to
the text of the dialogue script (`dialogues/<id>.yaml`) as tracked changes (the misheard words in
`w:del`, the right ones in `w:ins`, word by word), and one or two comments are added. Changes and
comments carry the respondent's (fictitious) name as author, as Word would: a name that must never
reach out/. Finally each document is read back as the review stage reads it, and its text is
checked against the script.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tasks.core.study import Study
from tasks.core.transcripts import load_transcript
from tasks.core.wordml import read_segment_table
from tasks.review.export import long_date
from tests.example.interviews import Dialogue, load
from tests.example.study_copy import ROOT, copy_inputs, interview_study, save_reproducibly, without_rows
from tests.tasks.review_fixtures import DATE, WordEdit, run, w

RETURNED = ROOT / "review" / "returned"
TOKENS = re.compile(r"\s+|[^\s]+")
# The respondents' own remarks: (utterance number, or None for the cover text; comment).
COMMENTS: dict[str, list[tuple[int | None, str]]] = {
    "R01": [
        (4, "Met 'omdenken' bedoel ik: de gegevens blijven waar ze zijn, we vragen alleen de uitkomst op.")
    ],
    "R02": [
        (
            2,
            "'Eén gezin, één plan, één regisseur' is een bekende leus in het sociaal domein, geen citaat van mij.",
        )
    ],
    "R03": [
        (4, "Het datateam bestaat pas sinds vorig jaar."),
        (
            6,
            "Met 'pijler' bedoel ik Wmo, Jeugd en Participatie; elke pijler telt een cliënt op zijn eigen manier.",
        ),
    ],
    "R06": [
        (4, "Granulariteit is het juiste woord: we zien aantallen per wijk, niet per huishouden."),
        (8, "AVG: de Algemene verordening gegevensbescherming."),
    ],
    "R10": [(4, "Wmo en Jeugd zijn de namen van de pijlers; graag zo schrijven.")],
    "R12": [
        (None, "Ik wil graag dat citaten van mij geanonimiseerd worden."),
        (8, "Met registraties bedoel ik de cliëntregistraties van de uitvoering."),
    ],
}


class RespondentEdit(WordEdit):
    """WordEdit with word-level tracked corrections and the respondent's own dates."""

    def __init__(self, source: Path, author: str, date: str) -> None:
        super().__init__(source, author)
        self.date = date

    def correct(self, segment_id: str, new: str) -> bool:
        """Make the text cell read `new` with tracked changes; False when it already did."""
        paragraph = self.paragraph(segment_id)
        old = "".join(t.text or "" for t in paragraph.iter(w("t")))
        if old == new:
            return False
        a, b = TOKENS.findall(old), TOKENS.findall(new)
        self._clear(paragraph)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                paragraph.append(run("".join(b[j1:j2])))
                continue
            if i2 > i1:
                paragraph.append(self._change("del", run("".join(a[i1:i2]), deleted=True)))
            if j2 > j1:
                paragraph.append(self._change("ins", run("".join(b[j1:j2]))))
        return True

    def redate(self, old: str, new: str) -> int:
        """Replace a date written in the cover text (the pipeline wrote today's due date)."""
        found = 0
        for t in self.document.iter(w("t")):
            if t.text and old in t.text:
                t.text, found = t.text.replace(old, new), found + 1
        return found

    def _change(self, kind: str, *children: Any) -> Any:
        element = super()._change(kind, *children)
        element.set(w("date"), self.date)
        return element

    def _comments_xml(self) -> bytes:
        return super()._comments_xml().replace(DATE.encode(), self.date.encode())


def revised(root: Path = ROOT) -> dict[str, str]:
    """Respondents approved with changes in reviews.csv, with their decision dates."""
    with (root / "reviews.csv").open(encoding="utf-8") as handle:
        return {
            r["respondent_id"]: r["decided_on"]
            for r in csv.DictReader(handle)
            if r["decision"] == "approved_with_changes"
        }


def names(root: Path = ROOT) -> dict[str, str]:
    with (root / "recruitment.csv").open(encoding="utf-8") as handle:
        return {row["respondent_id"]: row["name"] for row in csv.DictReader(handle)}


def interview_dates(root: Path = ROOT) -> dict[str, dt.date]:
    with (root / "recruitment.csv").open(encoding="utf-8") as handle:
        return {
            r["respondent_id"]: dt.date.fromisoformat(r["interview_date"])
            for r in csv.DictReader(handle)
            if r["interview_date"]
        }


def review_documents(workdir: Path, respondents: list[str]) -> Path:
    """Run the pipeline in a copy of the study until the review documents of `respondents` are sent."""
    study = copy_inputs(workdir, folders=("config", "audio"))
    without_rows(study / "reviews.csv", respondents)
    selected = [arg for rid in respondents for arg in ("--respondent", rid)]
    print(interview_study(study, "run", "--until", "review", *selected).stdout, end="")
    return study


def returned_document(study: Path, dialogue: Dialogue, author: str, decided_on: str, target: Path) -> int:
    """Write the corrected, commented document; the number of corrected segments."""
    rid = dialogue.respondent_id
    # the respondent worked on it the day before the decision was recorded
    day = dt.date.fromisoformat(decided_on) - dt.timedelta(days=1)
    edit = RespondentEdit(
        study / "out" / "04_review" / "outbox" / f"{rid}.docx", author, f"{day.isoformat()}T10:00:00Z"
    )
    # as if it had been sent two days after the interview, not today
    sent = json.loads((study / "out" / "04_review" / "sent" / f"{rid}.json").read_text(encoding="utf-8"))
    due = interview_dates()[rid] + dt.timedelta(days=2 + Study.at(study).config.review.respond_within_days)
    if not edit.redate(long_date(dt.date.fromisoformat(sent["due_on"]), "nl"), long_date(due, "nl")):
        raise RuntimeError(f"{rid}: the due date of the review document is not in its cover text")
    corrected = sum(edit.correct(f"{rid}-{n:04d}", u.text) for n, u in enumerate(dialogue.utterances, 1))
    for number, text in COMMENTS[rid]:
        if number is None:
            edit.comment_on_cover(text)
        else:
            edit.comment(f"{rid}-{number:04d}", text)
    save_reproducibly(edit, target)
    return corrected


def check(study: Path, dialogue: Dialogue, target: Path) -> list[str]:
    """Problems with a returned document, read as the review stage reads it."""
    rid = dialogue.respondent_id
    table = read_segment_table(target, target.name)
    draft = load_transcript(study / "out" / "03_transcription" / f"{rid}.json", rid)
    texts = {row.segment_id: row.text for row in table.rows}
    problems = []
    if list(texts) != [s.segment_id for s in draft.segments]:
        problems.append(f"{target.name}: segment ids {list(texts)} are not the draft's")
    for n, utterance in enumerate(dialogue.utterances, 1):
        if texts.get(f"{rid}-{n:04d}") != utterance.text:
            problems.append(f"{target.name}: segment {n} does not read as the script")
    if table.comment_count != len(COMMENTS[rid]):
        problems.append(f"{target.name}: {table.comment_count} comments, {len(COMMENTS[rid])} written")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir", type=Path, help="copy of the study to run in (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    decisions = revised()
    with tempfile.TemporaryDirectory() as scratch:
        study = review_documents(args.workdir or Path(scratch), sorted(decisions))
        RETURNED.mkdir(parents=True, exist_ok=True)
        problems = []
        for rid, decided_on in sorted(decisions.items()):
            dialogue = load(ROOT / "tests" / "example" / "dialogues" / f"{rid}.yaml")
            target = RETURNED / f"{rid}.docx"
            corrected = returned_document(study, dialogue, names()[rid], decided_on, target)
            print(
                f"{target.relative_to(ROOT)}: {corrected} of {len(dialogue.utterances)} segments corrected, "
                f"{len(COMMENTS[rid])} comment(s)"
            )
            problems += check(study, dialogue, target)
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
