"""Modules 1 and 2: content files, notebook structure, and the context-of-practice figure data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from resilience_course.activities.model import load_activities
from resilience_course.core.content import ContentError
from resilience_course.core.course import load_outline
from resilience_course.knowledge.model import load_bank
from resilience_course.pages.figures import (
    context_figure,
    context_path,
    load_context,
    service_text,
    survey_figure,
)

MODULES = ["01", "02"]
SOURCE = Path(__file__).resolve().parents[2] / "shared" / "source" / "resilience-framework-guide.txt"


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


# -- the context-of-practice figure ----------------------------------------------------------

def figure_block() -> list[str]:
    if not SOURCE.is_file():
        pytest.skip("the source guide is not available here")
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("Figure 1: The context of health visiting practice")
    end = text.index("The Resilience Framework", start)
    return [ln.strip() for ln in text[start:end].splitlines()[1:] if ln.strip()]


def test_context_data_uses_the_source_names():
    block = figure_block()
    data = load_context()
    for ring in data["rings"]:
        assert ring["source_label"] in block, ring
    headings = [layer for layer in data["layers"] if layer.get("source_label")]
    assert [h["source_label"] for h in headings] == ["Community", "Universal", "Universal Partnership Plus"]
    # each layer's services come after its heading and before the next heading, in the source's order
    starts = []
    pos = -1
    for layer in headings:
        pos = block.index(layer["source_label"], pos + 1)
        starts.append(pos)
    starts.append(len(block))
    joined = " ".join(block)
    for n, layer in enumerate(headings):
        region = " ".join(block[starts[n] + 1:starts[n + 1]])
        last = -1
        for service in layer["services"]:
            shown = service_text(service)
            assert shown in joined, shown
            at = region.find(shown)
            assert at > last, f"{shown!r} is not under {layer['source_label']!r} in the source order"
            last = at
    # nothing in the figure is left out
    names = [r["source_label"] for r in data["rings"]] + [h["source_label"] for h in headings] + \
        [service_text(s) for layer in data["layers"] for s in layer["services"]]
    for line in block:
        assert any(line in name for name in names), f"{line!r} from the source is missing"


def test_universal_plus_gap_is_explained_not_invented():
    block = figure_block()
    assert not any(line.lower() == "universal plus" for line in block)
    layer = next(x for x in load_context()["layers"] if x["id"] == "universal-plus")
    assert layer["services"] == [] and "source_label" not in layer
    assert "text version" in layer["note"]


def test_survey_figures_match_the_source():
    if not SOURCE.is_file():
        pytest.skip("the source guide is not available here")
    text = " ".join(SOURCE.read_text(encoding="utf-8").split())
    items = load_context()["survey"]["items"]
    assert [i["value"] for i in items] == [90, 12, 50]
    for i in items:
        phrase = f"{i['qualifier']} {i['value']}%" if i.get("qualifier") else f"{i['value']}%"
        assert phrase.strip() in text


def test_context_figure_is_accessible():
    import matplotlib

    before = dict(matplotlib.rcParams)
    chart = context_figure()
    assert dict(matplotlib.rcParams) == before, "drawing a figure must not change rcParams"
    assert chart.png.startswith(b"\x89PNG")
    data = load_context()
    for item in data["rings"] + data["layers"]:
        assert item["label"] in chart.alt
    html = chart.to_html()
    assert 'alt="Diagram: The context of health visiting practice.' in html
    assert "Social Work Team &amp; Police" in html and "Social Work Team & Police" not in html
    assert html.count("<table") == 2 and "<caption>" in html
    survey = survey_figure()
    assert "around 12%" in survey.alt and "<table" in survey.table_html


def test_rc_figure_widget():
    import resilience_course as rc

    w = rc.figure("context-of-practice", open_table=True)
    assert "<details open>" in w.value and "<img" in w.value
    with pytest.raises(KeyError):
        rc.figure("no-such-figure")


def _write(tmp_path, data):
    path = tmp_path / "context.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_bad_context_data_is_rejected(tmp_path):
    good = yaml.safe_load(context_path().read_text(encoding="utf-8"))
    assert load_context(_write(tmp_path, good))["id"] == "context-of-practice"

    silent = {**good, "layers": [dict(x) for x in good["layers"]]}
    silent["layers"][2].pop("note")
    with pytest.raises(ContentError) as exc:
        load_context(_write(tmp_path, silent))
    assert exc.value.entry == "layers[2].note"

    twice = {**good, "rings": good["rings"] + [good["rings"][0]]}
    with pytest.raises(ContentError, match="duplicate id"):
        load_context(_write(tmp_path, twice))

    wrong_type = {**good, "layers": [{**good["layers"][0], "services": ["just a string"]}]}
    with pytest.raises(ContentError):
        load_context(_write(tmp_path, wrong_type))


def test_context_is_registered_for_content_checks():
    from resilience_course.validate_all import content_files, validate_all

    assert (context_path(), "context") in [(p, s) for p, s in content_files()]
    problems, _count = validate_all()
    mine = ("context-of-practice", "01-context-of-health-visiting", "02-understanding-resilience")
    assert not [p for p in problems if any(m in p for m in mine)]
