"""The CPD log widget, driven in Python (other record widgets on the page refresh)."""

from __future__ import annotations

from resilience_course.core.course import load_outline
from resilience_course.record import cpd_log

from .helpers import TODAY, valid


def test_cpd_widget_validates_saves_adds_modules_and_confirms_delete(store):
    from resilience_course.record.cpd_log_widgets import CPDLog
    from resilience_course.record.revalidation_widgets import RevalidationPanel

    log_w = CPDLog(store=store, today=TODAY)
    panel = RevalidationPanel(store=store, today=TODAY)
    log_w.inputs["hours"].value = "0"
    log_w.save_button.click()
    assert "hours" in log_w.problems and cpd_log.log_entries(store) == []
    assert "more than 0" in log_w.problems_html.value
    for k, v in valid().items():
        if k != "themes":
            log_w.inputs[k].value = v
    log_w.theme_buttons["preserve-safety"].value = True
    log_w.save_button.click()
    assert log_w.problems == {} and len(cpd_log.log_entries(store)) == 1
    assert log_w.inputs["topic"].value == ""  # the form is cleared after saving
    assert "1.5 hours" in panel.summary_html.value or "1.5" in panel.summary_html.value
    assert panel.summary().hours == 1.5  # the panel refreshed from the same store
    outline = load_outline()
    for s in outline.modules[0].sections:
        store.mark_complete(s.id)
    log_w.refresh()
    assert not log_w.modules_button.disabled
    log_w.modules_button.click()
    assert len(cpd_log.log_entries(store)) == 2 and log_w.modules_button.disabled
    rid = cpd_log.log_entries(store)[0]["id"]
    log_w.chooser.value = rid
    log_w.edit_button.click()
    assert log_w.editing == rid and log_w.save_button.description == "Save changes"
    log_w.inputs["participatory_hours"].value = "9"
    log_w.save_button.click()
    assert "participatory_hours" in log_w.problems
    log_w.inputs["participatory_hours"].value = "1"
    log_w.save_button.click()
    assert next(e for e in cpd_log.log_entries(store) if e["id"] == rid)["participatory_hours"] == 1
    log_w.chooser.value = rid
    log_w.delete_button.click()
    assert log_w.confirming == rid and len(cpd_log.log_entries(store)) == 2
    log_w.yes_button.click()
    assert len(cpd_log.log_entries(store)) == 1
