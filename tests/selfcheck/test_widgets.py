"""The SelfCheck widget, driven in Python."""

from __future__ import annotations

import html
import re

import pytest
from resilience_course.selfcheck.widgets import SelfCheck
from traitlets import TraitError


def click_all(sc: SelfCheck, value_for):
    for item, ctl in zip(sc.definition.items, sc.controls):
        ctl.value = value_for(item)


def test_selfcheck_uses_controls_that_pass_axe(store):
    import ipywidgets as w

    sc = SelfCheck("sharenow", store=store)
    assert all(isinstance(c, w.ToggleButtons) for c in sc.controls)
    dd = SelfCheck("sharenow", control="dropdown", store=store)
    assert all(isinstance(c, w.Dropdown) and c.description for c in dd.controls)
    assert not any(isinstance(c, (w.RadioButtons, w.IntSlider)) for c in sc.controls + dd.controls)


def test_incomplete_submit_names_what_is_missing_and_keeps_answers(store):
    sc = SelfCheck("sharenow", store=store)
    sc.controls[0].value = 3
    sc.controls[2].value = 2
    sc.submit_button.click()
    text = html.unescape(sc.message_html.value)
    missing = [str(n) for n in range(1, 13) if n not in (1, 3)]
    assert "2, 4, 5" in text and all(n in re.findall(r"\d+", text) for n in missing)
    assert sc.answers == {"s1": 3, "h1": 2}
    assert store.selfcheck_history() == []


def test_complete_submit_scores_saves_and_shows_band_chart_history(store):
    sc = SelfCheck("sharenow", store=store)
    seen = []
    sc.on_submit(lambda w, r: seen.append(r))
    click_all(sc, lambda item: 3)
    sc.submit_button.click()
    # every item 3; reversed items (1..4 scale) become 2: (10*3 + 2*2) / 12
    assert sc.result["overall"] == round((10 * 3 + 2 * 2) / 12, 1)
    assert sc.result["band"] == "Steady" and not sc.result["signpost"]
    assert seen == [sc.result]
    out = sc.result_html.value
    assert "Steady" in out and "Score <strong>2.8</strong>" in out and "<img" in out and 'alt="Bar chart' in out
    assert "<table" in out and "rc-signpost" not in out
    history = store.selfcheck_history("sharenow")
    assert len(history) == 1 and history[0]["scores"]["band"] == "Steady"
    assert 'alt="Line chart' in sc.history_html.value and "<table" in sc.history_html.value


def test_high_distress_shows_signposting_with_contacts(store):
    sc = SelfCheck("signs-of-reducing-resilience", store=store)
    click_all(sc, lambda item: 3 if item["id"] == "f-hopeless" else 0)
    sc.submit_button.click()
    assert sc.result["signpost"] and sc.result["band"] == "Few signs"
    assert "rc-signpost" in sc.result_html.value and "116 123" in sc.result_html.value


def test_answers_trait_validates(store):
    sc = SelfCheck("sharenow", store=store)
    with pytest.raises(TraitError, match="not an item"):
        sc.answers = {"nope": 1}
    with pytest.raises(TraitError, match="not an allowed answer"):
        sc.answers = {"s1": 9}
    sc.answers = {"s1": 4}
    assert sc.controls[0].value == 4


def test_start_again_clears(store):
    sc = SelfCheck("sharenow", store=store)
    click_all(sc, lambda item: 2)
    sc.submit_button.click()
    sc.clear_button.click()
    assert sc.answers == {} and sc.result == {} and all(c.value is None for c in sc.controls)
    assert len(store.selfcheck_history()) == 1  # clearing never deletes what was saved


def test_history_persists_across_widgets(store):
    for value in (1, 4):
        sc = SelfCheck("sharenow", store=store)
        click_all(sc, lambda item, v=value: v)
        sc.submit_button.click()
    fresh = SelfCheck("sharenow", store=store)
    assert fresh.history_html.value.count("<tr>") >= 3  # header + two results


def test_save_failure_keeps_answers_on_screen(store, monkeypatch):
    sc = SelfCheck("sharenow", store=store)
    click_all(sc, lambda item: 2)

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(store, "save_selfcheck", boom)
    sc.submit_button.click()
    assert "could not be saved" in sc.message_html.value and len(sc.answers) == 12
