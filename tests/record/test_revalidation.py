"""The revalidation summary (record/revalidation.py): the cycle, the counts and the learner's revalidation date."""

from __future__ import annotations

from datetime import date

import pytest
from resilience_course.record import revalidation

from .helpers import TODAY


def test_revalidation_summary_counts_only_the_cycle():
    entries = [
        {"date": "2025-05-01", "hours": 10, "participatory_hours": 4},
        {"date": "2023-01-15", "hours": 7.5, "participatory_hours": 7.5},
        {"date": "2022-06-02", "hours": 3, "participatory_hours": 1},   # first day of the cycle: counted
        {"date": "2022-06-01", "hours": 50, "participatory_hours": 50},  # the day before: not counted
        {"date": "not a date", "hours": 9, "participatory_hours": 9},
    ]
    accounts = ["2024-01-01", "2025-01-01", "2021-01-01"]
    summary = revalidation.revalidation_summary(entries, accounts, None, TODAY)
    assert (summary.start, summary.end) == (date(2022, 6, 2), TODAY)
    assert summary.hours == 10 + 7.5 + 3
    assert summary.participatory == 4 + 7.5 + 1
    assert summary.accounts == 2
    assert (summary.counted, summary.outside) == (3, 2)
    assert not summary.met
    rows = {r[0]: r for r in summary.rows()}
    assert rows["CPD hours"][3] == f"{35 - 20.5:g}"
    html = summary.to_html()
    assert "<table" in html and 'alt="Bar chart' in html


def test_revalidation_date_sets_the_cycle_and_met_flag():
    entries = [{"date": "2026-01-10", "hours": 36, "participatory_hours": 21}]
    accounts = ["2026-01-10"] * 5
    summary = revalidation.revalidation_summary(entries, accounts, "2026-03-31", date(2026, 2, 1))
    assert summary.start == date(2023, 4, 1) and summary.end == date(2026, 3, 31)
    assert summary.met
    assert summary.percents() == [100, 100, 100]


def test_settings_keep_one_revalidation_date(store):
    revalidation.save_settings(store, "31/03/2027")
    revalidation.save_settings(store, "2028-03-31")
    assert revalidation.get_settings(store) == {"revalidation_date": "2028-03-31"}
    assert len(store.records(revalidation.SETTINGS_KIND)) == 1
    with pytest.raises(ValueError):
        revalidation.save_settings(store, "soon")
