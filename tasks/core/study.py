"""The study folder: where inputs and outputs live, and its configuration, loaded on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tasks.core.config import Codebook, InterviewGuide, StudyConfig, load_model
from tasks.core.errors import InputError
from tasks.core.ids import check_respondent_id

STAGES = (
    "recruitment",
    "consent",
    "transcription",
    "review",
    "open_coding",
    "axial_coding",
    "selective_coding",
    "aggregation",
)
RESPONDENT_STAGES = STAGES[:5]
STUDY_STAGES = STAGES[5:]
STAGE_DIRS = {
    "recruitment": "01_recruitment",
    "consent": "02_consent",
    "transcription": "03_transcription",
    "review": "04_review",
    "open_coding": "05_open_coding",
    "axial_coding": "06_axial",
    "selective_coding": "07_selective",
    "aggregation": "results",
}
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus")


@dataclass
class Study:
    """A study folder. Configuration is read when first used, never at import time."""

    root: Path
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @classmethod
    def at(cls, root: Path | str) -> Study:
        path = Path(root).resolve()
        if not (path / "config").is_dir():
            raise InputError(
                f"{path}: no config/ folder here; pass --study DIR or create one with 'interview-study init DIR'"
            )
        return cls(path)

    @cached_property
    def config(self) -> StudyConfig:
        return load_model(self.root / "config" / "study.yaml", StudyConfig, "config/study.yaml")

    @cached_property
    def codebook(self) -> Codebook:
        return load_model(self.root / "config" / "codebook.yaml", Codebook, "config/codebook.yaml")

    @cached_property
    def guide(self) -> InterviewGuide:
        return load_model(
            self.root / "config" / "interview_guide.yaml", InterviewGuide, "config/interview_guide.yaml"
        )

    def validate(self) -> Study:
        """Load all three config files now, so that a config error stops a run before it starts."""
        self.config, self.codebook, self.guide  # noqa: B018
        return self

    @property
    def language(self) -> str:
        return self.config.transcription.language or self.config.study.language

    # inputs -------------------------------------------------------------------------------
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

    def audio(self, respondent_id: str) -> Path | None:
        """The respondent's recording, or None; ambiguity (two recordings) is an error."""
        rid = check_respondent_id(respondent_id)
        found = [self.root / "audio" / f"{rid}{s}" for s in AUDIO_SUFFIXES]
        present = [path for path in found if path.is_file()]
        if len(present) > 1:
            names = ", ".join(f"audio/{p.name}" for p in present)
            raise InputError(f"{names}: more than one recording for {rid}; keep one")
        return present[0] if present else None

    def returned_review(self, respondent_id: str) -> Path:
        return self.root / "review" / "returned" / f"{check_respondent_id(respondent_id)}.docx"

    def codings(self, respondent_id: str, suffix: str) -> Path:
        return self.root / "codings" / f"{check_respondent_id(respondent_id)}{suffix}"

    # outputs ------------------------------------------------------------------------------
    @property
    def out(self) -> Path:
        return self.root / self.config.study.output_dir

    def stage_dir(self, stage: str) -> Path:
        return self.out / STAGE_DIRS[stage]

    @property
    def state_dir(self) -> Path:
        """Manifests: one small JSON per stage and respondent (or `_study` for study stages)."""
        return self.out / ".state"

    @property
    def prefect_home(self) -> Path:
        return self.root / ".prefect"

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
