"""The facilitator's pack widget."""

from __future__ import annotations

from resilience_course.cohort import facilitator as fac


def test_facilitator_pack_shows_plans_the_guide_and_contacts(tmp_path):
    from resilience_course.cohort.widgets import FacilitatorPack

    w = FacilitatorPack(folder=str(tmp_path / "plans"))
    guide = w.children[-1].value
    assert "Ground rules" in guide and "Samaritans" in guide
    assert w.write() is None
    w.chooser.value = "07"
    plan = fac.session_for("07")
    assert plan["aim"].split()[0] in w.plan_html.value
    w.write_button.click()
    [page] = (tmp_path / "plans").iterdir()
    assert page.name == "session-07.html" and "<!DOCTYPE html>" in page.read_text()
