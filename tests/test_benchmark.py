"""The organisational benchmarking tool: factors data, responses, team report, action plan, cycles, CLI."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import random
import secrets

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from resilience_course.benchmark import model as bm
from resilience_course.cli import main
from resilience_course.core.content import ContentError, load_schema, package_data
from traitlets import TraitError

TOOL = bm.load_factors()
FIDS = list(TOOL.factor_ids)
IIDS = list(TOOL.indicator_ids)


def resp(ratings=3, indicators=None, team="north-hv", cycle="2025 spring", comments=None, rid=None, revision=1):
    """A valid response dict; ``ratings`` is one value for every factor or a dict."""
    if not isinstance(ratings, dict):
        ratings = {f: ratings for f in FIDS}
    return {"format": bm.FORMAT, "format_version": bm.FORMAT_VERSION, "tool_version": TOOL.version,
            "response_id": rid or secrets.token_hex(16), "revision": revision, "team": team, "cycle": cycle,
            "ratings": dict(ratings), "indicators": dict(indicators or {}), "comments": dict(comments or {})}


def raw(r) -> bytes:
    return json.dumps(r).encode("utf-8")


def files_of(responses, prefix="r"):
    return [(f"{prefix}{n:03d}.json", raw(r)) for n, r in enumerate(responses)]


# -- the factors ------------------------------------------------------------------------------------
def test_seven_factors_sixty_indicators_letters_in_order():
    assert [f.number for f in TOOL.factors] == [1, 2, 3, 4, 5, 6, 7]
    titles = {7: "Culture", 6: "Health and wellbeing", 5: "Client relationships", 4: "Involvement and participation",
              3: "Recruitment", 2: "Training and development", 1: "Support"}
    assert {f.number: f.title for f in TOOL.factors} == titles
    assert [len(f.indicators) for f in TOOL.factors] == [11, 9, 6, 7, 9, 9, 9]
    assert len(IIDS) == len(set(IIDS)) == 60
    for f in TOOL.factors:
        letters = [i.letter for i in f.indicators]
        assert letters == list("abcdefghijk"[: len(letters)])
        assert all(i.id == f"{f.number}{i.letter}" and i.factor_id == f.id for i in f.indicators)
    assert [s["value"] for s in TOOL.scale] == [1, 2, 3, 4, 5] and all(s["label"] for s in TOOL.scale)
    assert "prototype" in TOOL.note and "tested" in TOOL.note
    assert "Stansfield" in TOOL.introduction and "Essence of Care" in TOOL.introduction


def _mutated(tmp_path, change):
    data = yaml.safe_load(package_data("benchmark-factors.yml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "factors.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, entry, words", [
    (lambda d: d["factors"].pop(), "factors", "7 factors"),
    (lambda d: d["factors"][2]["indicators"].pop(1), "factors[2].indicators[1].letter", "in order"),
    (lambda d: d["factors"][2]["indicators"].pop(), "factors[2].indicators", "6 indicators"),
    (lambda d: d["factors"][1].update(number=1), "factors[1].number", "expected 2"),
    (lambda d: d["factors"][3].update(id="support"), "factors[3].id", "duplicate"),
    (lambda d: d["rating_scale"].reverse(), "rating_scale", "in order"),
    (lambda d: d["factors"][0]["indicators"][0].update(letter="A"), "factors[0].indicators[0].letter", ""),
])
def test_loader_names_file_entry_and_reason(tmp_path, change, entry, words):
    path = _mutated(tmp_path, change)
    with pytest.raises(ContentError) as exc:
        bm.load_factors(path)
    assert exc.value.entry == entry and str(path) in str(exc.value) and words in exc.value.reason


def test_factors_file_is_checked_by_validate_all():
    from resilience_course.validate_all import content_files, validate_all

    assert (package_data("benchmark-factors.yml"), "benchmark") in content_files()
    problems, _count = validate_all()
    assert not [p for p in problems if "benchmark" in p]


# -- responses --------------------------------------------------------------------------------------
def test_exported_response_has_no_name_and_matches_the_response_schema():
    import jsonschema

    r = bm.check_response(resp(indicators={"1a": "in_place", "7i": "dont_know"}, comments={"culture": " ok "}))
    data = json.loads(bm.response_bytes(r))
    jsonschema.Draft202012Validator(load_schema("benchmark-response")).validate(data)
    assert set(data) == bm.RESPONSE_KEYS and "name" not in json.dumps(data).lower()
    assert data["comments"] == {"culture": "ok"} and len(data["response_id"]) == 32
    fresh = [bm.new_response(TOOL)["response_id"] for _ in range(50)]
    assert len(set(fresh)) == 50


def test_response_file_bytes_are_written_exactly(tmp_path):
    r = bm.check_response(resp(indicators={"2b": "partly"}, comments={"support": "café – “quoted”"}))
    data = bm.response_bytes(r)
    path = bm.write_bytes(data, tmp_path / bm.response_filename(r))
    assert path.read_bytes() == data
    assert bm.read_response(path.name, path.read_bytes()) == r
    assert bm.write_bytes(data, path) == path  # the same bytes again: fine
    with pytest.raises(FileExistsError):
        bm.write_bytes(data + b" ", path)
    with pytest.raises(FileNotFoundError):
        bm.write_bytes(data, tmp_path / "missing" / "x.json")


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


# -- bad files ---------------------------------------------------------------------------------------
def _bad_files():
    good = resp()

    def edited(**changes):
        r = copy.deepcopy(good)
        r["response_id"] = secrets.token_hex(16)
        for k, v in changes.items():
            if v is KeyError:
                r.pop(k)
            else:
                r[k] = v
        return raw(r)

    deep = ("[" * 100000 + "]" * 100000).encode()
    return {
        "binary.json": (bytes(range(256)) * 4, "not text"),
        "nul.json": (b'{"a":\x00}', "not text"),
        "huge.json": (b" " * (bm.MAX_FILE_BYTES + 10), "too large"),
        "empty.json": (b"", "empty"),
        "notjson.json": (b"{'single': 'quotes'}", "not valid JSON"),
        "deep.json": (deep, "not valid JSON"),
        "utf16.json": (json.dumps(good).encode("utf-16"), "not text"),
        "array.json": (b"[1, 2, 3]", "JSON list"),
        "string.json": (b'"hello"', "JSON str"),
        "otherformat.json": (edited(format="something-else"), "not a benchmarking response"),
        "report.json": (json.dumps({"format": bm.REPORT_FORMAT}).encode(), "team report"),
        "v2.json": (edited(format_version=2), "format version 2"),
        "vstring.json": (edited(format_version="1"), "format version"),
        "vbool.json": (edited(format_version=True), "format version"),
        "toolv.json": (edited(tool_version=99), "version 99 of the tool"),
        "extra.json": (edited(name="Jo Bloggs"), "unknown field"),
        "badid.json": (edited(response_id="../../etc/passwd"), "response id"),
        "noid.json": (edited(response_id=KeyError), "response id"),
        "rev0.json": (edited(revision=0), "revision"),
        "revfloat.json": (edited(revision=1.5), "revision"),
        "teambad.json": (edited(team="<script>"), "team"),
        "teamnum.json": (edited(team=7), "team should be text"),
        "cyclebad.json": (edited(cycle=""), "cycle label is empty"),
        "ratingslist.json": (edited(ratings=[1, 2, 3]), "'ratings' should be an object"),
        "missingrating.json": (edited(ratings={f: 3 for f in FIDS[:-1]}), "missing: culture"),
        "rating6.json": (edited(ratings={**good["ratings"], "support": 6}), "rating for support is 6"),
        "rating0.json": (edited(ratings={**good["ratings"], "recruitment": 0}), "rating for recruitment is 0"),
        "ratingfloat.json": (edited(ratings={**good["ratings"], "culture": 3.5}), "rating for culture is 3.5"),
        "ratingbool.json": (edited(ratings={**good["ratings"], "culture": True}), "rating for culture is True"),
        "ratingstr.json": (edited(ratings={**good["ratings"], "culture": "3"}), "rating for culture is '3'"),
        "ratingnull.json": (edited(ratings={**good["ratings"], "culture": None}), "rating for culture is None"),
        "unknownfactor.json": (edited(ratings={**good["ratings"], "pay": 3}), "unknown factor id"),
        "indlist.json": (edited(indicators=["1a"]), "'indicators' should be an object"),
        "unknownind.json": (edited(indicators={"1a": "in_place", "9z": "in_place"}), "unknown indicator id"),
        "badletter.json": (edited(indicators={"3g": "in_place"}), "'3g'"),
        "badanswer.json": (edited(indicators={"1a": "yes"}), "unknown indicator answer"),
        "numanswer.json": (edited(indicators={"1a": 1}), "unknown indicator answer(s) 1;"),
        "listanswer.json": (edited(indicators={"1a": ["in_place"]}), "not one of in_place"),
        "commentslist.json": (edited(comments=["hi"]), "'comments' should be an object"),
        "longcomment.json": (edited(comments={"support": "x" * (bm.MAX_COMMENT + 1)}), "longer than"),
        "commentnum.json": (edited(comments={"support": 5}), "should be text"),
        "commentfactor.json": (edited(comments={"nope": "hi"}), "unknown factor id"),
        "readme.txt": (b"not a response", "not a .json file"),
    }


def test_every_kind_of_bad_file_is_listed_with_its_reason_and_the_rest_still_used(tmp_path):
    good = [resp(k % 5 + 1) for k in range(5)]
    for name, data in files_of(good, "good"):
        (tmp_path / name).write_bytes(data)
    bad = _bad_files()
    for name, (data, _why) in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "subfolder").mkdir()
    (tmp_path / ".hidden.json").write_bytes(b"junk")
    rep = bm.aggregate_folder(tmp_path)
    assert rep.n_valid == 5 and rep.enough
    reasons = {s.file: s.reason for s in rep.skipped}
    assert set(reasons) == set(bad)
    for name, (_data, why) in bad.items():
        assert why in reasons[name], (name, reasons[name])
    assert next(f for f in rep.factors if f.id == "support").median == 3


def test_duplicates_keep_one_response_and_the_highest_revision():
    rid = secrets.token_hex(16)
    first = resp(1, rid=rid, revision=1)
    second = resp(5, rid=rid, revision=2)
    others = [resp(3) for _ in range(4)]
    files = [("a-old.json", raw(first)), ("b-new.json", raw(second)), ("c-copy.json", raw(second)),
             *files_of(others)]
    rep = bm.aggregate(files)
    assert rep.n_valid == 5
    reasons = {s.file: s.reason for s in rep.skipped}
    assert set(reasons) == {"a-old.json", "c-copy.json"}
    assert "earlier revision" in reasons["a-old.json"] and "b-new.json" in reasons["a-old.json"]
    assert "duplicate" in reasons["c-copy.json"]
    support = next(f for f in rep.factors if f.id == "support")
    assert support.high == 5 and support.low == 3  # revision 2 (all 5s) was used, not revision 1


def test_other_team_and_other_cycle_files_are_skipped_and_can_be_chosen():
    mine = [resp(2, team="North HV") for _ in range(5)]
    theirs = [resp(4, team="south") for _ in range(3)]
    later = [resp(4, team="north hv", cycle="2026") for _ in range(2)]
    files = files_of(mine, "m") + files_of(theirs, "t") + files_of(later, "l")
    rep = bm.aggregate(files)
    assert (rep.team, rep.cycle, rep.n_valid) == ("north hv", "2025 spring", 5)
    reasons = [s.reason for s in rep.skipped]
    assert sum("not team 'north hv'" in r for r in reasons) == 3 and sum("not cycle" in r for r in reasons) == 2
    south = bm.aggregate(files, team="SOUTH")
    assert south.n_valid == 3 and not south.enough and south.factors == []
    c2026 = bm.aggregate(files, cycle="2026")
    assert c2026.n_valid == 2 and not c2026.enough


def test_read_response_never_raises_anything_but_response_error():
    rng = random.Random(7)
    for _ in range(300):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        with pytest.raises(bm.ResponseError):
            bm.read_response("x.json", junk)
    with pytest.raises(bm.ResponseError):
        bm.read_response("x.json", None)


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


# -- action plans -------------------------------------------------------------------------------------
def test_check_action_rules():
    ok = {"factor": "culture", "indicator": "7d", "action": " Book  training ", "owner": "Team leader",
          "due": "2025-05-01", "review": "2025-05-01"}
    assert bm.check_action(ok)["action"] == "Book training"
    for change, words in [({"factor": "pay"}, "choose a factor"), ({"indicator": "1a"}, "this factor's"),
                          ({"action": "  "}, "what will be done"), ({"owner": ""}, "role"),
                          ({"owner": "x" * 61}, "60 characters"), ({"due": "01/05/2025"}, "YYYY-MM-DD"),
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


# -- widgets ----------------------------------------------------------------------------------------
def _fill(w, rating=3, answer="in_place"):
    w.team_text.value = "north-hv"
    w.cycle_text.value = "2025 spring"
    for b in w.rating_buttons.values():
        b.value = rating
    for b in w.indicator_buttons.values():
        b.value = answer


def test_response_widget_shows_one_factor_at_a_time_with_accessible_controls(store, tmp_path):
    import ipywidgets as widgets
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    shown = [f for f, p in w.panels.items() if p.layout.display != "none"]
    assert shown == ["support"]
    w.next_button.click()
    assert w.factor == "training-and-development" and w.panels["support"].layout.display == "none"
    w.factor_dropdown.value = "culture"
    assert w.factor == "culture" and w.panels["culture"].layout.display is None
    w.prev_button.click()
    assert w.factor == "health-and-wellbeing"
    controls = [*w.rating_buttons.values(), *w.indicator_buttons.values()]
    assert len(controls) == 67 and all(isinstance(c, widgets.ToggleButtons) for c in controls)
    assert all(b.description for b in [*w.comment_boxes.values(), w.team_text, w.cycle_text, w.factor_dropdown,
                                       w.folder_text])
    w.ratings = {"support": 4}
    w.answers = {"2c": "dont_know"}
    assert w.rating_buttons["support"].value == 4 and w.indicator_buttons["2c"].value == "dont_know"
    assert "1 of 7 factors rated; 1 of 60 indicators answered" in w.progress_html.value
    for trait, bad in [("ratings", {"support": 9}), ("ratings", {"pay": 3}), ("answers", {"9z": "in_place"}),
                       ("answers", {"1a": "yes"}), ("factor", "pay")]:
        with pytest.raises(TraitError):
            setattr(w, trait, bad)
    assert w.ratings == {"support": 4}


def test_response_widget_preview_equals_the_file_written(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    w.preview_button.click()
    assert not w.preview and "team" in w.message and w.write_button.disabled
    w.team_text.value = "north-hv"
    w.cycle_text.value = "2025 spring"
    w.rating_buttons["support"].value = 4
    w.preview_button.click()
    assert not w.preview and "still to rate" in w.message and "2. Training and development" in w.message
    _fill(w, 2, "partly")
    w.indicator_buttons["5e"].value = "dont_know"
    w.comment_boxes["support"].value = "<i>more</i> supervision"
    w.preview_button.click()
    assert w.preview and not w.write_button.disabled
    assert html.escape(w.preview) in w.preview_html.value
    w.folder_text.value = str(tmp_path)
    w.write_button.click()
    path = tmp_path / w.written_path.split("/")[-1]
    assert path.read_bytes() == w.preview.encode("utf-8")
    data = json.loads(path.read_bytes())
    assert data["indicators"]["5e"] == "dont_know" and data["comments"] == {"support": "<i>more</i> supervision"}
    assert bm.read_response(path.name, path.read_bytes())["ratings"]["culture"] == 2
    # a change after the preview removes the preview: what is written is always what was shown
    w.indicator_buttons["1a"].value = "not_in_place"
    assert not w.preview and w.write_button.disabled
    w.preview_button.click()
    assert json.loads(w.preview)["revision"] == 2
    w.write_button.click()
    files = sorted(tmp_path.glob("benchmark-*.json"))
    assert len(files) == 2 and files[1].name.endswith("-r2.json")
    rep = bm.aggregate([(p.name, p.read_bytes()) for p in files])
    assert rep.n_valid == 1 and "earlier revision" in rep.skipped[0].reason


def test_response_widget_saves_locally_and_reloads(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path)
    w.team_text.value = "north-hv"
    w.rating_buttons["culture"].value = 5
    w.indicator_buttons["3b"].value = "not_in_place"
    w.save_button.click()
    assert w.saved_id and "Saved" in w.message_html.value
    again = BenchmarkResponse(store=store, folder=tmp_path)
    assert again.response_id == w.response_id and again.ratings == {"culture": 5}
    assert again.answers == {"3b": "not_in_place"} and again.team_text.value == "north-hv"
    assert again.rating_buttons["culture"].value == 5 and again.indicator_buttons["3b"].value == "not_in_place"
    again.new_button.click()
    assert again.response_id != w.response_id and again.ratings == {} and again.team == "north-hv"
    assert again.rating_buttons["culture"].value is None


def test_response_widget_handles_bad_folder_and_long_comment(store, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse

    w = BenchmarkResponse(store=store, folder=tmp_path / "nope")
    _fill(w)
    w.comment_boxes["recruitment"].value = "x" * (bm.MAX_COMMENT + 5)
    assert "shorten" in w.message_html.value
    w.preview_button.click()
    assert not w.preview and "longer than" in w.message
    w.comment_boxes["recruitment"].value = "fine"
    w.preview_button.click()
    w.write_button.click()
    assert "cannot be found" in w.message and not list(tmp_path.glob("*.json"))
    assert w.ratings["support"] == 3  # nothing lost


def _write_team(folder, n, team="north-hv", cycle="2025 spring", low="culture"):
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        r = resp({**{f: 4 for f in FIDS}, low: 1}, {"7c": "not_in_place", "7a": "in_place"}, team=team,
                 cycle=cycle, comments={"culture": "<b>bold</b> idea"})
        (folder / f"r{k}.json").write_bytes(bm.response_bytes(bm.check_response(r)))


def test_team_report_widget_messages_and_report(tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkSession, TeamReport

    session = BenchmarkSession()
    w = TeamReport(session=session)
    w.make_button.click()
    assert "Type the path" in w.message_html.value and w.save_button.disabled
    w.folder_text.value = str(tmp_path / "missing")
    w.make_button.click()
    assert "cannot be found" in w.message_html.value
    (tmp_path / "a-file.txt").write_text("x")
    w.folder_text.value = str(tmp_path / "a-file.txt")
    w.make_button.click()
    assert "is a file" in w.message_html.value
    (tmp_path / "empty").mkdir()
    w.folder_text.value = str(tmp_path / "empty")
    w.make_button.click()
    assert "is empty" in w.message_html.value
    _write_team(tmp_path / "resp", 4)
    w.folder_text.value = str(tmp_path / "resp")
    w.make_button.click()
    assert "1 more valid response(s) needed" in w.report_html.value and "bold" not in w.report_html.value
    _write_team(tmp_path / "resp2", 5)
    (tmp_path / "resp2" / "junk.json").write_bytes(b"\x89PNG")
    w.folder_text.value = str(tmp_path / "resp2")
    w.make_button.click()
    out = w.report_html.value
    assert session.report is w.report and w.report.n_valid == 5
    assert "junk.json" in out and "&lt;b&gt;bold&lt;/b&gt; idea" in out and "<b>bold" not in out
    assert w.out_text.value.endswith("resp2-report") and not w.save_button.disabled
    w.save_button.click()
    assert (tmp_path / "resp2-report" / "report.html").is_file() and "Saved" in w.message_html.value
    saved = json.loads((tmp_path / "resp2-report" / "report.json").read_text())
    assert saved["ranking"][0] == "culture" and saved["responses"] == 5


def test_action_plan_widget_uses_the_report_and_writes_previewed_files(store, tmp_path):
    from resilience_course.benchmark.widgets import ActionPlan, BenchmarkSession

    session = BenchmarkSession()
    plan = ActionPlan(store=store, session=session, folder=tmp_path)
    assert plan.factor_dropdown.value == "support"  # no report: the tool's order
    _write_team(tmp_path / "resp", 5, low="recruitment")
    session.report = bm.aggregate_folder(tmp_path / "resp")
    labels = [lab for lab, _v in plan.factor_dropdown.options]
    assert labels[0] == "3. Recruitment (weakest 1)" and (plan.team, plan.cycle) == ("north-hv", "2025 spring")
    plan.factor_dropdown.value = "culture"
    assert plan.indicator_dropdown.value == "7b"  # 7a is in place for everyone; 7b first of the rest
    plan.indicator_dropdown.value = "7c"
    assert "0 of 5 said in place, 5 not in place" in plan.indicator_html.value
    plan.add_button.click()
    assert "what will be done" in plan.message_html.value and plan.actions == []
    plan.action_text.value = "Run a courageous conversations workshop"
    plan.owner_dropdown.value = "__other__"
    plan.owner_text.value = "Practice development nurse"
    plan.due_text.value = "2025-09-01"
    plan.review_text.value = "2025-08-01"
    plan.add_button.click()
    assert "on or after" in plan.message_html.value
    plan.review_text.value = "2025-12-01"
    plan.add_button.click()
    assert len(plan.actions) == 1 and plan.actions[0]["owner"] == "Practice development nurse"
    plan.write_button.click()
    assert not list(tmp_path.glob("action-plan-*"))
    plan.preview_button.click()
    assert plan.preview and html.escape(plan.preview["csv"]) in plan.preview_html.value
    plan.write_button.click()
    csv_path = tmp_path / "action-plan-north-hv-2025-spring.csv"
    html_path = tmp_path / "action-plan-north-hv-2025-spring.html"
    assert csv_path.read_bytes() == plan.preview["csv"].encode() == bm.plan_csv(plan._plan())
    assert html_path.read_bytes() == plan.preview["html"].encode()
    # the plan is kept on this computer
    again = ActionPlan(store=store, session=BenchmarkSession(), folder=tmp_path)
    assert again.actions == plan.actions and again.team == "north-hv"
    again.remove_dropdown.value = 0
    again.remove_button.click()
    assert again.actions == [] and ActionPlan(store=store, session=BenchmarkSession()).actions == []


def test_cycle_comparison_widget(tmp_path):
    from resilience_course.benchmark.widgets import CycleComparison

    _write_team(tmp_path / "c1", 5, cycle="c1", low="culture")
    _write_team(tmp_path / "c2", 5, cycle="c2", low="support")
    w = CycleComparison()
    w.compare_button.click()
    assert "earlier" in w.message_html.value
    w.earlier_text.value = str(tmp_path / "c1")
    w.later_text.value = str(tmp_path / "nowhere")
    w.compare_button.click()
    assert "cannot be found" in w.message_html.value
    w.later_text.value = str(tmp_path / "c2")
    w.compare_button.click()
    f = {x["id"]: x["direction"] for x in w.comparison["factors"]}
    assert f["culture"] == "improved" and f["support"] == "worse" and f["recruitment"] == "same"
    assert "c1 compared with c2" in w.result_html.value


def test_page_helpers_are_exposed():
    import resilience_course as rc

    assert rc.BenchmarkResponse.__name__ == "BenchmarkResponse"
    out = rc.benchmark_overview().value
    assert out.count("<tr>") == 8 and "60 indicators" in out


# -- the command line ----------------------------------------------------------------------------------
def test_cli_aggregate_compare_and_factors(tmp_path, capsys):
    _write_team(tmp_path / "c1", 6, cycle="c1", low="culture")
    _write_team(tmp_path / "c1", 0)
    (tmp_path / "c1" / "bad.json").write_text("{")
    (tmp_path / "c1" / "south.json").write_bytes(raw(resp(team="south", cycle="c1")))
    assert main(["benchmark", "aggregate", str(tmp_path / "c1"), "--out", str(tmp_path / "r1")]) == 0
    out, err = capsys.readouterr()
    assert "6 valid response(s)" in out and "Weakest factors: Culture" in out
    assert "bad.json: the file is not valid JSON" in err and "south.json" in err
    rep = json.loads((tmp_path / "r1" / "report.json").read_text())
    assert rep["responses"] == 6 and rep["ranking"][0] == "culture"
    assert "<!DOCTYPE html>" in (tmp_path / "r1" / "report.html").read_text()
    assert main(["benchmark", "aggregate", str(tmp_path / "c1"), "--out", str(tmp_path / "r2"),
                 "--team", "south"]) == 0
    out, _ = capsys.readouterr()
    assert "4 more needed" in out
    assert "factors" not in json.loads((tmp_path / "r2" / "report.json").read_text())
    _write_team(tmp_path / "c2", 5, cycle="c2", low="support")
    assert main(["benchmark", "compare", str(tmp_path / "r1" / "report.json"), str(tmp_path / "c2"),
                 "--out", str(tmp_path / "cmp")]) == 0
    out, _ = capsys.readouterr()
    assert "7. Culture: median 1 -> 4 (improved)" in out and "1. Support: median 4 -> 1 (worse)" in out
    assert (tmp_path / "cmp" / "comparison.html").is_file()
    assert main(["benchmark", "compare", str(tmp_path / "r2" / "report.json"), str(tmp_path / "c2")]) == 1
    assert "fewer than 5" in capsys.readouterr().err
    assert main(["benchmark", "aggregate", str(tmp_path / "none"), "--out", str(tmp_path / "r3")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["benchmark", "factors"]) == 0
    out, _ = capsys.readouterr()
    assert "7 factors, 60 indicators" in out and "   7i  " in out
