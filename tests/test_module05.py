"""Module 5 (the menu of models of support): content and notebook checks.

The question bank and activities load and cover every outcome with feedback for every option; the
notebooks start with the one import and their own header, end with their own footer, use every
activity and the module's tools; the last section has a summary, key points and the guide's links
marked external; and the activities agree with the menu of models (engine/support.py).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from resilience_course.activities.model import load_activities, mark_sort
from resilience_course.core.course import load_outline
from resilience_course.knowledge.model import load_bank, mark
from resilience_course.support.menu import load_models

MID = "05"
GUIDE = Path(__file__).resolve().parents[2] / "shared" / "source" / "resilience-framework-guide.txt"
# The four After Action Review questions as the guide gives them (iHV, 2015), numbered in order.
AAR_FOUR = {
    1: "What did you expect to happen?",
    2: "What happened?",
    3: "What was the difference?",
    4: "What did you learn?",
}


def module():
    return load_outline().module(MID)


def notebooks(root):
    return [(s, root / s.path) for s in module().sections]


def cells(path: Path, kind: str) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == kind
    ]


def rc_calls(path: Path) -> list[tuple[str, list]]:
    out = []
    for src in cells(path, "code"):
        for node in ast.walk(ast.parse(src)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "rc"
            ):
                out.append((node.func.attr, [ast.literal_eval(a) for a in node.args]))
    return out


# ---------------------------------------------------------------- bank and activities


def test_bank_and_activities_load():
    bank = load_bank(MID)
    acts = load_activities(MID)
    assert len(bank) >= 8
    assert {q.type for q in bank} == {"single", "multiple"}
    kinds = [a["type"] for a in acts.values()]
    assert len(acts) >= 2 and "sort" in kinds and "form" in kinds


def test_every_outcome_has_a_question():
    outcomes = {o["id"] for o in module().outcomes}
    assert outcomes == {"5.1", "5.2", "5.3", "5.4"}
    asked = {q.outcome for q in load_bank(MID)}
    assert outcomes <= asked, f"outcomes without a question: {sorted(outcomes - asked)}"


def test_every_option_has_its_own_feedback_and_marks():
    for q in load_bank(MID):
        feedback = [o["feedback"].strip() for o in q.options]
        assert all(len(f) > 15 for f in feedback), f"{q.id}: say why for every option"
        assert len(set(feedback)) == len(feedback), f"{q.id}: each option needs its own feedback"
        assert mark(q, q.correct).verdict == "correct"
        for o in q.options:
            if o["id"] not in q.correct:
                assert mark(q, {o["id"]}).verdict == "wrong", f"{q.id}: option {o['id']} should be wrong"


def test_aar_question_lists_the_four_questions():
    q = next(q for q in load_bank(MID) if q.id == "aar-questions")
    right = {q.option(o)["text"] for o in q.correct}
    assert right == set(AAR_FOUR.values())


def test_section_minutes_add_up():
    m = module()
    assert sum(s.minutes for s in m.sections) == m.minutes


def test_practicalities_sort_agrees_with_the_menu():
    menu = load_models()
    act = load_activities(MID)["match-practicalities"]
    entries = {e.id: e for e in menu.entries()}
    for cat in act["categories"]:
        assert cat["id"] in entries, f"{cat['id']} is not a model or variant in the menu"
        assert cat["label"] == entries[cat["id"]].name
    right = {i["id"]: i["category"] for i in act["items"]}
    assert all(mark_sort(act, right).values())
    wrong = dict(right, **{"three-monthly": "coaching"})
    assert mark_sort(act, wrong)["three-monthly"] is False


def test_supervision_sort_uses_the_three_functions():
    act = load_activities(MID)["supervision-functions"]
    assert [c["id"] for c in act["categories"]] == ["restorative", "normative", "formative"]
    assert {i["category"] for i in act["items"]} == {"restorative", "normative", "formative"}


# ---------------------------------------------------------------- notebooks


def test_notebooks_open_and_close_for_their_own_section(root):
    for sec, path in notebooks(root):
        assert path.is_file(), f"{sec.path} is missing"
        code = cells(path, "code")
        assert code[0].strip() == "import resilience_course as rc"
        assert code[1].strip() == f'rc.header("{sec.id}")'
        assert code[-1].strip() == f'rc.footer("{sec.id}")'
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["cells"][-1]["cell_type"] == "code", f"{path.name}: the footer is the last cell"
        text = "\n".join(cells(path, "markdown"))
        assert not re.search(r"^# ", text, re.M), f"{path.name}: the h1 comes from rc.header"
        assert "](" not in text.replace("](https://bit.ly/", ""), (
            f"{path.name}: no hand-written section links"
        )


def test_notebooks_use_every_activity_and_the_tools(root):
    acts = load_activities(MID)
    calls = {path.name: rc_calls(path) for _s, path in notebooks(root)}
    used = [args[1] for c in calls.values() for name, args in c if name == "activity"]
    assert all(args[0] == MID for c in calls.values() for name, args in c if name == "activity")
    assert sorted(used) == sorted(acts), "each activity shown once"
    assert ("models_of_support", []) in calls["05.01-the-menu.ipynb"]
    assert ("support_finder", []) in calls["05.02-support-finder.ipynb"]
    assert ("after_action_review", []) in calls["05.03-after-action-review.ipynb"]


def test_reflections_and_knowledge_check(root):
    reflections, checks = [], []
    for _s, path in notebooks(root):
        for name, args in rc_calls(path):
            if name == "reflection":
                assert args[0] == MID
                reflections.append(args[1])
            if name == "knowledge_check":
                checks.append(args[0])
    assert len(reflections) >= 3 and len(set(reflections)) == len(reflections)
    assert checks == [MID]


def test_last_section_ends_with_summary_and_external_resources(root):
    _s, last = notebooks(root)[-1]
    text = "\n".join(cells(last, "markdown"))
    for heading in ("## Summary", "## Key points", "## Further resources"):
        assert heading in text
    links = re.findall(r"\]\(https://bit\.ly/(\w+)\) \(external link\)", text)
    assert len(links) >= 10
    assert len(re.findall(r"\]\(https://", text)) == len(links), "every link is marked external"
    if GUIDE.is_file():
        guide = GUIDE.read_text(encoding="utf-8")
        assert all(f"bit.ly/{code}" in guide for code in links), "links come from the guide"


def test_aar_section_lists_the_four_questions_in_order(root):
    path = root / module().sections[3].path
    text = "\n".join(cells(path, "markdown"))
    found = re.findall(r"^\d\. (What [^?]+\?)$", text, re.M)
    assert found == [AAR_FOUR[n] for n in sorted(AAR_FOUR)]


@pytest.mark.parametrize("fact", ["every three months", "about five members", "monthly", "up to 12"])
def test_module_teaches_the_practicalities(root, fact):
    text = " ".join("\n".join(cells(p, "markdown")) for _s, p in notebooks(root)).lower()
    assert fact in text


def test_the_tool_asks_the_guides_four_questions():
    from resilience_course.support.aar import AAR_QUESTIONS

    assert [q for _field, q, _hint in AAR_QUESTIONS] == [AAR_FOUR[n] for n in sorted(AAR_FOUR)]
    assert [field for field, _q, _hint in AAR_QUESTIONS] == ["expected", "happened", "difference", "learned"]
    if GUIDE.is_file():
        guide = re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))
        assert " ".join(AAR_FOUR[n] for n in sorted(AAR_FOUR)) in guide, "the questions are the guide's own"
