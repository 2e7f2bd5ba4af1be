"""The action plan: checked actions, CSV and HTML."""

from __future__ import annotations

import csv
import io

import pytest
from resilience_course.benchmark import model as bm

from .helpers import TOOL


# -- action plans -------------------------------------------------------------------------------------
def test_check_action_rules():
    ok = {"factor": "culture", "indicator": "7d", "action": " Book  training ", "owner": "Team leader",
          "due": "2025-05-01", "review": "2025-05-01"}
    assert bm.check_action(ok)["action"] == "Book training"
    for change, words in [({"factor": "pay"}, "choose a factor"), ({"indicator": "1a"}, "this factor's"),
                          ({"action": "  "}, "what will be done"), ({"owner": ""}, "role"),
                          ({"owner": "x" * 61}, "60 characters"), ({"due": "31/02/2025"}, "day, month, year"),
                          ({"review": "2025-04-30"}, "on or after the due date"),
                          ({"action": "a" * 501}, "500 characters")]:
        with pytest.raises(bm.PlanError, match=words.replace("(", r"\(")):
            bm.check_action({**ok, **change})


def test_plan_csv_and_html():
    plan = {"team": "north-hv", "cycle": "2025 spring", "actions": [
        bm.check_action({"factor": "support", "indicator": "1e", "action": "=HYPERLINK(\"http://x\")",
                         "owner": "Clinical lead", "due": "2025-06-30", "review": "2025-09-30"}),
        bm.check_action({"factor": "culture", "indicator": "7h", "action": "<script>x</script>, \"quoted\"",
                         "owner": "Team leader", "due": "2025-07-01", "review": "2025-10-01"}),
    ]}
    rows = list(csv.reader(io.StringIO(bm.plan_csv(plan).decode("utf-8"))))
    assert rows[0] == bm.PLAN_HEADERS and len(rows) == 3
    assert rows[1][:4] == ["north-hv", "2025 spring", "1. Support", "1e"]
    assert rows[1][4] == TOOL.indicator("1e").text
    assert rows[1][5] == "'=HYPERLINK(\"http://x\")"  # not run as a formula by a spreadsheet
    assert rows[2][5] == "<script>x</script>, \"quoted\"" and rows[2][6:] == ["Team leader", "2025-07-01",
                                                                               "2025-10-01"]
    page = bm.plan_html(plan).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script>x" not in page and "&lt;script&gt;x" in page
    assert page.count("<tr>") == 3 and "Owner (role)" in page
