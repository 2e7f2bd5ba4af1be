"""The self-check engine: definitions are validated with clear reasons, scoring is exact."""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from resilience_course.core.content import ContentError
from resilience_course.selfcheck.model import (
    AnswerError,
    achievable_scores,
    builtin_definitions,
    definition_from_dict,
    load_definition,
    score,
)

BASE = {
    "id": "tiny",
    "title": "Tiny",
    "version": 1,
    "introduction": "Intro",
    "note": "A reflective tool, not a validated or diagnostic measure.",
    "citation": "Made up for tests",
    "response_options": [{"label": "Low", "value": 0}, {"label": "Mid", "value": 1}, {"label": "High", "value": 2}],
    "subscales": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}],
    "items": [
        {"id": "i1", "text": "One", "subscale": "a"},
        {"id": "i2", "text": "Two", "subscale": "a", "reverse": True},
        {"id": "i3", "text": "Three", "subscale": "b"},
    ],
    "scoring": {"method": "sum", "decimals": 0},
    "bands": [
        {"min": 0, "max": 2, "label": "Low", "interpretation": "low"},
        {"min": 3, "max": 6, "label": "High", "interpretation": "high"},
    ],
    "signposting": {"message": "Talk to someone", "when_any": [{"items": ["i3"], "at_least": 2}]},
}


def make(**changes):
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def reason(data) -> ContentError:
    with pytest.raises(ContentError) as info:
        definition_from_dict(data, "tiny.yml")
    return info.value


def test_builtins_load_and_say_they_are_not_diagnostic():
    ids = set(builtin_definitions())
    assert {"sharenow", "signs-of-reducing-resilience"} <= ids
    for sid in ids:
        d = load_definition(sid)
        assert re.search(r"not (a |been )?validated", d.note.lower()), f"{sid}: say it is not validated"
        assert d.signposting or sid not in {"sharenow", "signs-of-reducing-resilience"}


def test_signs_check_covers_figure_4():
    d = load_definition("signs-of-reducing-resilience")
    assert [s["id"] for s in d.subscales] == ["feelings", "thoughts", "behaviours"]
    counts = {s: sum(1 for i in d.items if i["subscale"] == s) for s in ("feelings", "thoughts", "behaviours")}
    # Figure 4: seven feelings, four thoughts, four behaviours
    assert counts == {"feelings": 7, "thoughts": 4, "behaviours": 4}


def test_sharenow_has_the_six_skills():
    d = load_definition("sharenow")
    titles = [s["title"] for s in d.subscales]
    assert titles == ["Self-awareness", "Hope", "Acceptance", "Supportive relationships", "Expressing vulnerability",
                      "Being in the NOW"]


def test_reverse_scoring_subscales_band_and_signpost():
    d = definition_from_dict(make())
    r = score(d, {"i1": 2, "i2": 0, "i3": 2})
    # i2 reversed: 0 -> 2, so a = 2 + 2, b = 2
    assert r.subscales == {"a": 4, "b": 2}
    assert r.overall == 6 and r.band["label"] == "High" and r.signpost
    r = score(d, {"i1": 0, "i2": 2, "i3": 1})
    assert r.overall == 1 and r.band["label"] == "Low" and not r.signpost


def test_mean_scoring_is_exact():
    data = make(scoring={"method": "mean", "decimals": 2},
                bands=[{"min": 0, "max": 0.99, "label": "L", "interpretation": "l"},
                       {"min": 1, "max": 2, "label": "H", "interpretation": "h"}])
    d = definition_from_dict(data)
    r = score(d, {"i1": 1, "i2": 1, "i3": 1})
    assert r.overall == 1.0 and r.band["label"] == "H"
    assert min(achievable_scores(d)) == 0 and max(achievable_scores(d)) == 2


def test_score_rule_at_most_signposts():
    data = make(signposting={"message": "m", "when_any": [{"score": "overall", "at_most": 1}]})
    d = definition_from_dict(data)
    assert score(d, {"i1": 0, "i2": 2, "i3": 1}).signpost
    assert not score(d, {"i1": 2, "i2": 0, "i3": 2}).signpost


@pytest.mark.parametrize("answers, missing, invalid", [
    ({"i1": 1}, ["i2", "i3"], []),
    ({}, ["i1", "i2", "i3"], []),
    ({"i1": 1, "i2": 5, "i3": 1}, [], ["i2"]),
    ({"i1": True, "i2": 1, "i3": 1}, [], ["i1"]),
    ({"i1": "High", "i2": 1, "i3": 1}, [], ["i1"]),
])
def test_incomplete_or_out_of_range_answers_are_not_scored(answers, missing, invalid):
    d = definition_from_dict(make())
    with pytest.raises(AnswerError) as info:
        score(d, answers)
    assert info.value.missing == missing and info.value.invalid == invalid
    if missing and not invalid:
        # the message names the items by their number
        assert all(str(d.item_ids.index(i) + 1) in str(info.value) for i in missing)


def test_unknown_item_is_named():
    d = definition_from_dict(make())
    with pytest.raises(AnswerError, match="zz"):
        score(d, {"i1": 1, "i2": 1, "i3": 1, "zz": 1})


@pytest.mark.parametrize("change, entry, words", [
    ({"colour": "red"}, "(top level)", "unknown key"),
    ({"items": []}, "items", "must not be empty"),
    ({"version": "one"}, "version", "type"),
    ({"title": None}, "(top level)", "'title' is missing"),
])
def test_schema_problems_name_file_entry_and_reason(change, entry, words):
    err = reason(make(**change))
    assert err.file == "tiny.yml" and err.entry == entry and words in err.reason


def test_unknown_key_inside_an_item():
    data = make()
    data["items"][1]["weight"] = 2
    err = reason(data)
    assert err.entry == "items[1]" and "weight" in err.reason


def test_duplicate_item_ids():
    data = make()
    data["items"][2]["id"] = "i1"
    err = reason(data)
    assert err.entry == "items[2].id" and "duplicate" in err.reason


def test_overlapping_bands():
    err = reason(make(bands=[{"min": 0, "max": 3, "label": "L", "interpretation": "l"},
                             {"min": 3, "max": 6, "label": "H", "interpretation": "h"}]))
    assert err.entry == "bands[1]" and "overlaps" in err.reason


def test_gapped_bands():
    err = reason(make(bands=[{"min": 0, "max": 2, "label": "L", "interpretation": "l"},
                             {"min": 4, "max": 6, "label": "H", "interpretation": "h"}]))
    assert err.entry == "bands" and "gap" in err.reason and "3" in err.reason


def test_bands_must_cover_the_whole_range():
    err = reason(make(bands=[{"min": 1, "max": 6, "label": "All", "interpretation": "x"}]))
    assert "gap" in err.reason and "0" in err.reason


def test_reverse_flag_on_a_scale_with_no_numeric_values():
    data = make(response_options=[{"label": "Yes"}, {"label": "No"}], scoring={"method": "none"}, bands=None,
                signposting=None)
    err = reason(data)
    assert err.entry == "items[1].reverse" and "numeric" in err.reason


def test_scored_scale_needs_numeric_values():
    err = reason(make(response_options=[{"label": "Yes", "value": 1}, {"label": "No"}]))
    assert "numeric" in err.reason


def test_unknown_subscale_and_signpost_item():
    data = make()
    data["items"][0]["subscale"] = "zzz"
    assert "unknown subscale" in reason(data).reason
    data = make(signposting={"message": "m", "when_any": [{"items": ["nope"], "at_least": 1}]})
    assert "unknown item" in reason(data).reason


def test_unscored_scale_keeps_labels():
    data = make(response_options=[{"label": "Yes"}, {"label": "No"}], scoring={"method": "none"}, bands=None,
                signposting=None)
    for item in data["items"]:
        item.pop("reverse", None)
    d = definition_from_dict(data)
    r = score(d, {"i1": "Yes", "i2": "No", "i3": "Yes"})
    assert r.overall is None and r.answers["i2"] == "No"


def test_licensed_scale_loads_from_any_path(tmp_path):
    from resilience_course.core.content import package_data

    example = yaml.safe_load(package_data("examples", "licensed-scale-placeholder.yml").read_text())
    assert all("PLACEHOLDER" in i["text"] for i in example["items"])
    path = tmp_path / "our-licensed-scale.yml"
    path.write_text(yaml.safe_dump(example))
    d = load_definition(path)
    assert d.id == "example-licensed-scale" and d.source == str(path)


def test_bad_files_name_the_file(tmp_path):
    bad = tmp_path / "broken.yml"
    bad.write_text("id: [unclosed\n")
    with pytest.raises(ContentError) as info:
        load_definition(bad)
    assert info.value.file == str(bad) and "line" in info.value.entry and "YAML" in info.value.reason
    empty = tmp_path / "empty.yml"
    empty.write_text("")
    with pytest.raises(ContentError, match="empty"):
        load_definition(empty)
    with pytest.raises(ContentError, match="does not exist"):
        load_definition(tmp_path / "missing.yml")
    with pytest.raises(ContentError, match="built-in"):
        load_definition("no-such-check")
