"""The night-sky figure (support/figure.py): alt text and a comparison table."""

from __future__ import annotations

from resilience_course.support.figure import menu_figure
from resilience_course.support.menu import comparison_rows, load_models


def test_figure_has_alt_text_and_a_comparison_table():
    menu = load_models()
    chart = menu_figure(menu)
    assert chart.png.startswith(b"\x89PNG")
    for m in menu.models:
        assert m.name in chart.alt
    assert "grey night sky" in chart.alt and "Compassion" in chart.alt
    html = chart.to_html()
    assert 'alt="Illustration:' in html and "<table" in html
    rows = comparison_rows(menu)
    assert len(rows) == len(menu.entries())
    schwartz = next(r for r in rows if r[0].startswith("Schwartz Rounds"))
    assert schwartz[3] == "Monthly"
