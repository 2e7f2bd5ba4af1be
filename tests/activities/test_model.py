"""Activities (activities/model.py): every sort activity in the course marks right, wrong and partial
answers (the modules are read from course/course.yml)."""

from __future__ import annotations

import pytest
from resilience_course.activities.model import load_activities, mark_sort
from resilience_course.core.course import load_outline

MODULES = [m.id for m in load_outline().modules]  # every module in course/course.yml


def sort_activities():
    out = []
    for mid in MODULES:
        out += [(mid, a) for a in load_activities(mid).values() if a["type"] == "sort"]
    return out


SORTS = sort_activities()


@pytest.mark.parametrize("mid,act", SORTS, ids=[f"{m}-{a['id']}" for m, a in SORTS])
def test_sort_marks_right_wrong_and_partial(mid, act):
    cats = [c["id"] for c in act["categories"]]
    right = {i["id"]: i["category"] for i in act["items"]}
    if "not every" not in act["instructions"].lower():  # unless the learner is told some categories stay empty
        assert set(right.values()) == set(cats), "every category has at least one item"
    assert all(mark_sort(act, right).values()) and len(mark_sort(act, right)) == len(right)
    wrong = {k: cats[(cats.index(v) + 1) % len(cats)] for k, v in right.items()}
    assert not any(mark_sort(act, wrong).values())
    first = next(iter(right))
    assert mark_sort(act, {first: right[first]}) == {first: True}
    with pytest.raises(ValueError):
        mark_sort(act, {"no-such-item": cats[0]})
