"""The layout's rules, checked: import contracts (pyproject's [tool.importlinter]), no import
cycles, no stage found by its module's name, each folder of the output spelled once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*sorted((ROOT / "tasks").rglob("*.py")), *sorted((ROOT / "flows").rglob("*.py"))]


def test_the_import_contracts_hold() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "4 kept, 0 broken" in result.stdout


def test_no_module_takes_part_in_an_import_cycle() -> None:
    graph = grimp.build_graph("tasks", "flows", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(imported=module, importer=imported):
                cycles.append(f"{module} -> {imported}")
    assert cycles == []


def test_no_stage_is_looked_up_by_a_string() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in SOURCES
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"__import__\(|import_module\(|getattr\(.*STAGE", line)
    ]
    assert found == []


def test_output_paths_are_joined_only_in_the_catalog() -> None:
    """Folder names are spelled in tasks/core/layout.py; paths are joined in the catalog alone."""
    stage_folders = re.compile(r'"(0[1-7]_[a-z_]+|results|logs)"|/ "\.state"')
    joins = re.compile(r"stage_dir\([^)]*\) /|state_dir /|\.out /|catalog\.out /")
    outside = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in SOURCES
        if path.name not in ("layout.py", "paths.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if stage_folders.search(line) or joins.search(line)
    ]
    assert outside == []


def test_only_the_example_tests_read_the_example_study() -> None:
    """Unit and stage tests build their studies in tmp_path; the root example is tests/example's."""
    example_inputs = re.compile(r'parents\[\d\] / "(config|audio|codings|review|recruitment\.csv|consent\.csv|reviews\.csv)"')
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if "example" not in path.relative_to(ROOT).parts and example_inputs.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []
