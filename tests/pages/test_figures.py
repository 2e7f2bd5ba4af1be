"""Course figures drawn from data (pages/figures.py): the context-of-practice figure and the survey chart,
checked against the source, accessible, and rejecting broken data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from resilience_course.core.content import ContentError
from resilience_course.pages.figures import (
    context_figure,
    context_path,
    load_context,
    service_text,
    survey_figure,
)

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "source" / "resilience-framework-guide.txt"


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
