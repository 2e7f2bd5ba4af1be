"""Every activity of every module (modules read from course/course.yml) builds its widget, and a sort
can be answered fully."""

from __future__ import annotations

from pathlib import Path

import pytest
from resilience_course.activities.model import load_activities
from resilience_course.core.course import load_outline

ROOT = Path(__file__).resolve().parents[2]
MODULES = tuple(m.id for m in load_outline(ROOT).modules)  # every module in course/course.yml


def _module(mid):
    return load_outline(ROOT).module(mid)


def _folder(mid) -> Path:
    return ROOT / _module(mid).folder


@pytest.mark.parametrize("mid", MODULES)
def test_every_activity_builds_and_sorts_can_be_answered_fully(mid, store):
    from resilience_course.activities.widgets import Explorer, JournalForm, Sorter, make_activity

    for aid, act in load_activities(_folder(mid) / "activities.yml").items():
        w = make_activity(mid, aid, store=store)
        if act["type"] == "sort":
            assert isinstance(w, Sorter)
            for item in act["items"]:
                w.dropdowns[item["id"]].value = item["category"]
            w.check_button.click()
            n = len(act["items"])
            assert w.score == (n, n)
            assert f"{n} of {n} placed correctly" in w.feedback_html.value
        elif act["type"] == "explore":
            assert isinstance(w, Explorer)
            last = act["entries"][-1]
            w.chooser.value = last["id"]
            assert w.selected == last["id"]
        else:
            assert isinstance(w, JournalForm)
            first = act["fields"][0]["id"]
            w.boxes[first].value = "A note about themes, no names."
            w.save_button.click()
            assert len(w.entries()) == 1
