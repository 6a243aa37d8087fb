"""What a person watching sees: a status line per phase and a bar that ends at 100 %."""

from __future__ import annotations

import io
import logging
import re

import pytest
from rich.console import Console

from tasks.transcription import progress


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    out = io.StringIO()
    monkeypatch.setattr(progress, "_console", lambda: Console(file=out, force_terminal=True, width=100))
    return out


def plain(out: io.StringIO) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())


def test_the_bar_ends_at_the_whole_recording_when_speech_ends_early(screen: io.StringIO) -> None:
    with progress.audio_progress("R01", 120.0) as advance:
        advance(90.0)  # the last speech ends at 1.5 min of 2
    assert "transcribing R01" in plain(screen)
    assert plain(screen).rstrip().splitlines()[-1].split("min of audio")[0].endswith("2.0/2.0 ")


def test_a_phase_says_what_it_does_and_how_long_it_took(screen: io.StringIO, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="interview_study")
    with progress.phase("loading the Whisper model"):
        pass
    assert re.search(r"loading the Whisper model: \d+\.\d s", plain(screen))
    assert re.fullmatch(r"loading the Whisper model: \d+\.\d s", caplog.records[-1].getMessage())


def test_without_a_terminal_nothing_is_drawn(capsys: pytest.CaptureFixture[str]) -> None:
    with progress.phase("writing the draft of R01"), progress.audio_progress("R01", 10.0) as advance:
        advance(5.0)
    assert capsys.readouterr().err == ""
