"""The rule of five and the check-in summary."""

from __future__ import annotations

import pytest
from resilience_course.cohort import model as co
from resilience_course.core.privacy import MIN_GROUP, can_show, withheld_message

from .helpers import answers, responses


# -- the rule of five --------------------------------------------------------------------------
def test_the_threshold_lives_in_one_place():
    assert MIN_GROUP == 5
    assert [can_show(n) for n in (4, 5, 6)] == [False, True, True]
    assert "1 more is needed" in withheld_message(4)
    assert "There is 1 response so far" in withheld_message(1)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_check_in_summary_at_four_five_and_six(checkin, n):
    summary = co.summarise_check_in(checkin, responses(checkin, n))
    assert summary.n == n
    if n < MIN_GROUP:
        assert not summary.shown
        assert summary.counts == {} and summary.texts == {}
        assert "note 0" not in summary.html and "img" not in summary.html and "Bar chart" not in summary.html
        assert f"{MIN_GROUP - n} more" in summary.html
    else:
        assert summary.shown
        assert sum(summary.counts["doing"].values()) == n
        assert summary.counts["skill"]["hope"] == sum(1 for i in range(n) if answers(i)["skill"] == "hope")
        assert summary.texts["note"] == sorted((answers(i)["note"] for i in range(n)), key=str.lower)
        assert "<script>" not in summary.html and "&lt;script&gt;" in summary.html
        assert summary.signposted == sum(1 for i in range(n) if answers(i)["doing"] in ("stretched", "struggling"))
        assert 'alt="Bar chart' in summary.html and "<table" in summary.html
