"""The team report: hand-computed results, the rule of 5, order independence, escaping, charts."""

from __future__ import annotations

import html
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from resilience_course.benchmark import model as bm

from .helpers import FIDS, IIDS, files_of, raw, resp


# -- the team report: hand-computed results -----------------------------------------------------------
def _fixed_set():
    """Five responses; expected results worked out by hand in the test below."""
    ratings = {  # per response, per factor
        "support": [1, 2, 3, 4, 5],
        "training-and-development": [2, 2, 2, 4, 5],
        "recruitment": [5, 5, 5, 5, 5],
        "involvement-and-participation": [1, 1, 1, 2, 1],
        "client-relationships": [3, 3, 4, 4, 4],
        "health-and-wellbeing": [2, 3, 3, 3, 4],
        "culture": [1, 2, 2, 2, 3],
    }
    answers = {  # per response: 1a, 1b, 4c
        "1a": ["in_place", "in_place", "in_place", "partly", "not_in_place"],
        "1b": ["not_in_place", "not_in_place", "not_in_place", "dont_know", None],
        "4c": ["not_in_place", "not_in_place", "partly", "partly", "in_place"],
    }
    out = []
    for k in range(5):
        inds = {i: a[k] for i, a in answers.items() if a[k]}
        out.append(resp({f: v[k] for f, v in ratings.items()}, inds,
                        comments={"culture": f"comment {5 - k}"} if k < 2 else None))
    return out


def test_aggregate_fixed_set_matches_hand_computed_results():
    rep = bm.aggregate(files_of(_fixed_set()))
    assert rep.enough and rep.n_valid == 5 and rep.skipped == [] and (rep.team, rep.cycle) == ("north-hv",
                                                                                               "2025 spring")
    f = {x.id: x for x in rep.factors}
    # support 1..5: median 3, inclusive quartiles 2 and 4, range 1-5
    assert (f["support"].median, f["support"].q1, f["support"].q3, f["support"].low, f["support"].high) == \
        (3, 2, 4, 1, 5)
    assert (f["training-and-development"].median, f["training-and-development"].q1,
            f["training-and-development"].q3) == (2, 2, 4)
    assert f["involvement-and-participation"].rating_counts == {1: 4, 2: 1, 3: 0, 4: 0, 5: 0}
    ind = {i.id: i for x in rep.factors for i in x.indicators}
    assert ind["1a"].counts == {"in_place": 3, "partly": 1, "not_in_place": 1, "dont_know": 0, "no_answer": 0}
    assert ind["1a"].share_in_place == 3 / 5
    assert ind["1b"].counts == {"in_place": 0, "partly": 0, "not_in_place": 3, "dont_know": 1, "no_answer": 1}
    assert ind["1c"].counts["no_answer"] == 5
    # support: 3 "in place" answers over 5 responses x 11 indicators
    assert f["support"].share_in_place == pytest.approx(3 / 55)
    assert f["involvement-and-participation"].share_in_place == pytest.approx(1 / 35)
    # weakest first: medians 1 (involvement), 2 (training 0%, culture 0%: tie -> number), 3 (support 3/55,
    # health 0% -> health first), 4 (client), 5 (recruitment)
    assert [x.id for x in rep.ranking()] == ["involvement-and-participation", "training-and-development",
                                             "culture", "health-and-wellbeing", "support", "client-relationships",
                                             "recruitment"]
    # most often missing: 1b (3 not in place), then 4c (2 not, 2 partly), then 1a (1 not, 1 partly)
    assert [i.id for i in rep.most_missing()] == ["1b", "4c", "1a"]
    assert f["culture"].comments == ("comment 4", "comment 5")
    d = rep.to_dict()
    assert d["ranking"][0] == "involvement-and-participation" and d["most_missing"] == ["1b", "4c", "1a"]


def test_quartiles_interpolate_with_six_responses():
    values = [1, 1, 2, 3, 5, 5]
    rs = [resp({**{f: 3 for f in FIDS}, "support": v}) for v in values]
    s = next(f for f in bm.aggregate(files_of(rs)).factors if f.id == "support")
    # median (2 + 3) / 2; inclusive quartiles at positions 1.25 and 3.75 of the sorted list
    assert (s.median, s.q1, s.q3) == (2.5, 1.25, 4.5)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_threshold_at_four_five_and_six(n):
    rs = [resp(2 + (k % 3), {"3a": "not_in_place"}, comments={"recruitment": f"SECRET-{k}"}) for k in range(n)]
    rep = bm.aggregate(files_of(rs))
    d = rep.to_dict()
    page = bm.report_html(rep, charts=False)
    assert rep.n_valid == n and d["responses"] == n
    if n < 5:
        assert not rep.enough and rep.factors == [] and rep.needed == 5 - n
        assert {"factors", "ranking", "most_missing"}.isdisjoint(d)
        assert "SECRET" not in page and "Median" not in page and "not_in_place" not in json.dumps(d)
        assert f"{5 - n} more valid response(s) needed" in page
    else:
        assert rep.enough and rep.needed == 0 and len(d["factors"]) == 7
        assert sum(f"SECRET-{k}" in page for k in range(n)) == n
        assert "more valid response(s) needed" not in page


# -- properties ------------------------------------------------------------------------------------
answer = st.sampled_from([*bm.ANSWERS, None])
one_response = st.builds(
    lambda ratings, answers, team, comment: resp(dict(zip(FIDS, ratings)),
                                                 {i: a for i, a in zip(IIDS, answers) if a}, team=team,
                                                 comments={"support": comment} if comment else None),
    st.lists(st.integers(1, 5), min_size=7, max_size=7),
    st.lists(answer, min_size=60, max_size=60),
    st.sampled_from(["north", "south"]),
    st.sampled_from(["", "too few staff", "<b>more</b> time"]),
)
bad_file = st.sampled_from([b"", b"[]", b"\xff\xfe", b'{"format": "x"}', b"{" * 10])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(one_response, min_size=0, max_size=12), st.lists(bad_file, max_size=3), st.randoms())
def test_report_does_not_depend_on_the_order_of_files(responses, bads, rnd):
    files = files_of(responses) + [(f"bad{n}.json", b) for n, b in enumerate(bads)]
    if responses:  # a duplicate and an older revision too
        files.append(("zz-dup.json", raw(responses[0])))
    expected = bm.aggregate(files)
    shuffled = list(files)
    rnd.shuffle(shuffled)
    again = bm.aggregate(shuffled)
    assert again.to_dict() == expected.to_dict()
    assert bm.report_html(again, charts=False) == bm.report_html(expected, charts=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(one_response, min_size=0, max_size=9), st.sampled_from([None, "north", "south"]))
def test_a_group_under_five_is_never_revealed(responses, team):
    for r in responses:
        r["comments"] = {"culture": f"HIDDEN{r['response_id']}"}
    rep = bm.aggregate(files_of(responses), team=team)
    group = [r for r in responses if r["team"] == rep.team]
    assert rep.n_valid == len(group)
    page = bm.report_html(rep, charts=False)
    d = json.dumps(rep.to_dict())
    if len(group) < bm.MIN_GROUP:
        assert not rep.enough and rep.factors == []
        assert "HIDDEN" not in page and "HIDDEN" not in d and "median" not in d and "Median" not in page
        assert "in_place" not in d
    else:
        assert all(f"HIDDEN{r['response_id']}" in page for r in group)
    # files of another team never reach the report, whatever its size
    assert not any(f"HIDDEN{r['response_id']}" in page for r in responses if r["team"] != rep.team)


def test_threshold_cannot_be_set_below_five():
    rep = bm.aggregate(files_of([resp() for _ in range(3)]), threshold=2)
    assert rep.threshold == 5 and not rep.enough and rep.factors == []


# -- escaping ----------------------------------------------------------------------------------------
HOSTILE = ["<script>alert('x')</script>", '"><img src=x onerror=alert(1)>', "&lt;already&gt; & <b>"]


def test_report_html_escapes_hostile_comments_and_file_names():
    rs = [resp(3, comments={"support": HOSTILE[k % 3]}) for k in range(6)]
    files = files_of(rs) + [("<img src=x onerror=alert(2)>.json", b"nope")]
    rep = bm.aggregate(files)
    page = bm.report_document(rep)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>" not in page
    assert html.escape(HOSTILE[0]) in page and html.escape(HOSTILE[1]) in page
    assert "&amp;lt;already&amp;gt; &amp; &lt;b&gt;" in page
    assert html.escape("<img src=x onerror=alert(2)>.json") in page


# -- charts -----------------------------------------------------------------------------------------
def test_report_has_charts_with_alt_text_and_tables():
    rep = bm.aggregate(files_of(_fixed_set()))
    page = bm.report_html(rep)
    assert page.count("<img") == 3 and page.count('alt="') == 3
    assert 'alt="Bar chart: Median rating per factor.' in page and "4. Involvement and participation 1" in page
    assert 'alt="Range chart: How widely the ratings spread.' in page
    assert "1. Support: median 3, middle half 2 to 4, range 1 to 5" in page
    assert page.count("Show the data as a table") == 3


def test_range_chart_alt_and_table():
    from resilience_course.core.charts import range_chart

    c = range_chart("Spread", ["A", "B"], [1, 2], [1.5, 2], [2, 3], [3, 4], [5, 4], "Rating", (0, 6))
    assert c.png.startswith(b"\x89PNG")
    assert "A: median 2, middle half 1.5 to 3, range 1 to 5" in c.alt and "B: median 3" in c.alt
    assert "<th scope=\"row\">B</th><td>2</td><td>2</td><td>3</td><td>4</td><td>4</td>" in c.table_html
