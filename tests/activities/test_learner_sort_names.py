"""Issue 15: a sort activity's drop-downs are named by their statement, not "Statement 1"."""

from __future__ import annotations

from resilience_course.activities.model import activity
from resilience_course.activities.widgets import Sorter


def test_sort_dropdowns_are_named_by_their_statement():
    act = activity("04", "circle-of-influence")
    w = Sorter(act)
    for n, item in enumerate(act["items"], start=1):
        dd = w.dropdowns[item["id"]]
        assert dd.description == f"{n}. {item['text']}"
        assert not dd.description.startswith("Statement")
