"""The action plan widget."""

from __future__ import annotations

import html

from resilience_course.benchmark import model as bm

from .helpers import write_team


def test_action_plan_widget_uses_the_report_and_writes_previewed_files(store, tmp_path):
    from resilience_course.benchmark.widgets import ActionPlan, BenchmarkSession

    session = BenchmarkSession()
    plan = ActionPlan(store=store, session=session, folder=tmp_path)
    assert plan.factor_dropdown.value == "support"  # no report: the tool's order
    write_team(tmp_path / "resp", 5, low="recruitment")
    session.report = bm.aggregate_folder(tmp_path / "resp")
    labels = [lab for lab, _v in plan.factor_dropdown.options]
    assert labels[0] == "3. Recruitment (weakest 1)" and (plan.team, plan.cycle) == ("north-hv", "2025 spring")
    plan.factor_dropdown.value = "culture"
    assert plan.indicator_dropdown.value == "7b"  # 7a is in place for everyone; 7b first of the rest
    plan.indicator_dropdown.value = "7c"
    assert "0 of 5 said in place, 5 not in place" in plan.indicator_html.value
    plan.add_button.click()
    assert "what will be done" in plan.message_html.value and plan.actions == []
    plan.action_text.value = "Run a courageous conversations workshop"
    plan.owner_dropdown.value = "__other__"
    plan.owner_text.value = "Practice development nurse"
    plan.due_text.value = "2025-09-01"
    plan.review_text.value = "2025-08-01"
    plan.add_button.click()
    assert "on or after" in plan.message_html.value
    plan.review_text.value = "2025-12-01"
    plan.add_button.click()
    assert len(plan.actions) == 1 and plan.actions[0]["owner"] == "Practice development nurse"
    plan.write_button.click()
    assert not list(tmp_path.glob("action-plan-*"))
    plan.preview_button.click()
    assert plan.preview and html.escape(plan.preview["csv"]) in plan.preview_html.value
    plan.write_button.click()
    csv_path = tmp_path / "action-plan-north-hv-2025-spring.csv"
    html_path = tmp_path / "action-plan-north-hv-2025-spring.html"
    assert csv_path.read_bytes() == plan.preview["csv"].encode() == bm.plan_csv(plan._plan())
    assert html_path.read_bytes() == plan.preview["html"].encode()
    # the plan is kept on this computer
    again = ActionPlan(store=store, session=BenchmarkSession(), folder=tmp_path)
    assert again.actions == plan.actions and again.team == "north-hv"
    again.remove_dropdown.value = 0
    again.remove_button.click()
    assert again.actions == [] and ActionPlan(store=store, session=BenchmarkSession()).actions == []
