"""The menu's loader rejects broken data, naming the file, the entry and the reason."""

from __future__ import annotations

import pytest
from resilience_course.core.content import ContentError, package_data

from .helpers import (
    GUIDE_MODELS,
    _reject,
    raw_menu,
    write_menu,
)


def test_shipped_menu_loads_and_is_registered_for_content_checks():
    from resilience_course.validate_all import content_files

    assert (package_data("models-of-support.yml"), "models") in content_files()


def test_unknown_key_is_rejected(tmp_path):
    _reject(
        tmp_path, lambda d: d["models"][2].update(colour="blue"), "models[2]", r"unknown key\(s\) 'colour'"
    )


def test_need_pointing_at_a_missing_model_is_rejected(tmp_path):
    def mutate(d):
        d["needs"][0]["recommendations"][0]["model"] = "no-such-model"

    _reject(tmp_path, mutate, "needs[0].recommendations[0].model", r"'no-such-model' is not a model")


def test_need_pointing_at_a_missing_variant_is_rejected(tmp_path):
    def mutate(d):
        d["needs"][0]["recommendations"][0].update(model="coaching", variant="schwartz-rounds")

    _reject(tmp_path, mutate, "needs[0].recommendations[0].variant", r"not a variant of model 'coaching'")


def test_unknown_benefit_is_rejected(tmp_path):
    def mutate(d):
        d["needs"][1]["recommendations"][0]["benefits"] = ["skills", "made-up"]

    _reject(
        tmp_path, mutate, "needs[1].recommendations[0].benefits", r"'made-up' is not a benefit of coaching"
    )


def test_recommendation_without_cited_benefits_is_rejected(tmp_path):
    def mutate(d):
        del d["needs"][0]["recommendations"][0]["benefits"]

    _reject(tmp_path, mutate, "needs[0].recommendations[0]", r"'benefits' is missing")


def test_unreachable_model_is_rejected(tmp_path):
    def mutate(d):
        for need in d["needs"]:
            need["recommendations"] = [r for r in need["recommendations"] if r["model"] != "mentorship"]

    index = list(GUIDE_MODELS).index("mentorship")
    _reject(tmp_path, mutate, f"models[{index}]", r"no need leads to model 'mentorship'")


def test_unreachable_variant_is_rejected(tmp_path):
    def mutate(d):
        for need in d["needs"]:
            need["recommendations"] = [
                r for r in need["recommendations"] if r.get("variant") != "schwartz-rounds"
            ]

    index = list(GUIDE_MODELS).index("interagency-groups")
    _reject(
        tmp_path,
        mutate,
        f"models[{index}].variants[1]",
        r"no need leads to interagency-groups/schwartz-rounds",
    )


def test_duplicate_ids_and_repeated_recommendations_are_rejected(tmp_path):
    _reject(
        tmp_path, lambda d: d["models"][1].update(id=d["models"][0]["id"]), "models[1].id", "duplicate id"
    )

    def repeat(d):
        d["needs"][0]["recommendations"].append(dict(d["needs"][0]["recommendations"][0]))

    n = len(raw_menu()["needs"][0]["recommendations"])
    _reject(tmp_path, repeat, f"needs[0].recommendations[{n}]", "recommended twice")


def test_insecure_or_odd_links_are_rejected(tmp_path):
    _reject(
        tmp_path,
        lambda d: d["models"][0]["resources"][0].update(url="http://bit.ly/1GJbJJc"),
        "models[0].resources[0].url",
        "does not match",
    )
    _reject(
        tmp_path,
        lambda d: d["models"][0]["resources"][0].update(url='https://x.org/"onmouseover=x'),
        "models[0].resources[0].url",
        "does not match",
    )


def test_content_check_runs_the_deep_loader(tmp_path):
    from resilience_course.validate_all import _deep_check

    data = raw_menu()
    data["needs"][2]["recommendations"][0]["model"] = "nowhere"
    path = write_menu(tmp_path, data, "models-of-support.yml")
    with pytest.raises(ContentError, match="'nowhere' is not a model"):
        _deep_check(path, "models")
