"""The Sorter widget, driven in Python."""

from __future__ import annotations

from resilience_course.activities.model import load_activities


def test_sorter_widget_scores_what_the_learner_chooses():
    from resilience_course.activities.widgets import Sorter

    act = load_activities("04")["thinking-traps"]
    s = Sorter(act)
    items = act["items"]
    s.dropdowns[items[0]["id"]].value = items[0]["category"]
    s.dropdowns[items[1]["id"]].value = next(c["id"] for c in act["categories"] if c["id"] != items[1]["category"])
    s.check_button.click()
    assert s.score == (1, len(items))
    assert "1 of" in s.feedback_html.value and "Not quite" in s.feedback_html.value
    for item in items:
        s.dropdowns[item["id"]].value = item["category"]
    s.check_button.click()
    assert s.score == (len(items), len(items))
