"""The evaluation widget and report, driven in Python."""

from __future__ import annotations

import json

from resilience_course.cohort import model as co
from resilience_course.core.course import load_outline

from .helpers import eval_responses, write


def test_evaluation_widget_and_report(store, tmp_path, evaluation):
    from resilience_course.cohort.widgets import Evaluation, EvaluationReport

    outline = load_outline()
    w = Evaluation("03", store=store, outline=outline, folder=str(tmp_path / "eval"))
    assert len(w.conf_controls) == len(outline.module("03").outcomes)
    w.stage_tb.value = "before"
    assert w.react_box.layout.display == "none"
    w.save_button.click()
    assert "confidence" in w.problems
    for c in w.conf_controls.values():
        c.value = 2
    w.save_button.click()
    assert "Saved" in w.message
    w.stage_tb.value = "after"
    for c in w.conf_controls.values():
        c.value = 4
    for qid, value in {"useful": "very", "clear": "clear", "time": "right", "recommend": "yes"}.items():
        w.react_form.controls[qid].value = value
    w.save_button.click()
    assert set(co.latest_evaluation(store, "03")) == {"before", "after"}
    w.cohort_input.value = "MC-A"
    w.preview_button.click()
    w.write_button.click()
    [path] = (tmp_path / "eval").iterdir()
    data = json.loads(path.read_text())
    assert set(data["confidence_after"].values()) == {4} and "name" not in data

    chooser = Evaluation(store=store, outline=outline)
    assert chooser.conf_controls == {}
    chooser.module_dd.value = "05"
    assert len(chooser.conf_controls) == len(outline.module("05").outcomes)

    for r in eval_responses(evaluation, 4):
        write(tmp_path / "eval", f"{r['id']}.json", r)
    report = EvaluationReport(outline=outline)
    report.folder_input.value = str(tmp_path / "eval")
    report.cohort_input.value = "mc-a"
    report.module_dd.value = "03"
    report.button.click()
    assert report.summary.shown and report.summary.n == 5


def test_evaluation_with_a_fixed_stage_hides_the_choice(store):
    from resilience_course.cohort.widgets import Evaluation

    before = Evaluation("03", stage="before", store=store)
    assert before.stage == "before" and before.stage_tb.layout.display == "none"
    assert before.react_box.layout.display == "none"  # the reaction survey comes after the module
    for ctl in before.conf_controls.values():
        ctl.value = ctl.options[-1][1]
    before.save_button.click()
    assert "Saved" in before.status_html.value
    after = Evaluation("03", stage="after", store=store)
    assert after.react_box.layout.display is None and "before" in after.saved_html.value
