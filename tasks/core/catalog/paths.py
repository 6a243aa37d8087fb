"""Every path of a study, spelled once: the researcher's inputs and each stage's outputs.

Stages ask the catalog for a path; nothing else joins folder and file names. The names the tool
writes are named in `tasks.core.layout`, which also keeps respondent ids from taking them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tasks.core.archives import check_regular_file
from tasks.core.catalog.listing import LISTINGS, stem_key
from tasks.core.errors import InputError
from tasks.core.ids import check_respondent_id
from tasks.core.layout import AUDIO_SUFFIXES, INTERVIEWER_VOICE, KEY_FILE, LOG_DIR, STAGE_DIRS, STATE_DIR, TRACKS


@dataclass(frozen=True)
class Catalog:
    """The paths of one study folder; `output_dir` comes from the validated config."""

    root: Path
    output_dir: str = "out"

    # inputs -------------------------------------------------------------------------------
    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    def config_file(self, name: str) -> Path:
        return self.config_dir / name

    @property
    def recruitment_file(self) -> Path:
        xlsx = self.root / "recruitment.xlsx"
        csv = self.root / "recruitment.csv"
        return xlsx if xlsx.is_file() and not csv.is_file() else csv

    @property
    def consent_file(self) -> Path:
        return self.root / "consent.csv"

    @property
    def reviews_file(self) -> Path:
        return self.root / "reviews.csv"

    @property
    def key_file(self) -> Path:
        """The pseudonymisation key: in the study folder, beside recruitment.csv, never in outputs."""
        return self.root / KEY_FILE

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    def audio(self, respondent_id: str) -> Path | None:
        """The respondent's recording (`audio/R02.ogg`, `audio/R02.OGG`, ...), or None; ambiguity
        (two recordings) is an error."""
        rid = check_respondent_id(respondent_id)
        names = [f"{rid}{suffix}" for suffix in AUDIO_SUFFIXES]
        present = files_named(self.audio_dir, *names)
        if len(present) > 1:
            shown = ", ".join(f"audio/{p.name}" for p in present)
            raise InputError(f"{shown}: more than one recording for {rid}; keep one")
        for path in present:
            check_regular_file(path, f"audio/{path.name}", "the recording")
        return present[0] if present else None

    def recording(self, respondent_id: str) -> Path | None:
        """The recording to transcribe: `audio/<id>.<ext>`, or the folder `audio/<id>/` holding one
        track per participant (`interviewer.<ext>`, `respondent.<ext>`); None when neither is there."""
        rid = check_respondent_id(respondent_id)
        single = self.audio(rid)
        folder = self.audio_dir / rid
        if not folder.is_dir():
            return single
        if single is not None:
            raise InputError(f"audio/{single.name}, audio/{rid}/: two recordings for {rid}; keep one")
        missing = [track for track in TRACKS if not self._tracks(folder, track)]
        if missing:
            raise InputError(
                f"audio/{rid}/: no {' and no '.join(missing)} track; save one track per participant as "
                f"audio/{rid}/interviewer.wav and audio/{rid}/respondent.wav (or {'/'.join(AUDIO_SUFFIXES[1:])})"
            )
        return folder

    def tracks(self, folder: Path) -> dict[str, Path]:
        """A per-participant recording folder's tracks: participant -> file (found in any case)."""
        found = {}
        for track in TRACKS:
            present = self._tracks(folder, track)
            if len(present) > 1:
                shown = ", ".join(f"audio/{folder.name}/{p.name}" for p in present)
                raise InputError(f"{shown}: more than one {track} track; keep one")
            check_regular_file(present[0], f"audio/{folder.name}/{present[0].name}", "the track")
            found[track] = present[0]
        return found

    @staticmethod
    def _tracks(folder: Path, track: str) -> list[Path]:
        return files_named(folder, *(f"{track}{suffix}" for suffix in AUDIO_SUFFIXES))

    def interviewer_voice(self) -> Path | None:
        """`audio/interviewer_voice.<ext>`: a clip of the interviewer's voice, used for every respondent."""
        present = files_named(self.audio_dir, *(f"{INTERVIEWER_VOICE}{suffix}" for suffix in AUDIO_SUFFIXES))
        if len(present) > 1:
            raise InputError(f"{', '.join(f'audio/{p.name}' for p in present)}: more than one interviewer voice clip; keep one")
        for path in present:
            check_regular_file(path, f"audio/{path.name}", "the voice clip")
        return present[0] if present else None

    @property
    def returned_dir(self) -> Path:
        return self.root / "review" / "returned"

    def returned_review(self, respondent_id: str) -> Path:
        """review/returned/<id>.docx, found in any case (R02.DOCX); the path to save it when absent."""
        return self._one(self.returned_dir, "review/returned", f"{check_respondent_id(respondent_id)}.docx")

    @property
    def codings_dir(self) -> Path:
        return self.root / "codings"

    def codings(self, respondent_id: str, suffix: str) -> Path:
        """codings/<id><suffix>, found in any case (R02.CSV); the path to write it when absent."""
        return self._one(self.codings_dir, "codings", f"{check_respondent_id(respondent_id)}{suffix}")

    def codings_of(self, respondent_id: str) -> list[Path]:
        """Every file in codings/ named `<id>.<anything>` in any case (R02.csv, r02.DOCX, R02.csv.bak),
        sorted by name: the open coding stage reads or refuses each, none is passed over."""
        rid = check_respondent_id(respondent_id)
        return [self.codings_dir / name for name in LISTINGS.by_stem(self.codings_dir, rid) if "." in name]

    @staticmethod
    def _one(folder: Path, shown: str, name: str) -> Path:
        present = files_named(folder, name)
        if len(present) > 1:
            names = ", ".join(f"{shown}/{path.name}" for path in present)
            raise InputError(f"{names}: the same file name in two cases; keep one")
        for path in present:
            check_regular_file(path, f"{shown}/{path.name}", "the document")
        return present[0] if present else folder / name

    @property
    def prefect_home(self) -> Path:
        return self.root / ".prefect"

    @property
    def server_file(self) -> Path:
        """Where the study's background Prefect server (`interview-study server start`) is recorded."""
        return self.prefect_home / "server.json"

    @property
    def server_log(self) -> Path:
        return self.prefect_home / "server.log"

    @property
    def runner_socket(self) -> Path:
        """The socket of the study's warm runner (started with its background server): in a
        folder of the user's own, because a socket's path may not exceed ~100 characters."""
        import hashlib
        import os
        import tempfile

        base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
        key = hashlib.sha256(str(self.root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:20]
        user = os.getuid() if hasattr(os, "getuid") else 0
        return base / f"interview-study-{user}" / f"{key}.sock"

    # bookkeeping ----------------------------------------------------------------------------
    @property
    def out(self) -> Path:
        return self.root / self.output_dir

    def stage_dir(self, stage: str) -> Path:
        return self.out / STAGE_DIRS[stage]

    @property
    def state_dir(self) -> Path:
        """Manifests: one small JSON per stage and respondent (or `_study` for study stages)."""
        return self.out / STATE_DIR

    def manifest(self, stage: str, key: str) -> Path:
        return self.state_dir / stage / f"{key}.json"

    def kept(self, stage: str, key: str) -> Path:
        """Where a stage's previous outputs are kept (hard links) while it runs again."""
        return self.state_dir / "kept" / stage / key

    @property
    def hashes_file(self) -> Path:
        return self.state_dir / "hashes.json"

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "run.lock"

    @property
    def log_file(self) -> Path:
        return self.out / LOG_DIR / "pipeline.log"

    # recruitment and consent ----------------------------------------------------------------
    def recruitment_output(self, name: str) -> Path:
        """recruitment_log.csv, sampling_report.csv, channels.csv, sampling_report.md."""
        return self.stage_dir("recruitment") / name

    @property
    def consent_table(self) -> Path:
        return self.stage_dir("consent") / "consent.csv"

    # transcription and review ----------------------------------------------------------------
    def draft(self, rid: str, suffix: str = ".json") -> Path:
        """The transcription stage's draft transcript (.json) and its renderings (.txt, .vtt, .docx)."""
        return self.stage_dir("transcription") / f"{rid}{suffix}"

    def outbox(self, rid: str) -> Path:
        return self.stage_dir("review") / "outbox" / f"{rid}.docx"

    def sent(self, rid: str) -> Path:
        return self.stage_dir("review") / "sent" / f"{rid}.json"

    @property
    def approved_dir(self) -> Path:
        return self.stage_dir("review") / "approved"

    def approved(self, rid: str) -> Path:
        """The approved transcript: the one coding, results and exports read."""
        return self.approved_dir / f"{rid}.json"

    def changes(self, rid: str) -> Path:
        return self.stage_dir("review") / f"{rid}.changes.csv"

    def notes(self, rid: str) -> Path:
        return self.stage_dir("review") / f"{rid}.notes.csv"

    # open coding -------------------------------------------------------------------------------
    def coded(self, rid: str) -> Path:
        """The respondent's normalised codings, which every whole-study stage reads."""
        return self.stage_dir("open_coding") / f"{rid}.csv"

    def to_code(self, rid: str) -> Path:
        return self.stage_dir("open_coding") / "to_code" / f"{rid}.docx"

    def suggestions(self, rid: str) -> Path:
        return self.stage_dir("open_coding") / "suggestions" / f"{rid}.csv"

    def respondent_files(self, rid: str) -> tuple[Path, ...]:
        """Every file the stages may write for one respondent, whether or not it exists now."""
        return (
            *(self.draft(rid, suffix) for suffix in (".json", ".txt", ".vtt", ".docx")),
            self.outbox(rid),
            self.sent(rid),
            self.approved(rid),
            self.changes(rid),
            self.notes(rid),
            self.coded(rid),
            self.to_code(rid),
            self.suggestions(rid),
        )

    # whole-study stages ------------------------------------------------------------------------
    def axial(self, name: str) -> Path:
        """codes.csv, categories.csv, cooccurrence_*.csv, category_links.csv, relations.csv, heatmap.png."""
        return self.stage_dir("axial_coding") / name

    @property
    def heatmap(self) -> Path:
        return self.axial("heatmap.png")

    def selective(self, name: str) -> Path:
        """categories.csv, storyline.md, core.json."""
        return self.stage_dir("selective_coding") / name

    @property
    def core(self) -> Path:
        return self.selective("core.json")

    def result(self, name: str) -> Path:
        """Files of out/results: the tables, results.xlsx, report.docx, methods.docx, agreement."""
        return self.stage_dir("aggregation") / name

    @property
    def pseudonymisation_review(self) -> Path:
        """Every name replaced in the published quotes, for the researcher to confirm or extend in the key."""
        return self.result("pseudonymisation_review.csv")

    @property
    def pseudonymisation_cache(self) -> Path:
        """Detected spans by text hash (offsets and tags, no names), so texts are not scanned twice."""
        return self.state_dir / "pseudonymisation" / "detections.json"

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def files_named(folder: Path, *names: str) -> list[Path]:
    """The files in `folder` named one of `names` in any case, in the order of `names`.

    macOS and Windows file systems ignore case, so `audio/R02.OGG` is the recording of R02 there;
    matching the same way here makes a study behave alike on every machine (and finds both
    `R02.ogg` and `R02.OGG` where a Linux folder holds two)."""
    order = {name.casefold(): index for index, name in enumerate(names)}
    stems = dict.fromkeys(stem_key(name) for name in names)
    found = [
        (order[name.casefold()], name)
        for stem in stems
        for name in LISTINGS.by_stem(folder, stem)
        if name.casefold() in order
    ]
    return [folder / name for _, name in sorted(found)]
