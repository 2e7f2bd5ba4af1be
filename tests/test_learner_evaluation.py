"""Issue 15: the confidence and evaluation form on a module page."""

from __future__ import annotations

from resilience_course.cohort.evaluation_widgets import Evaluation


def test_hiding_the_module_choice_does_not_hide_the_group_code_and_folder_boxes(store):
    w = Evaluation(module="05", stage="after", store=store)
    assert w.module_dd.layout.display == "none"
    for box in (w.cohort_input, w.folder):
        assert box.layout is not w.module_dd.layout
        assert box.layout.display in (None, "", "flex")


def test_a_learner_alone_is_not_asked_for_a_group_code(store):
    w = Evaluation(module="05", stage="before", store=store)
    assert w.share_box.layout.display == "none" and w.cohort_input in w.share_box.children
    w.in_group.value = True
    assert w.share_box.layout.display is None
    w.in_group.value = False
    assert w.share_box.layout.display == "none"


def test_saved_stages_keep_the_capital_i(store):
    w = Evaluation(module="05", stage="before", store=store)
    for ctl in w.conf_controls.values():
        ctl.value = 3
    assert w.save()
    assert "before I start the module" in w.saved_html.value and "before i " not in w.saved_html.value
