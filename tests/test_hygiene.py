"""Notebook and repository hygiene: thin notebooks, no outputs, python3 kernel, no checkpoints."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tracked(pattern: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", pattern], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / p for p in out if (ROOT / p).exists()]


NOTEBOOKS = [p for p in tracked("*.ipynb")]
COURSE_NOTEBOOKS = [p for p in NOTEBOOKS if p.relative_to(ROOT).parts[0] in ("course", "modules")]


def ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def test_there_are_notebooks():
    assert any(p.name == "home.ipynb" for p in COURSE_NOTEBOOKS)


def test_no_checkpoints_in_git():
    assert not [p for p in tracked("*") if ".ipynb_checkpoints" in p.parts]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_is_stripped_with_python3_kernel(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=ids(COURSE_NOTEBOOKS))
def test_course_notebook_is_thin(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and code[0].strip() == "import resilience_course as rc", "first code cell is the one import"
    for src in code[1:]:
        tree = ast.parse(src)
        assert not any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree)), "one import only"
        assert not re.search(r"['\"](\.\./|/)", src), "no file paths in notebooks"
        assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While)) for n in ast.walk(tree))
