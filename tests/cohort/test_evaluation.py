"""The course evaluation: saved locally, summarised only for five or more."""

from __future__ import annotations

import statistics

import pytest
from resilience_course.cohort import model as co
from resilience_course.core.course import load_outline
from resilience_course.core.privacy import MIN_GROUP

from .helpers import eval_responses, write


# -- the evaluation ------------------------------------------------------------------------------
def test_evaluation_is_saved_locally_with_checks(store, evaluation):
    outline = load_outline()
    outcomes = [o["id"] for o in outline.module("03").outcomes]
    with pytest.raises(co.SurveyError) as err:
        co.save_evaluation(store, evaluation, "03", "before", {outcomes[0]: 2})
    assert "confidence" in err.value.problems
    with pytest.raises(co.SurveyError) as err:
        co.save_evaluation(store, evaluation, "03", "during", dict.fromkeys(outcomes, 2))
    assert "stage" in err.value.problems
    with pytest.raises(co.SurveyError) as err:
        co.save_evaluation(store, evaluation, "03", "after", dict.fromkeys(outcomes, 9), {"useful": "very"})
    assert set(err.value.problems) >= {outcomes[0], "clear"}
    co.save_evaluation(store, evaluation, "03", "before", dict.fromkeys(outcomes, 1))
    co.save_evaluation(store, evaluation, "03", "before", dict.fromkeys(outcomes, 2))
    reaction = {"useful": "very", "clear": "clear", "time": "right", "recommend": "yes", "best": "The prompts"}
    co.save_evaluation(store, evaluation, "03", "after", dict.fromkeys(outcomes, 4), reaction)
    saved = co.latest_evaluation(store, "03")
    assert saved["before"]["confidence"] == dict.fromkeys(outcomes, 2)  # the latest one counts
    response = co.make_evaluation(evaluation, "03", "mc-a", saved)
    assert set(response) == {"format", "version", "id", "cohort", "module", "confidence_before",
                             "confidence_after", "reaction"}
    assert response["reaction"] == reaction and response["cohort"] == "MC-A"
    with pytest.raises(co.SurveyError):
        co.make_evaluation(evaluation, "03", "mc-a", {})


@pytest.mark.parametrize("n", [4, 5, 6])
def test_evaluation_summary_respects_the_threshold(evaluation, n):
    rs = eval_responses(evaluation, n)
    summary = co.summarise_evaluation(evaluation, rs, "03")
    if n < MIN_GROUP:
        assert not summary.shown and summary.means == {} and summary.counts == {}
        assert "more 0" not in summary.html and "Bar chart" not in summary.html and "<table" not in summary.html
        return
    outcome = load_outline().module("03").outcomes[0]["id"]
    assert summary.means[outcome]["before"] == round(statistics.mean(r["confidence_before"][outcome] for r in rs), 1)
    assert summary.means[outcome]["after"] == round(statistics.mean(r["confidence_after"][outcome] for r in rs), 1)
    assert summary.counts["useful"]["very"] == sum(1 for r in rs if r["reaction"]["useful"] == "very")
    assert "&lt;script&gt;" in summary.html and "<script>" not in summary.html
    assert 'alt="Bar chart' in summary.html


def test_an_outcome_rated_by_fewer_than_five_is_not_shown(evaluation):
    outline = load_outline()
    outcome = outline.module("03").outcomes[1]["id"]
    rs = eval_responses(evaluation, 5, drop_after_for=(outcome,))
    summary = co.summarise_evaluation(evaluation, rs, "03")
    assert summary.shown
    assert summary.means[outcome]["after"] is None and summary.means[outcome]["n_after"] == 4
    assert summary.means[outcome]["before"] is not None


def test_evaluation_files_are_read_and_checked(tmp_path, evaluation):
    folder = tmp_path / "eval"
    rs = eval_responses(evaluation, 5)
    for r in rs:
        write(folder, f"e-{r['id'][-2:]}.json", r)
    write(folder, "module4.json", {**rs[0], "id": "f" * 32, "module": "04"})
    write(folder, "badrating.json", {**rs[0], "id": "e" * 32, "confidence_after": {"3.1": 7}})
    write(folder, "badoutcome.json", {**rs[0], "id": "d" * 32, "confidence_before": {"9.9": 1}})
    result = co.read_responses(folder, evaluation, "MC-A", module="03")
    reasons = dict(result.bad)
    assert len(result.valid) == 5
    assert "module '04'" in reasons["module4.json"]
    assert "confidence scale" in reasons["badrating.json"]
    assert "not an outcome" in reasons["badoutcome.json"]
