"""Response files: exact bytes, no names, and every kind of bad file explained."""

from __future__ import annotations

import copy
import json
import random
import secrets

import pytest
from resilience_course.benchmark import model as bm
from resilience_course.core.content import load_schema

from .helpers import FIDS, TOOL, files_of, raw, resp


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
