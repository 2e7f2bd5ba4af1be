"""The journal widget, driven in Python."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from .helpers import HOSTILE, fill_journal


def test_journal_widget_searches_filters_edits_and_deletes_with_confirmation(store):
    from resilience_course.record.journal_widgets import Journal

    fill_journal(store)
    w = Journal(store=store)
    assert "Showing 4 of 4" in w.list_html.value
    w.search.value = "lunch"
    assert [e.kind for e in w.visible()] == ["reflection"] and "Showing 1 of 4" in w.list_html.value
    w.search.value = ""
    w.module_dd.value = "04"
    assert [e.kind for e in w.visible()] == ["form"]
    w.chooser.value = w.visible()[0].key
    assert [a.description for a in w.edit_areas] == ["What went well", "What I will do next"]
    w.edit_areas[0].value = "Edited " + HOSTILE
    w.save_button.click()
    assert "saved" in w.message
    assert "Edited" in store.records("form")[0]["payload"]["fields"][0]["text"]
    assert "<script>" not in w.list_html.value and "&lt;script&gt;" in w.list_html.value
    w.delete_button.click()
    assert w.confirming and w.confirm_box in w.edit_box.children
    w.no_button.click()
    assert not w.confirming and len(store.records("form")) == 1
    w.delete_button.click()
    w.yes_button.click()
    assert store.records("form") == [] and w.message == "Deleted."
    with pytest.raises(TraitError):
        w.module_filter = "99"
