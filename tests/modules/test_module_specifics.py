"""Checks that belong to one module only (the checks every module shares are in test_content.py and
test_notebooks.py; facts checked against the guide are in tests/test_source_facts.py)."""

from __future__ import annotations

import re

import pytest
from resilience_course.activities.model import load_activities, mark_sort
from resilience_course.selfcheck.model import load_definition, score
from resilience_course.support.menu import load_models

from .helpers import GUIDE, code_cells, markdown, module, notebooks, rc_calls


# -- how each module's further resources are written ------------------------------------------------
@pytest.mark.parametrize("mid", ["01", "02"])
def test_modules_1_and_2_mark_every_link_as_an_external_link(mid):
    sec, nb = notebooks(mid)[-1]
    links = re.findall(r"\[[^\]]+\]\((https?://[^)]+)\)( \(external link\))?", markdown(nb))
    assert len(links) >= 3
    assert all(marked for _url, marked in links), "every external link is marked as external"
    assert all("bit.ly/" in url for url, _m in links)


@pytest.mark.parametrize("mid", ["03", "04"])
def test_modules_3_and_4_show_the_bit_ly_address_of_each_link(mid):
    _sec, nb = notebooks(mid)[-1]
    links = re.findall(r"\[bit\.ly/(\w+)\]\(https://bit\.ly/(\w+)\) \(external website\)", markdown(nb))
    assert len(links) >= 5 and all(a == b for a, b in links), "bit.ly addresses, shown and marked external"
    if GUIDE.is_file():
        guide = GUIDE.read_text(encoding="utf-8")
        assert all(f"bit.ly/{a}" in guide for a, _ in links), "links come from the guide"


def test_module_5_lists_ten_of_the_guides_links_each_marked_external():
    _s, nb = notebooks("05")[-1]
    text = markdown(nb)
    links = re.findall(r"\]\(https://bit\.ly/(\w+)\) \(external link\)", text)
    assert len(links) >= 10
    assert len(re.findall(r"\]\(https://", text)) == len(links), "every link is marked external"


# -- module 4 -------------------------------------------------------------------------------------
def test_module_4_runs_the_sharenow_self_check():
    calls = [c for _s, nb in notebooks("04") for c in rc_calls(nb)]
    assert ("self_check", ["sharenow"]) in calls


# -- module 5 -------------------------------------------------------------------------------------
def test_module_5_outcomes():
    assert {o["id"] for o in module("05").outcomes} == {"5.1", "5.2", "5.3", "5.4"}


def test_module_5_notebooks_use_every_activity_once_and_the_tools():
    acts = load_activities("05")
    calls = {sec.path.rsplit("/", 1)[-1]: rc_calls(nb) for sec, nb in notebooks("05")}
    used = [args[1] for c in calls.values() for name, args in c if name == "activity"]
    assert sorted(used) == sorted(acts), "each activity shown once"
    assert ("models_of_support", []) in calls["05.01-the-menu.ipynb"]
    assert ("support_finder", []) in calls["05.02-support-finder.ipynb"]
    assert ("after_action_review", []) in calls["05.03-after-action-review.ipynb"]


def test_practicalities_sort_agrees_with_the_menu():
    menu = load_models()
    act = load_activities("05")["match-practicalities"]
    entries = {e.id: e for e in menu.entries()}
    for cat in act["categories"]:
        assert cat["id"] in entries, f"{cat['id']} is not a model or variant in the menu"
        assert cat["label"] == entries[cat["id"]].name
    right = {i["id"]: i["category"] for i in act["items"]}
    assert all(mark_sort(act, right).values())
    wrong = dict(right, **{"three-monthly": "coaching"})
    assert mark_sort(act, wrong)["three-monthly"] is False


# -- module 6 -------------------------------------------------------------------------------------
def test_benchmarking_section_links_to_the_tool_and_module_6_opens_with_the_audit():
    sections = dict((sec.id, nb) for sec, nb in notebooks("06"))
    assert 'rc.tool_link("benchmark", "06.03")' in code_cells(sections["06.03"])
    assert 'rc.self_check("ten-steps-audit")' in code_cells(sections["06.01"])


GROUPS = {  # subscale id -> the step numbers under that heading of Figure 3
    "influences": {1, 2},
    "team-situation": {3, 4, 5},
    "individual-support": {6, 7},
    "team-working": {8, 9},
    "leadership": {10},
}


def test_ten_steps_audit_has_ten_items_in_the_five_groups():
    d = load_definition("ten-steps-audit")
    assert len(d.items) == 10
    assert [s["id"] for s in d.subscales] == list(GROUPS)
    for item in d.items:
        step = int(item["id"].split("-")[1])
        assert step in GROUPS[item["subscale"]], item["id"]
    assert [o["label"] for o in d.options] == ["Not yet", "Partly", "In place"]
    assert d.method == "sum"
    assert "validated" in d.note and "reflective" in d.note
    lo = score(d, {i: 0 for i in d.item_ids})
    hi = score(d, {i: 2 for i in d.item_ids})
    assert (lo.overall, hi.overall) == (0, 20)
    assert lo.band["label"] != hi.band["label"]


# -- module 7 -------------------------------------------------------------------------------------
def test_case_study_sections_each_end_with_a_workplace_reflection():
    for sec, nb in notebooks("07"):
        if sec.id in ("07.01", "07.02", "07.03"):
            assert code_cells(nb)[-2].startswith('rc.reflection("07"'), sec.path
