"""The support finder widget, driven in Python."""

from __future__ import annotations

import pytest
from resilience_course.support.finder import PLAN_KIND, find_support
from traitlets import TraitError


def test_support_finder_widget_shows_fitting_models_and_saves_a_plan(store):
    from resilience_course.support.finder_widgets import SupportFinder

    finder = SupportFinder(store=store)
    finder.toggles["safeguarding-case"].value = True
    finder.toggles["new-role"].value = True
    assert finder.needs == ["safeguarding-case", "new-role"]
    assert finder.save_button.disabled
    finder.find_button.click()
    html = finder.results_html.value
    recs = find_support(["safeguarding-case", "new-role"])
    for rec in recs:
        assert rec.name in html
    assert "At least once every three months (NHSE, 2014)" in html
    assert "How to ask for it" in html and "(external link, opens in a new tab)" in html
    assert "Support is available" not in html
    assert not finder.save_button.disabled
    finder.save_button.click()
    plans = store.records(PLAN_KIND, "05")
    assert len(plans) == 1 and plans[0]["payload"]["needs"] == ["safeguarding-case", "new-role"]
    assert [m["name"] for m in plans[0]["payload"]["models"]] == [r.name for r in recs]
    assert finder.message.startswith("Saved")


def test_support_finder_asks_for_a_choice_and_signposts_distress(store):
    from resilience_course.support.finder_widgets import SupportFinder

    finder = SupportFinder(store=store)
    finder.find_button.click()
    assert "Choose at least one" in finder.status_html.value and finder.results_html.value == ""
    finder.toggles["stressed"].value = True
    assert finder.message == ""
    finder.find_button.click()
    assert "Support is available" in finder.results_html.value
    assert "occupational" in finder.results_html.value, "the need's note from the guide is shown"
    finder.toggles["stressed"].value = False
    assert "Restorative supervision" not in finder.results_html.value
    with pytest.raises(TraitError):
        finder.needs = ["not-a-need"]
