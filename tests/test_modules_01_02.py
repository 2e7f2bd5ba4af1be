"""Modules 1 and 2: content files and notebook structure (the context figure: tests/pages/test_figures.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from resilience_course.activities.model import load_activities
from resilience_course.core.course import load_outline
from resilience_course.knowledge.model import load_bank

MODULES = ["01", "02"]

def module_of(module_id):
    return load_outline().module(module_id)

def notebooks(root, module_id):
    mod = module_of(module_id)
    return [(s, nbformat.read(root / s.path, as_version=4)) for s in mod.sections]

def calls(nb, name):
    """Arguments of every ``rc.<name>(...)`` call in a notebook's code cells."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "rc"):
                out.append([ast.literal_eval(a) for a in node.args])
    return out

# -- content files ---------------------------------------------------------------------------

@pytest.mark.parametrize("module_id", MODULES)
def test_bank_loads_and_covers_every_outcome(module_id):
    bank = load_bank(module_id)
    assert len(bank) >= 8
    assert {q.type for q in bank} == {"single", "multiple"}
    outcomes = {o["id"] for o in module_of(module_id).outcomes}
    covered = {q.outcome for q in bank}
    assert outcomes <= covered, f"outcomes without a question: {sorted(outcomes - covered)}"
    for q in bank:
        for o in q.options:
            assert len(o["feedback"].split()) >= 4, f"{q.id}/{o['id']}: feedback should say why"

@pytest.mark.parametrize("module_id", MODULES)
def test_activities_load_and_are_used(root, module_id):
    acts = load_activities(module_id)
    used = set()
    for sec, nb in notebooks(root, module_id):
        for args in calls(nb, "activity"):
            assert args[0] == module_id, f"{sec.id} uses an activity of another module"
            assert args[1] in acts, f"{sec.id} uses unknown activity {args[1]!r}"
            used.add(args[1])
    assert len(used) >= 2
    assert used == set(acts), f"activities defined but never used: {sorted(set(acts) - used)}"
    assert len({a["type"] for a in acts.values()}) >= 2  # more than one kind of activity

@pytest.mark.parametrize("module_id", MODULES)
def test_reflections_and_knowledge_check(root, module_id):
    books = notebooks(root, module_id)
    reflections = [args for _s, nb in books for args in calls(nb, "reflection")]
    assert len(reflections) >= 2
    assert all(args[0] == module_id for args in reflections)
    ids = [args[1] for args in reflections]
    assert len(ids) == len(set(ids)), "reflection prompt ids must be unique within a module"
    checks = [(s.id, args) for s, nb in books for args in calls(nb, "knowledge_check")]
    assert checks == [(module_of(module_id).sections[-1].id, [module_id])]

# -- notebook structure ----------------------------------------------------------------------

@pytest.mark.parametrize("module_id", MODULES)
def test_every_section_exists(root, module_id):
    mod = module_of(module_id)
    assert mod.sections[0].id == f"{module_id}.00"
    for sec in mod.sections:
        assert sec.exists, sec.path
        assert re.fullmatch(rf"{module_id}\.\d\d-[a-z0-9-]+\.ipynb", Path(sec.path).name)

@pytest.mark.parametrize("module_id", MODULES)
def test_notebooks_are_thin(root, module_id):
    for sec, nb in notebooks(root, module_id):
        assert nb.metadata["kernelspec"]["name"] == "python3"
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code[0].source == "import resilience_course as rc", sec.id
        assert code[1].source == f'rc.header("{sec.id}")', sec.id
        assert nb.cells[-1].cell_type == "code" and nb.cells[-1].source == f'rc.footer("{sec.id}")', sec.id
        for c in code:
            assert not c.outputs and c.execution_count is None, f"{sec.id}: outputs not stripped"
        for c in code[1:]:
            lines = c.source.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("rc."), f"{sec.id}: {c.source!r}"
            assert "import" not in c.source and "/" not in c.source.split("(", 1)[0]
        for c in nb.cells:
            if c.cell_type == "markdown":
                assert not re.search(r"^# ", c.source, re.M), f"{sec.id}: the h1 comes from rc.header"
                assert ".ipynb" not in c.source, f"{sec.id}: no hand-written links between sections"

@pytest.mark.parametrize("module_id", MODULES)
def test_last_section_has_summary_key_points_and_resources(root, module_id):
    sec, nb = notebooks(root, module_id)[-1]
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("## Summary", "## Key points", "## Further resources"):
        assert heading in text, f"{sec.id} lacks {heading}"
    links = re.findall(r"\[[^\]]+\]\((https?://[^)]+)\)( \(external link\))?", text)
    assert len(links) >= 3
    assert all(marked for _url, marked in links), "every external link is marked as external"
    assert all("bit.ly/" in url for url, _m in links)
