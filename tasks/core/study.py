"""The study folder: its configuration (loaded on demand), its catalog of paths, its run cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tasks.core.cache import RunCache
from tasks.core.catalog import Catalog
from tasks.core.config import Codebook, InterviewGuide, StudyConfig, load_model
from tasks.core.errors import InputError


@dataclass
class Study:
    """A study folder. Configuration is read when first used, never at import time."""

    root: Path
    cache: RunCache = field(default_factory=RunCache, repr=False)

    @classmethod
    def at(cls, root: Path | str) -> Study:
        path = Path(root).resolve()
        if not (path / "config").is_dir():
            raise InputError(
                f"{path}: no config/ folder here; pass --study DIR or create one with 'interview-study init DIR'"
            )
        return cls(path)

    @cached_property
    def catalog(self) -> Catalog:
        """Every path of this study; the output folder is the one the config names."""
        return Catalog(self.root, self.config.study.output_dir)

    @cached_property
    def config(self) -> StudyConfig:
        return load_model(Catalog(self.root).config_file("study.yaml"), StudyConfig, "config/study.yaml")

    @cached_property
    def codebook(self) -> Codebook:
        return load_model(Catalog(self.root).config_file("codebook.yaml"), Codebook, "config/codebook.yaml")

    @cached_property
    def guide(self) -> InterviewGuide:
        path = Catalog(self.root).config_file("interview_guide.yaml")
        return load_model(path, InterviewGuide, "config/interview_guide.yaml")

    def validate(self) -> Study:
        """Load all three config files now, so that a config error stops a run before it starts."""
        self.config, self.codebook, self.guide  # noqa: B018
        return self

    @property
    def language(self) -> str:
        return self.config.transcription.language or self.config.study.language
