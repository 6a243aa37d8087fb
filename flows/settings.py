"""Prefect's environment for a study: state inside the study folder, no telemetry, no log upload.

Called before `prefect` is imported, because Prefect reads part of its settings at import.
"""

from __future__ import annotations

import os
from pathlib import Path

# Privacy and telemetry: always enforced, whatever the user's environment says.
FORCED = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_TASKS_DEFAULT_PERSIST_RESULT": "false",
}


def prefect_environment(study_root: Path) -> dict[str, str]:
    home = study_root / ".prefect"
    return {
        "PREFECT_HOME": str(home),
        "PREFECT_LOCAL_STORAGE_PATH": str(home / "storage"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        # The console shows our own summary; Prefect's per-task lines would drown it.
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_SERVER_LEVEL": "CRITICAL",
        **FORCED,
    }


def configure(study_root: Path) -> None:
    """Point Prefect at the study's own state unless the user chose a home or server themselves."""
    for key, value in prefect_environment(study_root).items():
        if key in FORCED:
            os.environ[key] = value
        else:
            os.environ.setdefault(key, value)
