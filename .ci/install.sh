#!/usr/bin/env bash
# Installs the project into .venv: CPU torch first (a plain `torch` would pull a multi-GB CUDA
# build), openai-whisper without its triton dependency, then the project with its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q "torch==2.13.0"
.venv/bin/pip install -q --no-deps "openai-whisper==20250625"
.venv/bin/pip install -q -e ".[dev]"
