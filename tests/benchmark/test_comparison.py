"""Comparing two cycles of one team."""

from __future__ import annotations

import json

import pytest
from resilience_course.benchmark import model as bm

from .helpers import FIDS, files_of, resp


# -- comparing cycles -----------------------------------------------------------------------------------
def test_compare_directions_per_factor_and_indicator(tmp_path):
    before = bm.aggregate(files_of([resp({**{f: 3 for f in FIDS}, "support": 2, "culture": 4},
                                         {"1a": "not_in_place", "7a": "in_place"}, cycle="c1")
                                    for _ in range(5)]))
    after = bm.aggregate(files_of([resp({**{f: 3 for f in FIDS}, "support": 4, "culture": 2},
                                        {"1a": "in_place" if k < 3 else "partly", "7a": "partly"}, cycle="c2")
                                   for k in range(6)]))
    bm.write_report(before, tmp_path / "c1")
    cmp = bm.compare(bm.load_report(tmp_path / "c1" / "report.json"), after)
    f = {x["id"]: x for x in cmp["factors"]}
    assert (f["support"]["before"], f["support"]["after"], f["support"]["direction"]) == (2, 4, "improved")
    assert (f["culture"]["change"], f["culture"]["direction"]) == (-2, "worse")
    assert f["recruitment"]["direction"] == "same" and len(cmp["factors"]) == 7 and len(cmp["indicators"]) == 60
    i = {x["id"]: x for x in cmp["indicators"]}
    assert (i["1a"]["before"], i["1a"]["after"], i["1a"]["direction"]) == (0, 0.5, "improved")
    assert (i["7a"]["change"], i["7a"]["direction"]) == (-1, "worse") and i["2a"]["direction"] == "same"
    assert (cmp["earlier"], cmp["later"], cmp["responses"]) == ("c1", "c2", [5, 6])
    page = bm.comparison_html(cmp)
    assert "1 improved, 5 the same, 1 worse" in page and 'alt="Bar chart: Change in median' in page


def test_compare_refuses_small_groups_other_teams_and_bad_files(tmp_path):
    big = bm.aggregate(files_of([resp() for _ in range(5)]))
    small = bm.aggregate(files_of([resp() for _ in range(4)]))
    other = bm.aggregate(files_of([resp(team="south") for _ in range(5)]))
    with pytest.raises(bm.ReportError, match="fewer than 5"):
        bm.compare(small, big)
    with pytest.raises(bm.ReportError, match="different teams"):
        bm.compare(big, other)
    assert bm.compare(big, big)["notes"]  # same cycle twice is allowed but flagged
    (tmp_path / "x.json").write_bytes(b"\x00\x01")
    (tmp_path / "fake.json").write_text(json.dumps({"format": bm.REPORT_FORMAT, "format_version": 1,
                                                    "enough": True, "factors": [{"id": "x"}]}))
    for name, words in [("x.json", "not a JSON team report"), ("fake.json", "incomplete"),
                        ("missing.json", "does not exist")]:
        with pytest.raises(bm.ReportError, match=words):
            bm.load_report(tmp_path / name)
