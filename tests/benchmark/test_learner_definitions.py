"""Issue 15: the benchmarking tool shows the guide's definitions (data in benchmark-factors.yml)."""

from __future__ import annotations

from resilience_course.benchmark.tool import load_factors
from resilience_course.benchmark.tool_widgets import benchmark_overview


def test_the_tool_page_shows_the_words_the_tool_uses():
    tool = load_factors()
    terms = [d["term"] for d in tool.definitions]
    for term in ("Engagement", "Health", "Wellbeing", "Culture", "Client", "Care environment"):
        assert term in terms
    html = benchmark_overview(tool).value
    assert "Words the tool uses" in html and "<dl>" in html
    assert "World Health Organisation (1948)" in html and "New Horizons" in html
