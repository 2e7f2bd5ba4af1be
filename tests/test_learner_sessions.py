"""Issue 15: session plans print their outcomes and materials, and say "shared lunch" once."""

from __future__ import annotations

from resilience_course.cohort.facilitator import load_sessions, session_html, session_markdown, session_page


def test_session_plans_print_outcomes_and_materials_and_name_lunch_once():
    plans = load_sessions()["sessions"]
    for plan in plans.values():
        html = session_html(plan)
        assert "<details" not in html, "outcomes inside a closed <details> do not print"
        assert "The module's learning outcomes</h4><ul><li>" in html
        assert "What to bring</h4><ul><li>" in html and all(m.replace("'", "&#x27;") in html or m in html
                                                          for m in plan["materials"][:1])
        page = session_page(plan)
        assert page.lower().count("lunch together") == 1
        assert "shared lunch)" not in page or "Lunch together" not in page
        md = session_markdown(plan)
        assert "## The module's learning outcomes" in md and "## What to bring" in md
        assert md.count("shared lunch") <= 1
