"""Issue 15: the self-check chart by area shows each area against its own maximum, with whole-number ticks."""

from __future__ import annotations

import html

from resilience_course.core.charts import bar_chart
from resilience_course.selfcheck.widgets import SelfCheck


def test_signs_chart_shows_each_area_against_its_own_maximum(store):
    sc = SelfCheck("signs-of-reducing-resilience", store=store)
    for c in sc.controls:
        c.value = c.options[1][1] if isinstance(c.options[1], tuple) else 1
    sc.submit_button.click()
    text = html.unescape(sc.result_html.value)
    defn = sc.definition
    counts = {s["id"]: sum(1 for i in defn.items if i.get("subscale") == s["id"]) for s in defn.subscales}
    hi = max(defn.values)
    for sid, n in counts.items():
        title = defn.subscale_title(sid)
        assert f"{title} {sc.result['subscales'][sid]:g} of {hi * n:g}" in text, (title, text[:500])
    assert "Most possible" in text


def test_whole_number_ticks_for_whole_scores(monkeypatch):
    from resilience_course.core import charts

    ticks = []
    real_png = charts._png

    def capture(fig):
        ticks.append(list(fig.axes[0].get_xticks()))
        return real_png(fig)

    monkeypatch.setattr(charts, "_png", capture)
    chart = bar_chart("t", ["A", "B"], [1, 2], "Score", (0, 3.5), maxima=[3, 2])  # halves without the fix
    assert "A 1 of 3" in chart.alt and "Most possible" in chart.to_html(open_table=True)
    assert ticks and all(float(t).is_integer() for t in ticks[0]), ticks
