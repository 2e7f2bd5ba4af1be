"""The menu of models of support (support/menu.py) matches the guide: models, practicalities, links."""

from __future__ import annotations

from resilience_course.support.menu import cite, load_models

from .helpers import (
    GUIDE_MODELS,
    GUIDE_VARIANTS,
    guide_text,
)


def test_menu_has_every_model_in_the_guide_table():
    menu = load_models()
    assert {m.id: m.name for m in menu.models} == GUIDE_MODELS
    for model_id, variants in GUIDE_VARIANTS.items():
        assert {v.id for v in menu.model(model_id).variants} == variants
    for m in menu.models:
        assert m.description and m.benefits and m.ask and m.resources, m.id
    assert menu.centre["name"] == "Compassion"


def test_practicalities_are_those_the_guide_gives():
    menu = load_models()
    p = {e.id: e.practicalities for e in menu.entries()}
    assert p["safeguarding-supervision"]["frequency"] == "At least once every three months (NHSE, 2014)"
    assert "expert knowledge of child protection" in p["safeguarding-supervision"]["who"]
    assert p["work-discussion-groups"] == {
        "group_size": "About five members",
        "facilitation": "A trained, experienced facilitator",
    }
    assert p["schwartz-rounds"]["frequency"] == "Monthly"
    assert p["schwartz-rounds"]["group_size"].startswith("Multidisciplinary")
    assert p["compassion-circles"]["group_size"] == "Up to 12 people"
    assert p["coaching"]["duration"] == "A set period"
    assert "more structured than mentoring" in p["coaching"]["frequency"]
    assert p["mentorship"]["duration"] == "An ongoing relationship"
    assert p["clinical-supervision"]["group_size"] == "One to one or in a group"
    # the guide's own words for the same facts
    guide = guide_text()
    for fact in (
        "minimum of 3 monthly safeguarding supervision",
        "approximately five members",
        "meet monthly",
        "groups of up to 12 people",
        "relationship with a set duration",
        "ongoing relationship",
        "individually or in groups",
    ):
        assert fact in guide, fact


def test_clinical_supervision_names_its_three_functions():
    features = " ".join(load_models().model("clinical-supervision").features).lower()
    for function in ("restorative", "normative", "formative"):
        assert function in features


def test_every_link_comes_from_the_guide():
    guide = guide_text()
    urls = [r["url"] for e in load_models().entries() for r in e.resources if r.get("url")]
    assert len(urls) >= 12
    for url in urls:
        assert url.startswith("https://bit.ly/")
        assert url.removeprefix("https://").lower() in guide, url


def test_cite_formats_a_reference():
    r = {
        "authors": "Gilbert, P.",
        "year": 2010,
        "title": "The Compassionate Mind",
        "subtitle": "a new approach",
        "where": "London, Constable",
    }
    assert cite(r) == "Gilbert, P. (2010) The Compassionate Mind: a new approach. London, Constable."
    assert cite({"title": "The Family Partnership Model"}) == "The Family Partnership Model."
