"""Remake the example study's returned review documents (review/returned/<id>.docx).

    .venv/bin/python tests/example/make_returns.py                     # in a temporary copy
    .venv/bin/python tests/example/make_returns.py --workdir /tmp/ex    # keep (and reuse) the copy

Whisper base hears espeak-ng's synthetic voices only roughly, so every respondent of the example
finds misheard passages in their transcript, corrects them and approves it with changes (all 13
rows of reviews.csv say `approved_with_changes`): that is what makes the report's quotes the
respondents' own sentences. For every respondent whose decision in reviews.csv is
`approved_with_changes`, the pipeline runs in a copy of the study (their decision left out, so that
the review stage sends the review document) until the review stage; then each of their review
documents (`out/04_review/outbox/<id>.docx`) is edited the way Word records a respondent's work:
every passage Whisper misheard is corrected to the text of the dialogue script
(`dialogues/<id>.yaml`) as tracked changes (the misheard words in `w:del`, the right ones in
`w:ins`, word by word), a speaker cell that names the wrong speaker is corrected the same way, and
the respondent's remarks in COMMENTS (none, one or two) are added as comments. Changes and comments
carry the respondent's (fictitious) name as author, as Word would: a name that must never reach
out/. Finally each document is read back as the review stage reads it, and its text and speakers
are checked against the script. Remake the recordings first (make_recordings.py), the codings after
(make_codings.py, with the same --workdir to reuse the transcripts).
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
from tasks.review.importer import speaker_written
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
    "R05": [(4, "Een beschikking is het besluit over de hulp; de uitvoering telt beschikkingen, niet cliënten.")],
    "R08": [(4, "Vroegsignalering: een melding van energie- of huurachterstand komt direct bij ons binnen.")],
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

    def correct(self, segment_id: str, new: str, column: int = 3) -> bool:
        """Make the cell (the text, or column 2: the speaker) read `new` with tracked changes; False
        when it already did."""
        paragraph = self.paragraph(segment_id, column)
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
    speakers = sum(correct_speaker(edit, f"{rid}-{n:04d}", u.speaker) for n, u in enumerate(dialogue.utterances, 1))
    if speakers:
        print(f"{rid}: {speakers} speaker(s) corrected")
    for number, text in COMMENTS.get(rid, []):
        if number is None:
            edit.comment_on_cover(text)
        else:
            edit.comment(f"{rid}-{number:04d}", text)
    save_reproducibly(edit, target)
    return corrected


def correct_speaker(edit: RespondentEdit, segment_id: str, speaker: str) -> bool:
    """Write the right speaker where the document names the wrong one (or none); a right one
    marked "(?)" is left as it is, as a respondent would."""
    cell = "".join(t.text or "" for t in edit.paragraph(segment_id, 2).iter(w("t")))
    if speaker_written(cell) == speaker:
        return False
    return edit.correct(segment_id, speaker, column=2)


def check(study: Path, dialogue: Dialogue, target: Path) -> list[str]:
    """Problems with a returned document, read as the review stage reads it."""
    rid = dialogue.respondent_id
    table = read_segment_table(target, target.name)
    draft = load_transcript(study / "out" / "03_transcription" / f"{rid}.json", rid)
    texts = {row.segment_id: row.text for row in table.rows}
    problems = []
    if list(texts) != [s.segment_id for s in draft.segments]:
        problems.append(f"{target.name}: segment ids {list(texts)} are not the draft's")
    speakers = {row.segment_id: speaker_written(row.cells[2]) for row in table.rows}
    for n, utterance in enumerate(dialogue.utterances, 1):
        if texts.get(f"{rid}-{n:04d}") != utterance.text:
            problems.append(f"{target.name}: segment {n} does not read as the script")
        if speakers.get(f"{rid}-{n:04d}") != utterance.speaker:
            problems.append(f"{target.name}: segment {n} does not name the script's speaker")
    if table.comment_count != len(COMMENTS.get(rid, [])):
        problems.append(f"{target.name}: {table.comment_count} comments, {len(COMMENTS.get(rid, []))} written")
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
                f"{len(COMMENTS.get(rid, []))} comment(s)"
            )
            problems += check(study, dialogue, target)
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
