"""rc.tool_link: a link to a course tool, or 'coming soon' until the tool exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from resilience_course.core.course import Outline


def _fake_outline(root: Path, title="Benchmark <tool>") -> Outline:
    data = {
        "title": "T", "home": "course/home.ipynb",
        "modules": [{"id": "06", "slug": "06-x", "title": "M", "summary": "S", "minutes": 10,
                     "outcomes": [{"id": "6.1", "text": "O"}],
                     "sections": [{"id": "06.03", "file": "06.03-b.ipynb", "title": "B", "minutes": 5}]}],
        "tools": [{"id": "benchmark", "title": title, "path": "course/benchmark.ipynb", "description": "D & more"}],
    }
    return Outline(data, root)


def test_tool_link_says_coming_soon_until_the_tool_exists(tmp_path):
    from resilience_course.pages.widgets import tool_link

    outline = _fake_outline(tmp_path)
    w = tool_link("benchmark", "06.03", outline=outline)
    assert "coming soon" in w.value and "href" not in w.value
    assert "Benchmark &lt;tool&gt;" in w.value and "D &amp; more" in w.value
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "benchmark.ipynb").write_text("{}", encoding="utf-8")
    w = tool_link("benchmark", "06.03", outline=outline)
    assert 'href="../../course/benchmark.ipynb"' in w.value
    assert "coming soon" not in w.value
    with pytest.raises(KeyError):
        tool_link("no-such-tool", "06.03", outline=outline)


def test_tool_link_is_exposed_as_rc_tool_link(tmp_path, monkeypatch):
    import resilience_course as rc
    from resilience_course.pages import widgets as page

    assert rc.tool_link is page.tool_link
    outline = _fake_outline(tmp_path, title="Tool")
    monkeypatch.setattr(page, "load_outline", lambda: outline)
    assert "coming soon" in rc.tool_link("benchmark", "06.03").value
