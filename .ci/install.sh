#!/usr/bin/env bash
# Installs the project into .venv: CPU torch first (a plain `torch` would pull a multi-GB CUDA
# build), openai-whisper (the optional second engine, which the tests cover) without its triton
# dependency, then the project with its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q "torch==2.13.0"
.venv/bin/pip install -q --no-deps "openai-whisper==20250625"
.venv/bin/pip install -q "tiktoken>=0.7" "numba>=0.59" "more-itertools>=10"  # openai-whisper's own needs, triton left out
.venv/bin/pip install -q -e ".[dev]"
# LibreOffice and poppler render the Word reports to PDF in tests/tasks/aggregation/test_rendering.py
# (skipped without them); installed where apt-get works without sudo, as in CI, which runs as root.
command -v soffice >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends \
    libreoffice-writer libreoffice-calc poppler-utils >/dev/null) || true
