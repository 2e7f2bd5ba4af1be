"""The revalidation widget, driven in Python."""

from __future__ import annotations

from datetime import date

from .helpers import TODAY


def test_revalidation_widget_rejects_a_bad_date(store):
    from resilience_course.record.revalidation_widgets import RevalidationPanel

    panel = RevalidationPanel(store=store, today=TODAY)
    panel.date_input.value = "next spring"
    panel.save_button.click()
    assert "not a date" in panel.status_html.value
    panel.date_input.value = "31/03/2026"
    panel.save_button.click()
    assert panel.summary().end == date(2026, 3, 31)
    assert "31 Mar 2026" in panel.summary_html.value
