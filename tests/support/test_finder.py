"""The support finder (support/finder.py): every need finds support built only from the data."""

from __future__ import annotations

import pytest
from resilience_course.support.finder import find_support
from resilience_course.support.menu import load_models

from .helpers import (
    GUIDE_MODELS,
    GUIDE_VARIANTS,
    NEEDS,
)


@pytest.mark.parametrize("need_id", NEEDS)
def test_every_need_finds_support_built_from_the_model_data(need_id):
    menu = load_models()
    need = menu.need(need_id)
    recs = find_support([need_id], menu)
    assert len(recs) >= 1
    assert len(recs) == len(need.recommendations)
    by_key = {(r["model"], r.get("variant", "")): r for r in need.recommendations}
    for rec in recs:
        entry = menu.entry(rec.model_id, rec.variant_id)
        data = by_key[(rec.model_id, rec.variant_id)]
        assert rec.name == entry.name
        assert rec.practicalities == entry.practicalities, "practicalities come from the model record"
        assert [r.need_id for r in rec.reasons] == [need_id]
        reason = rec.reasons[0]
        assert reason.why == data["why"]
        assert reason.benefits and reason.benefits == tuple(entry.benefits[b] for b in data["benefits"])
        assert set(reason.benefits) <= set(entry.benefits.values()), "cites the model's own benefits"
        assert need.context in rec.script and entry.ask in rec.script
        assert dict(rec.when + rec.with_whom) == {
            lab: entry.practicalities[k]
            for k, lab in (
                ("frequency", "How often"),
                ("duration", "How long"),
                ("group_size", "Group size"),
                ("who", "Who with"),
                ("facilitation", "Facilitation"),
                ("format", "Format"),
            )
            if k in entry.practicalities
        }
        if rec.variant_id:
            assert rec.parent_name == menu.model(rec.model_id).name
            assert set(map(id, menu.model(rec.model_id).resources)) <= set(map(id, rec.resources))


def test_every_model_and_variant_is_reachable_from_some_need():
    menu = load_models()
    reached = {(r.model_id, r.variant_id) for n in NEEDS for r in find_support([n], menu)}
    assert {m for m, _v in reached} == set(GUIDE_MODELS)
    for model_id, variants in GUIDE_VARIANTS.items():
        assert {(model_id, v) for v in variants} <= reached


def test_needs_cover_the_situations_in_the_brief():
    labels = " ".join(n.label.lower() for n in load_models().needs)
    for word in ("safeguarding", "skill", "isolated", "career", "conflict", "stressed", "new", "went wrong"):
        assert word in labels, word
    assert len(NEEDS) >= 8


def test_models_fitting_more_needs_come_first():
    recs = find_support(["stressed", "isolation"])
    counts = [len(r.reasons) for r in recs]
    assert counts == sorted(counts, reverse=True) and counts[0] == 2
    both = {r.key for r in recs if len(r.reasons) == 2}
    assert both == {"peer-support", "compassionate-resilience"}
    first = next(r for r in recs if r.key == "peer-support")
    menu = load_models()
    assert menu.need("stressed").context in first.script and menu.need("isolation").context in first.script


def test_find_support_rejects_unknown_needs_and_allows_none():
    with pytest.raises(ValueError, match="no-such-need"):
        find_support(["stressed", "no-such-need"])
    assert find_support([]) == []


def test_aar_need_leads_to_the_after_action_review():
    keys = [r.key for r in find_support(["event-went-wrong"])]
    assert keys[0] == "performance-feedback/after-action-review"
