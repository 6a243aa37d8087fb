"""The transcription stage on real recordings and the real PyPI base model (both engines)."""

from __future__ import annotations

import json
import logging
import shutil
import wave
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tasks.transcription import stage as transcription
from tasks.core.config import TranscriptionSection
from tasks.core.manifest import load_manifest
from tasks.protocol import execute_respondent, respondent_statuses
from tasks.core.study import Study
from tasks.transcription.stage import STAGE, changes
from tasks.transcription import audio as audio_module
from tasks.transcription.engines import load_engine

AUDIO = Path(__file__).resolve().parents[2] / "data" / "audio"
RECRUITMENT = "respondent_id,channel,contacted_on,responded,interview_date,interview_mode,municipality_size,role\n"
CONSENT = "respondent_id,consent_on,recording,transcription,quotes,anonymize,withdrawn_on\n"
ENGLISH = ["start", "report", "council", "thank you"]  # "meeting" suffers most from lossy formats


def make_study(
    root: Path,
    recordings: dict[str, str | bytes | Path],
    language: str = "en",
    settings: str = "",
    consent: dict[str, str] | None = None,
) -> Study:
    """A study folder; recordings map a file name (R01.flac) to a test clip, raw bytes or a path."""
    (root / "config").mkdir(parents=True)
    (root / "audio").mkdir()
    yaml = f"study:\n  title: Test\n  language: nl\ntranscription:\n  language: {language}\n{settings}"
    (root / "config" / "study.yaml").write_text(yaml, encoding="utf-8")
    ids = sorted({name.split(".")[0] for name in recordings} | set(consent or {}))
    rows = "".join(f"{rid},network,2024-01-10,yes,2024-02-01,online,small,advisor\n" for rid in ids)
    (root / "recruitment.csv").write_text(RECRUITMENT + rows, encoding="utf-8")
    given = consent if consent is not None else {rid: "2024-02-01,yes,yes,yes,no," for rid in ids}
    (root / "consent.csv").write_text(CONSENT + "".join(f"{r},{v}\n" for r, v in given.items()), encoding="utf-8")
    for name, content in recordings.items():
        target = root / "audio" / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            shutil.copyfile(AUDIO / content if isinstance(content, str) else content, target)
    return Study.at(root)


def run_stage(study: Study, rid: str = "R01", force: bool = False) -> Any:
    for stage in ("recruitment", "consent"):
        assert execute_respondent(study, stage, rid).status == "done"
    return execute_respondent(study, "transcription", rid, force)


def draft(study: Study, rid: str = "R01") -> dict[str, Any]:
    return json.loads((study.catalog.out / "03_transcription" / f"{rid}.json").read_text(encoding="utf-8"))


def text_of(study: Study, rid: str = "R01") -> str:
    return " ".join(segment["text"] for segment in draft(study, rid)["segments"]).lower()


@pytest.fixture(scope="module")
def engines() -> None:
    """Load both engines once for the whole module (they stay cached in the process)."""
    load_engine(TranscriptionSection(), Path("."))
    load_engine(TranscriptionSection(engine="openai-whisper", compute_type="float32", beam_size=1), Path("."))


# plain functions -------------------------------------------------------------------------------


def test_an_approved_transcript_stays_done_when_the_recording_is_deleted(tmp_path: Path) -> None:
    study = make_study(tmp_path, {}, consent={"R01": "2024-02-01,yes,yes,yes,no,"})
    segment = {"segment_id": "R01-0001", "start": 0.3, "end": 2.8, "speaker": "unknown", "text": "Goedemorgen.", "question_id": None}
    meta = {"engine": "faster-whisper", "model": "base", "settings": transcription.settings_of(study),
            "audio_sha256": "a" * 64, "duration": 3.0, "language": "en", "language_probability": 0.9}
    folder = study.catalog.out / "03_transcription"
    folder.mkdir(parents=True)
    (folder / "R01.json").write_text(json.dumps({"respondent_id": "R01", **meta, "segments": [segment]}), encoding="utf-8")
    (study.catalog.out / "04_review" / "approved").mkdir(parents=True)
    approved = {"respondent_id": "R01", **meta, "decision": "approved", "segments": [segment]}
    (study.catalog.out / "04_review" / "approved" / "R01.json").write_text(json.dumps(approved), encoding="utf-8")
    manifest = run_stage(study)
    assert (manifest.status, manifest.detail) == (
        "done", "1 segment, 0.1 min (faster-whisper base); approved in review; recording removed from audio/"
    )
    assert sorted(Path(p).name for p in manifest.outputs) == ["R01.docx", "R01.json", "R01.txt", "R01.vtt"]


def test_changes_name_what_differs_without_prompt_text() -> None:
    before = {"audio_sha256": "a", "language": "nl", "settings": {"beam_size": 5, "initial_prompt": None}}
    now = {"audio_sha256": "b", "language": "nl", "settings": {"beam_size": 1, "initial_prompt": "Wmo, jeugdzorg"}}
    assert changes(before, now) == ["recording replaced", "beam_size 5 → 1", "initial_prompt changed"]
    assert changes(before, before) == []


# no work without a recording or without consent -----------------------------------------------


def test_a_missing_recording_waits_for_the_researcher(tmp_path: Path) -> None:
    study = make_study(tmp_path, {}, consent={"R01": "2024-02-01,yes,yes,yes,no,"})
    manifest = run_stage(study)
    assert (manifest.status, manifest.detail) == (
        "waiting",
        "researcher: no recording yet; save it as audio/R01.wav (or .flac/.mp3/.m4a/.ogg/.opus)",
    )


@pytest.mark.parametrize(
    ("row", "status", "detail"),
    [
        ("", "waiting", "researcher: no complete consent for R01 in consent.csv; the recording is not opened until it is recorded"),
        ("2024-02-01,yes,no,yes,no,", "excluded", "no consent (refused); the recording is not opened"),
    ],
)
def test_without_consent_the_recording_is_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row: str, status: str, detail: str
) -> None:
    consent = {"R01": row} if row else {}
    study = make_study(tmp_path, {"R01.wav": b"RIFF\xff\xff\xff\xffWAVEfmt garbage that crashes a decoder"}, consent=consent)

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the recording was opened")

    monkeypatch.setattr(audio_module.av, "open", refuse)
    monkeypatch.setattr(transcription, "hash_cache", refuse)
    assert STAGE.inputs(study, "R01") == {"consent": False}
    assert (STAGE.run(study, "R01").status, STAGE.run(study, "R01").detail) == (status, detail)
    execute_respondent(study, "recruitment", "R01")
    execute_respondent(study, "consent", "R01")
    assert execute_respondent(study, "transcription", "R01").status in ("blocked", "excluded")


# bad recordings: one clear line, before any model is loaded -----------------------------------


def silent_wav(target: Path, seconds: float = 4.0) -> bytes:
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * int(16000 * seconds))
    return target.read_bytes()


def test_an_empty_recording_fails(tmp_path: Path) -> None:
    manifest = run_stage(make_study(tmp_path, {"R01.wav": b""}))
    assert (manifest.status, manifest.detail) == (
        "failed", "audio/R01.wav: the file is empty (0 bytes); copy the recording again"
    )


def test_a_text_file_named_wav_fails(tmp_path: Path) -> None:
    manifest = run_stage(make_study(tmp_path, {"R01.wav": b"interview notes, not a recording\n"}))
    assert (manifest.status, manifest.detail) == (
        "failed",
        "audio/R01.wav: not an audio file (invalid data found when processing input); re-export the recording",
    )


def test_a_truncated_recording_fails(tmp_path: Path) -> None:
    data = (AUDIO / "en.m4a").read_bytes()
    manifest = run_stage(make_study(tmp_path, {"R01.m4a": data[: len(data) // 2]}))
    assert (manifest.status, manifest.detail) == (
        "failed",
        "audio/R01.m4a: not an audio file (invalid data found when processing input); re-export the recording",
    )


def test_silence_only_fails(tmp_path: Path) -> None:
    manifest = run_stage(make_study(tmp_path, {"R01.wav": silent_wav(tmp_path / "silence.wav")}))
    assert (manifest.status, manifest.detail) == (
        "failed",
        "audio/R01.wav: no speech found in 4.0 s of audio; check that it is the interview recording and re-export it",
    )


# real transcription ----------------------------------------------------------------------------


@pytest.mark.slow
def test_faster_whisper_transcribes_english_into_the_four_outputs(
    tmp_path: Path, engines: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    study = make_study(tmp_path, {"R01.flac": "en.flac"})
    manifest = run_stage(study)
    assert (manifest.status, manifest.detail) == ("done", "3 segments, 0.2 min (faster-whisper base)")
    data = draft(study)
    assert [s["segment_id"] for s in data["segments"]] == ["R01-0001", "R01-0002", "R01-0003"]
    assert [(s["start"], s["end"]) for s in data["segments"]] == [(0.31, 2.79), (4.34, 6.98), (8.5, 10.12)]
    assert {s["speaker_source"] for s in data["segments"]} == {"voice"}  # speakers: tests/tasks/transcription/test_speakers.py
    assert all(word in text_of(study) for word in ENGLISH)
    assert list(data) == ["respondent_id", "engine", "model", "settings", "audio_sha256", "duration",
                          "language", "language_probability", "recording", "flags", "segments"]
    assert data["flags"] == {"R01-0001": ["low_confidence"]}  # int8 hears "nine o'clock" as "either clock" (p 0.26)
    assert (data["engine"], data["model"], data["language"], data["duration"]) == ("faster-whisper", "base", "en", 10.81)
    assert data["language_probability"] > 0.5
    assert manifest.counts == {"segments": 3, "duration_s": 11}
    assert manifest.meta == {"audio_sha256": data["audio_sha256"], "duration": 10.81}
    assert sorted(Path(p).name for p in manifest.outputs) == ["R01.docx", "R01.json", "R01.txt", "R01.vtt"]
    folder = study.catalog.out / "03_transcription"
    assert (folder / "R01.txt").read_text(encoding="utf-8").splitlines()[3].startswith("[00:00:00 - 00:00:02] R01-0001  ")
    assert (folder / "R01.vtt").read_text(encoding="utf-8").splitlines()[2:4] == ["R01-0001", "00:00:00.310 --> 00:00:02.790"]
    paragraphs = [p.text for p in Document(str(folder / "R01.docx")).paragraphs]
    assert paragraphs[0] == "Draft transcript R01" and "council" in paragraphs[3]
    manifest_text = json.dumps(load_manifest(study, "transcription", "R01").to_json()).lower()  # type: ignore[union-attr]
    assert not any(word in manifest_text or word in caplog.text.lower() for word in ("council", "report"))


@pytest.mark.slow
def test_openai_whisper_transcribes_english_on_the_converted_weights(tmp_path: Path, engines: None) -> None:
    settings = "  engine: openai-whisper\n  compute_type: float32\n  beam_size: 1\n"
    study = make_study(tmp_path, {"R01.flac": "en.flac"}, settings=settings)
    manifest = run_stage(study)
    assert (manifest.status, manifest.detail) == ("done", "3 segments, 0.2 min (openai-whisper base)")
    assert all(word in text_of(study) for word in ENGLISH)
    segments = draft(study)["segments"]  # the same ids and boundaries as faster-whisper's
    assert [(s["segment_id"], s["start"], s["end"]) for s in segments] == [
        ("R01-0001", 0.31, 2.79), ("R01-0002", 4.34, 6.98), ("R01-0003", 8.5, 10.12)
    ]


@pytest.mark.slow
def test_the_dutch_clip_is_transcribed_in_the_study_language(tmp_path: Path, engines: None) -> None:
    study = make_study(tmp_path, {"R01.ogg": "nl.ogg"}, language="nl")
    assert run_stage(study).status == "done"
    data = draft(study)
    assert (data["language"], len(data["segments"])) == ("nl", 2)
    assert "interview" in data["segments"][0]["text"].lower()


@pytest.mark.slow
@pytest.mark.parametrize("clip", ["en_8k_stereo.flac", "en.mp3", "en.m4a"])
def test_other_rates_channels_and_formats_are_transcribed(tmp_path: Path, engines: None, clip: str) -> None:
    study = make_study(tmp_path, {f"R01{Path(clip).suffix}": clip})
    assert run_stage(study).status == "done"
    assert len(draft(study)["segments"]) == 3
    assert all(word in text_of(study) for word in ENGLISH)


@pytest.mark.slow
def test_one_bad_recording_does_not_stop_another(tmp_path: Path, engines: None) -> None:
    study = make_study(tmp_path, {"R01.wav": b"not audio", "R02.mp3": "en.mp3"})
    assert run_stage(study, "R01").status == "failed"
    assert run_stage(study, "R02").status == "done"


@pytest.mark.slow
def test_segment_ids_and_texts_are_stable_and_unchanged_inputs_do_no_work(tmp_path: Path, engines: None) -> None:
    study = make_study(tmp_path, {"R01.flac": "en.flac"})
    run_stage(study)
    first = json.dumps(draft(study)["segments"])
    docx = (study.catalog.out / "03_transcription" / "R01.docx").read_bytes()
    again = run_stage(Study.at(tmp_path), force=True)
    assert not again.reused
    assert json.dumps(draft(study)["segments"]) == first
    assert (study.catalog.out / "03_transcription" / "R01.docx").read_bytes() == docx
    assert run_stage(Study.at(tmp_path)).reused


@pytest.mark.slow
def test_an_approved_transcript_is_never_replaced_silently(tmp_path: Path, engines: None) -> None:
    study = make_study(tmp_path, {"R01.flac": "en.flac"})
    run_stage(study)
    draft_file = study.catalog.out / "03_transcription" / "R01.json"
    approved = {**draft(study), "decision": "approved", "decided_on": "2024-03-01", "draft_sha256": "x"}
    (study.catalog.out / "04_review" / "approved").mkdir(parents=True)
    (study.catalog.out / "04_review" / "approved" / "R01.json").write_text(json.dumps(approved), encoding="utf-8")
    assert run_stage(Study.at(tmp_path)).reused  # approving changes nothing for this stage
    before = draft_file.read_bytes()
    yaml = tmp_path / "config" / "study.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "  beam_size: 2\n", encoding="utf-8")
    study = Study.at(tmp_path)
    assert respondent_statuses(study, "R01")[2].detail == "inputs changed since the last run"
    kept = run_stage(study)
    detail = (
        "approved transcript kept; changed since approval: beam_size 5 → 2; to retranscribe, withdraw the "
        "approval by deleting out/04_review/approved/R01.json and run again"
    )
    assert (kept.status, kept.detail) == ("done", detail)
    assert draft_file.read_bytes() == before
    assert respondent_statuses(Study.at(tmp_path), "R01")[2].detail == detail
    assert run_stage(Study.at(tmp_path)).reused
    recording = tmp_path / "audio" / "R01.flac"
    recording.rename(tmp_path / "R01.flac")  # deleting the recording after approval is allowed
    gone = run_stage(Study.at(tmp_path))
    assert gone.detail == detail.replace("beam_size 5 → 2", "recording removed from audio/, beam_size 5 → 2")
    (tmp_path / "R01.flac").rename(recording)
    (study.catalog.out / "04_review" / "approved" / "R01.json").unlink()
    redone = run_stage(Study.at(tmp_path))
    assert (redone.status, redone.reused) == ("done", False)
    assert draft(study)["settings"]["beam_size"] == 2


# the GPU path, decided on any machine ---------------------------------------------------------


def test_cuda_runs_float16_with_bigger_batches_and_the_cpu_int8() -> None:
    from tasks.transcription.engines import batch_size_for, compute_type_for, device_for

    cuda = TranscriptionSection(device="cuda")
    assert (device_for(cuda), compute_type_for(cuda, "cuda"), batch_size_for("cuda")) == ("cuda", "float16", 16)
    cpu = TranscriptionSection(device="cpu")
    assert (device_for(cpu), compute_type_for(cpu, "cpu"), batch_size_for("cpu")) == ("cpu", "int8", 4)


# segment ids of existing studies ---------------------------------------------------------------


EXAMPLE = Path(__file__).resolve().parents[3]
COMMITTED = json.loads((Path(__file__).parent / "data" / "example_segments.json").read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize(("batch_size", "count"), [(4, 13), (1, 3)])
def test_the_example_recordings_keep_their_committed_ids_and_boundaries(engines: None, batch_size: int, count: int) -> None:
    """The 13 example recordings (16 min of audio: R01 mixed, R02 one track per participant, R03
    stereo, ...) at the CPU's batch size, and R01-R03 one window per batch, packed: the ids and
    boundaries of their speech chunks, every track's together in time order
    (`data/example_segments.json`, written by tests/example/make_recordings.py), and the ids and
    start times of the returned review documents committed in review/returned/, and text in
    every segment."""
    from tasks.core.wordml import read_segment_table
    from tasks.transcription.engines import Options
    from tasks.transcription.segments import speech_chunks, to_segments
    from tasks.transcription.speakers import transcribe_tracks

    engine = load_engine(TranscriptionSection(device="cpu"), Path("."))
    options = Options("nl", 5, (0.0, 0.2, 0.4), None, batch_size)
    for rid, expected in list(COMMITTED.items())[:count]:
        recording = example_recording(rid)
        chunks = [speech_chunks(track.samples, 500) for track in recording.tracks]
        found = transcribe_tracks(engine, recording, chunks, options, lambda _done: None)
        segments = to_segments(rid, [u for track in found for u in track])
        assert [[s.segment_id, s.start, s.end] for s in segments] == expected, rid
        assert sum(bool(s.text) for s in segments) == len(segments), rid
        returned = EXAMPLE / "review" / "returned" / f"{rid}.docx"
        if returned.is_file():
            rows = read_segment_table(returned, returned.name).rows
            assert [(r.cells[0], r.cells[1]) for r in rows] == [
                (s.segment_id, f"{int(s.start) // 60}:{int(s.start) % 60:02d}") for s in segments
            ], rid


def example_recording(rid: str) -> Any:
    """An example respondent's recording as the stage loads it (a file, or a folder of tracks)."""
    from tasks.transcription.speakers import load_recording

    folder = EXAMPLE / "audio" / rid
    if folder.is_dir():
        tracks = {track: folder / f"{track}.ogg" for track in ("interviewer", "respondent")}
        return load_recording(folder, f"audio/{rid}/", tracks, None)
    return load_recording(EXAMPLE / "audio" / f"{rid}.ogg", f"audio/{rid}.ogg", None, None)


def test_openai_whisper_without_its_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from tasks.core.errors import ConfigError
    from tasks.transcription import engines

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "whisper" else real(name, *a))
    with pytest.raises(ConfigError) as error:
        engines._load(TranscriptionSection(engine="openai-whisper", compute_type="float32"), Path("."), "cpu", "float32")
    assert str(error.value) == (
        "config/study.yaml: transcription.engine: openai-whisper is not installed; install it with "
        "pip install 'interview-study[openai-whisper]' (README: Transcription), or use faster-whisper"
    )
