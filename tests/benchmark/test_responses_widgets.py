"""A team member's response form."""

from __future__ import annotations

import html
import json

import pytest
from resilience_course.benchmark import model as bm
from traitlets import TraitError


# -- widgets ----------------------------------------------------------------------------------------
def _fill(w, rating=3, answer="in_place"):
    w.team_text.value = "north-hv"
    w.cycle_text.value = "2025 spring"
    for b in w.rating_buttons.values():
        b.value = rating
    for b in w.indicator_buttons.values():
        b.value = answer


def test_response_widget_shows_one_factor_at_a_time_with_accessible_controls(store, tmp_path):
    import ipywidgets as widgets
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    shown = [f for f, p in w.panels.items() if p.layout.display != "none"]
    assert shown == ["support"]
    w.next_button.click()
    assert w.factor == "training-and-development" and w.panels["support"].layout.display == "none"
    w.factor_dropdown.value = "culture"
    assert w.factor == "culture" and w.panels["culture"].layout.display is None
    w.prev_button.click()
    assert w.factor == "health-and-wellbeing"
    controls = [*w.rating_buttons.values(), *w.indicator_buttons.values()]
    assert len(controls) == 67 and all(isinstance(c, widgets.ToggleButtons) for c in controls)
    assert all(b.description for b in [*w.comment_boxes.values(), w.team_text, w.cycle_text, w.factor_dropdown,
                                       w.folder_text])
    w.ratings = {"support": 4}
    w.answers = {"2c": "dont_know"}
    assert w.rating_buttons["support"].value == 4 and w.indicator_buttons["2c"].value == "dont_know"
    assert "1 of 7 factors rated; 1 of 60 indicators answered" in w.progress_html.value
    for trait, bad in [("ratings", {"support": 9}), ("ratings", {"pay": 3}), ("answers", {"9z": "in_place"}),
                       ("answers", {"1a": "yes"}), ("factor", "pay")]:
        with pytest.raises(TraitError):
            setattr(w, trait, bad)
    assert w.ratings == {"support": 4}


def test_each_factor_is_built_when_first_shown_and_no_answer_is_lost(store, tmp_path):
    """The seven factors' ~70 controls, built up front, made this the course's slowest page to open."""
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    assert list(w._factors.panels) == ["support"] and w._factors.box.children == (w._factors.panels["support"],)
    # answers for factors not shown yet (as loaded from a saved response) survive changes to the shown one
    w.ratings = {"support": 2, "culture": 5}
    w.answers = {"7b": "not_in_place"}
    w.comments = {"culture": "kept"}
    w._factors.ratings["support"].value = 4  # the learner changes the shown factor's rating
    assert w.ratings == {"support": 4, "culture": 5} and w.answers == {"7b": "not_in_place"}
    assert w.comments == {"culture": "kept"}
    w.next_button.click()
    assert list(w._factors.panels) == ["support", "training-and-development"]
    assert [p.layout.display for p in w._factors.box.children] == ["none", None]
    w.factor_dropdown.value = "culture"  # built now, showing what was there
    culture = w._factors.ratings["culture"]
    assert culture.value == 5 and w._factors.indicators["7b"].value == "not_in_place"
    assert w._factors.comments["culture"].value == "kept"
    culture.value = 1
    assert w.ratings == {"support": 4, "culture": 1}
    w.start_new()
    assert w._factors.ratings["culture"].value is None and w.ratings == {}


def test_response_widget_preview_equals_the_file_written(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    w.preview_button.click()
    assert not w.preview and "team" in w.message and w.write_button.disabled
    w.team_text.value = "north-hv"
    w.cycle_text.value = "2025 spring"
    w.rating_buttons["support"].value = 4
    w.preview_button.click()
    assert not w.preview and "still to rate" in w.message and "2. Training and development" in w.message
    _fill(w, 2, "partly")
    w.indicator_buttons["5e"].value = "dont_know"
    w.comment_boxes["support"].value = "<i>more</i> supervision"
    w.preview_button.click()
    assert w.preview and not w.write_button.disabled
    assert html.escape(w.preview) in w.preview_html.value
    w.folder_text.value = str(tmp_path)
    # a change after the preview removes the preview: what is written is always what was shown
    shown = w.preview
    w.indicator_buttons["1a"].value = "not_in_place"
    assert not w.preview and w.write_button.disabled
    w.indicator_buttons["1a"].value = shown and json.loads(shown)["indicators"].get("1a", "partly")
    w.preview_button.click()
    shown = w.preview
    w.write_button.click()
    path = tmp_path / w.written_path.split("/")[-1]
    assert path.read_bytes() == shown.encode("utf-8")
    data = json.loads(path.read_bytes())
    assert data["indicators"]["5e"] == "dont_know" and data["comments"] == {"support": "<i>more</i> supervision"}
    assert bm.read_response(path.name, path.read_bytes())["ratings"]["culture"] == 2
    # after writing, the form is blank for the next person on a shared computer (issue 15)
    assert w.ratings == {} and w.answers == {} and not w.preview and "blank" in w.message


def test_response_widget_saves_locally_and_reloads(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    w.team_text.value = "north-hv"
    w.rating_buttons["culture"].value = 5
    w.indicator_buttons["3b"].value = "not_in_place"
    w.save_button.click()
    assert w.saved_id and "Saved" in w.message_html.value
    again = BenchmarkResponse(store=store, folder=tmp_path)
    assert again.response_id == w.response_id and again.ratings == {"culture": 5}
    assert again.answers == {"3b": "not_in_place"} and again.team_text.value == "north-hv"
    assert again.rating_buttons["culture"].value == 5 and again.indicator_buttons["3b"].value == "not_in_place"
    again.new_button.click()
    assert again.response_id != w.response_id and again.ratings == {} and again.team == "north-hv"
    assert again.rating_buttons["culture"].value is None


def test_response_widget_handles_bad_folder_and_long_comment(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path / "nope")
    _fill(w)
    w.comment_boxes["recruitment"].value = "x" * (bm.MAX_COMMENT + 5)
    assert "shorten" in w.message_html.value
    w.preview_button.click()
    assert not w.preview and "longer than" in w.message
    w.comment_boxes["recruitment"].value = "fine"
    w.preview_button.click()
    w.write_button.click()
    assert "cannot be found" in w.message and not list(tmp_path.glob("*.json"))
    assert w.ratings["support"] == 3  # nothing lost
