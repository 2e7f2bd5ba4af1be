"""Foundation widgets, driven in Python: set values, click buttons, read what the learner sees."""

from __future__ import annotations

import html
import re

import pytest
from resilience_course.core.course import Outline, load_outline
from resilience_course.pages.widgets import SectionFooter, header, home
from resilience_course.record.reflection_widgets import Reflection
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


def test_reflection_saves_escapes_and_lists(store):
    r = Reflection("02", "p1", "What helps you?", hint="Think of last week.", store=store)
    saved = []
    r.on_submit(lambda w, text: saved.append(text))
    r.save_button.click()
    assert "nothing to save" in r.status_html.value and store.reflections() == []
    r.textarea.value = "<script>alert(1)</script> & more"
    r.save_button.click()
    assert "Saved to your journal" in r.status_html.value and r.textarea.value == ""
    assert saved == ["<script>alert(1)</script> & more"]
    assert "<script>" not in r.entries_html.value and "&lt;script&gt;" in r.entries_html.value
    again = Reflection("02", "p1", "What helps you?", store=store)
    assert "(1)" in again.entries_html.value


def test_footer_marks_complete_and_links(store, root):
    outline = load_outline(root)
    f = SectionFooter("01.00", outline=outline, store=store)
    assert not f.complete and f.button.description == "Mark this section complete"
    f.button.click()
    assert store.is_complete("01.00") and f.complete and "Marked complete" in f.status_html.value
    f.button.click()
    assert not store.is_complete("01.00")
    assert 'href="../../course/home.ipynb"' in f.nav_html.value


def _outline_with(tmp_path, existing):
    (tmp_path / "course").mkdir()
    data = {"title": "T", "home": "course/home.ipynb", "modules": [
        {"id": "01", "slug": "01-a", "title": "A", "summary": "s", "minutes": 10,
         "outcomes": [{"id": f"1.{n}", "text": "o"} for n in range(1, 4)],
         "sections": [{"id": "01.00", "file": "01.00-overview.ipynb", "title": "Overview", "minutes": 5},
                      {"id": "01.01", "file": "01.01-x.ipynb", "title": "X", "minutes": 5}]},
        {"id": "02", "slug": "02-b", "title": "B", "summary": "s", "minutes": 10,
         "outcomes": [{"id": f"2.{n}", "text": "o"} for n in range(1, 4)],
         "sections": [{"id": "02.00", "file": "02.00-overview.ipynb", "title": "Overview", "minutes": 5}]}]}
    for rel in existing:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    return Outline(data, tmp_path)


def test_navigation_is_generated_and_skips_missing_sections(tmp_path, store):
    o = _outline_with(tmp_path, ["modules/01-a/01.00-overview.ipynb", "modules/02-b/02.00-overview.ipynb"])
    prev, nxt = o.neighbours("01.00")
    assert prev is None and nxt.id == "02.00"  # 01.01 does not exist yet
    f = SectionFooter("01.00", outline=o, store=store)
    assert 'href="../02-b/02.00-overview.ipynb"' in f.nav_html.value and "Module 2" in f.nav_html.value


def test_home_shows_coming_soon_not_broken_links(tmp_path, store):
    o = _outline_with(tmp_path, ["modules/01-a/01.00-overview.ipynb"])
    page = home(outline=o, store=store).value
    assert 'href="../modules/01-a/01.00-overview.ipynb"' in page
    assert "Module 2: B <span" in page and "coming soon" in page
    assert "02-b" not in page  # no link to a module that does not exist
    store.mark_complete("01.00")
    assert "1 of 1 available sections complete" in home(outline=o, store=store).value


def test_overview_header_lists_outcomes_and_time(root):
    outline = load_outline(root)
    page = header("02.00", outline=outline).value
    mod = outline.module("02")
    assert "<h1>" in page and html.escape(mod.title) in page
    assert all(html.escape(o["text"]) in page for o in mod.outcomes)
    assert "minutes" in page or "hour" in page
