"""A knowledge check answered wrong then right, and a reflection that is still there after a reload.

The pages are found in the course itself: the first module page whose code calls
``rc.knowledge_check(`` and the first page calling ``rc.reflection(``. Once any module page exists,
a missing knowledge check or reflection is a failure, not a skip.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, describe_violations, notebooks_calling, published_pages, run_axe, wait_rendered

MODULE_PAGES = [p for p in published_pages() if p.startswith("modules/")]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def first_page_calling(call: str, folders=("modules",)) -> str:
    if not MODULE_PAGES:
        pytest.skip("no module pages have been written yet")
    pages = notebooks_calling(call, folders)
    assert pages, f"module pages exist but none calls {call}"
    return pages[0]


def option_button(question, text: str):
    """The button for the answer option with exactly this text."""
    return question.locator(".rc-choices button").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def test_knowledge_check_wrong_then_right(visit):
    page_path = first_page_calling("rc.knowledge_check(")
    nb = json.loads((ROOT / page_path).read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    module = re.search(r"rc\.knowledge_check\(\s*[\"'](\d+)[\"']", source).group(1)
    from resilience_course.knowledge.model import load_bank

    bank = load_bank(module)
    page = visit.open(page_path)
    question = page.locator(".rc-question").first
    stem = normalise(question.locator(".rc-item-text").first.inner_text())
    q = next((x for x in bank if normalise(x.stem) == stem), None)
    assert q is not None, f"the first question on {page_path} ({stem!r}) is not in module {module}'s bank"
    wrong = next(o for o in q.options if o["id"] not in q.correct)
    feedback = question.locator("[role=alert]")
    check = question.get_by_role("button", name="Check my answer")

    option_button(question, wrong["text"]).click()
    check.click()
    expect(feedback).to_contain_text("Not quite.")
    expect(feedback).to_contain_text(normalise(wrong["feedback"]))

    if q.type == "multiple":
        option_button(question, wrong["text"]).click()  # take the wrong answer back
    for o in q.options:
        if o["id"] in q.correct:
            option_button(question, o["text"]).click()
    check.click()
    expect(feedback).to_contain_text("Correct.")
    expect(feedback).not_to_contain_text("Not quite.")
    right = next(o for o in q.options if o["id"] in q.correct)
    expect(feedback).to_contain_text(normalise(right["feedback"]))
    expect(page.locator(".rc-knowledge-check .rc-progress").first).to_contain_text("1 of")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_reflection_is_saved_and_shown_after_a_reload(visit):
    page_path = first_page_calling("rc.reflection(", folders=("modules", "course"))
    page = visit.open(page_path)
    reflection = page.locator(".rc-reflection").first
    text = f"A walk at lunchtime helped me reset ({uuid.uuid4().hex[:8]})."
    reflection.locator("textarea").fill(text)
    reflection.get_by_role("button", name="Save to my journal").click()
    expect(reflection).to_contain_text("Saved to your journal")
    expect(reflection.locator("textarea")).to_have_value("")
    page.reload()
    wait_rendered(page)
    reflection = page.locator(".rc-reflection").first
    reflection.locator("details summary").click()
    expect(reflection.locator("details li", has_text=text)).to_be_visible()
