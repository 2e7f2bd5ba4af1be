"""The Reflection widget, driven in Python."""

from __future__ import annotations

from resilience_course.record.reflection_widgets import Reflection


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
