"""The comparison widget."""

from __future__ import annotations

from .helpers import write_team


def test_cycle_comparison_widget(tmp_path):
    from resilience_course.benchmark.widgets import CycleComparison

    write_team(tmp_path / "c1", 5, cycle="c1", low="culture")
    write_team(tmp_path / "c2", 5, cycle="c2", low="support")
    w = CycleComparison()
    w.compare_button.click()
    assert "earlier" in w.message_html.value
    w.earlier_text.value = str(tmp_path / "c1")
    w.later_text.value = str(tmp_path / "nowhere")
    w.compare_button.click()
    assert "cannot be found" in w.message_html.value
    w.later_text.value = str(tmp_path / "c2")
    w.compare_button.click()
    f = {x["id"]: x["direction"] for x in w.comparison["factors"]}
    assert f["culture"] == "improved" and f["support"] == "worse" and f["recruitment"] == "same"
    assert "c1 compared with c2" in w.result_html.value
