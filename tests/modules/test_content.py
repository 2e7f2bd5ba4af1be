"""Every module of course/course.yml: question bank, activities, reflections and the knowledge check.

The module list is read from course/course.yml, so a new module is checked as soon as it is listed.
Module-specific facts checked against the guide are in tests/test_source_facts.py.
"""

from __future__ import annotations

import pytest
from resilience_course.activities.model import load_activities
from resilience_course.knowledge.model import load_bank, mark

from .helpers import MODULE_IDS, module, notebooks, rc_calls


def test_the_module_list_comes_from_the_course_outline():
    assert MODULE_IDS == [f"{n:02d}" for n in range(1, len(MODULE_IDS) + 1)] and len(MODULE_IDS) >= 7


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_bank_loads_and_covers_every_outcome(mid):
    bank = load_bank(mid)
    assert len(bank) >= 8, "aim for at least eight questions"
    assert {q.type for q in bank} == {"single", "multiple"}, "use both single and multiple answer questions"
    assert all(q.source for q in bank), "every question says where in the guide its answer is"
    outcomes = {o["id"] for o in module(mid).outcomes}
    assert 3 <= len(outcomes) <= 5
    asked = {q.outcome for q in bank}
    assert outcomes == asked, f"outcomes without a question: {sorted(outcomes - asked)}"


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_every_option_has_its_own_feedback_and_marks(mid):
    for q in load_bank(mid):
        feedback = [o["feedback"].strip() for o in q.options]
        assert all(len(f) > 15 and len(f.split()) >= 4 for f in feedback), f"{q.id}: say why for every option"
        assert len(set(feedback)) == len(feedback), f"{q.id}: each option needs its own feedback"
        assert mark(q, q.correct).verdict == "correct"
        for o in q.options:
            if o["id"] not in q.correct:
                assert mark(q, {o["id"]}).verdict == "wrong", f"{q.id}: option {o['id']} should be wrong"


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_section_minutes_add_up(mid):
    m = module(mid)
    assert sum(s.minutes for s in m.sections) == m.minutes


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_activities_load_and_are_all_used(mid):
    acts = load_activities(mid)
    assert len(acts) >= 2 and {"sort", "form"} <= {a["type"] for a in acts.values()}
    used = []
    for sec, nb in notebooks(mid):
        for name, args in rc_calls(nb):
            if name == "activity":
                assert args[0] == mid, f"{sec.id} uses an activity of another module"
                assert args[1] in acts, f"{sec.id} uses unknown activity {args[1]!r}"
                used.append(args[1])
    assert set(used) == set(acts), f"activities defined but never used: {sorted(set(acts) - set(used))}"


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_reflections_and_one_knowledge_check_in_the_last_section(mid):
    reflections, checks = [], []
    for sec, nb in notebooks(mid):
        for name, args in rc_calls(nb):
            if name == "reflection":
                assert args[0] == mid, f"{sec.id}: a reflection filed under another module"
                reflections.append(args[1])
            if name == "knowledge_check":
                checks.append((sec.id, args))
    assert len(reflections) >= 3
    assert len(set(reflections)) == len(reflections), "reflection prompt ids must be unique within a module"
    assert checks == [(module(mid).sections[-1].id, [mid])]
