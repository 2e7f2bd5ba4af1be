"""Issue 15: on a shared computer, the next member starts with a blank response; status is at the top."""

from __future__ import annotations

from .helpers import FIDS


def _fill(w):
    w.team_text.value = "north-hv"
    w.cycle_text.value = "2025 spring"
    for f in FIDS:
        w.rating_buttons[f].value = 3


def test_after_a_member_writes_the_next_visit_starts_blank(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    first = BenchmarkResponse(store=store, folder=tmp_path)
    _fill(first)
    first.preview_button.click()
    first.write_button.click()
    assert first.written_path and first.ratings == {}
    reload = BenchmarkResponse(store=store, folder=tmp_path)
    assert reload.ratings == {} and reload.answers == {} and reload.response_id != first.response_id
    assert "blank" in reload.message


def test_a_saved_but_unwritten_response_still_reloads(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    _fill(w)
    w.save_button.click()
    assert BenchmarkResponse(store=store, folder=tmp_path).ratings == {f: 3 for f in FIDS}


def test_status_messages_sit_at_the_top_of_the_form(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    assert w.children.index(w.message_html) == 1  # straight after the introduction
