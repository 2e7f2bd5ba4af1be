"""Session plans, the safe Markdown renderer and the facilitator's guide."""

from __future__ import annotations

import re

import pytest
import yaml
from resilience_course.cohort import facilitator as fac
from resilience_course.core.content import ContentError
from resilience_course.core.course import load_outline

from .helpers import HOSTILE


# -- session plans and the guide ------------------------------------------------------------------
def test_every_module_has_a_session_plan_of_about_ninety_minutes_with_lunch():
    outline = load_outline()
    plans = fac.load_sessions()["sessions"]
    assert list(plans) == [m.id for m in outline.modules]
    for plan in plans.values():
        assert abs(fac.session_minutes(plan) - fac.SESSION_MINUTES) <= fac.TOLERANCE
        assert any(t.get("lunch") for t in plan["timings"])
        html = fac.session_html(plan, outline)
        for part in ("Aim:", "Opening check-in", "Discussion prompts", "Group activity", "Closing reflection",
                     "Before the next session"):
            assert part in html
        md = fac.session_markdown(plan, outline)
        assert md.startswith("# Session ") and "lunch" in md.lower()


@pytest.mark.parametrize("change, words", [
    (lambda d: d["sessions"][0]["timings"].__setitem__(0, {"minutes": 60, "activity": "Long"}), "add up to"),
    (lambda d: [t.pop("lunch", None) for t in d["sessions"][0]["timings"]], "lunch"),
    (lambda d: d["sessions"].pop(), "no session plan for module(s) 07"),
    (lambda d: d["sessions"][1].__setitem__("module", "01"), "a second plan"),
    (lambda d: d["sessions"][1].__setitem__("module", "42"), "not in the course outline"),
])
def test_bad_session_plans_are_refused(tmp_path, change, words):
    data = yaml.safe_load(fac.sessions_path().read_text(encoding="utf-8"))
    change(data)
    p = tmp_path / "sessions.yml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(words)):
        fac.load_sessions(p, load_outline())


def test_markdown_is_rendered_safely():
    html = fac.render_markdown("# Title\n\nText with **bold** and " + HOSTILE + "\n\n- one\n- two\n\n1. a\n2. b\n\n"
                               "> quote\n\n[ok](https://example.org) [bad](javascript:alert(1))")
    assert html.startswith("<h2>Title</h2>")
    assert "<strong>bold</strong>" in html and "<ul><li>one</li><li>two</li></ul>" in html
    assert "<ol><li>a</li><li>b</li></ol>" in html and "<blockquote>" in html
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org">ok</a>' in html and 'href="javascript' not in html


def test_the_guide_covers_what_a_facilitator_needs():
    html = fac.guide_html()
    for words in ("Ground rules", "reflective practice", "Action learning", "After Action Review",
                  "If someone is distressed", "999", "support contacts"):
        assert words.lower() in html.lower()


def test_the_new_content_files_are_validated(root):
    from resilience_course.validate_all import content_files, validate_all

    kinds = {(p.name, s) for p, s in content_files(root)}
    assert {("sessions.yml", "sessions"), ("check-in.yml", "survey"), ("evaluation.yml", "survey")} <= kinds
    problems, _ = validate_all(root)
    assert not [p for p in problems if "facilitator" in p or "cohort" in p]
