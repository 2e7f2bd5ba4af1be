"""Issue 15: the action plan starts at the weakest factor and takes UK dates; printouts a manager would
forward carry a print stylesheet, the date they were produced, unbroken dates and a plain-English spread."""

from __future__ import annotations

import re

from resilience_course.benchmark import model as bm
from resilience_course.benchmark.report_document import report_document, spread_text

from .helpers import write_team


def test_plan_starts_at_the_weakest_factor_once_the_report_arrives(store, tmp_path):
    from resilience_course.benchmark.widgets import ActionPlan, BenchmarkSession

    session = BenchmarkSession()
    plan = ActionPlan(store=store, session=session, folder=tmp_path)
    assert plan.factor_dropdown.value == "support"
    write_team(tmp_path / "resp", 5, low="health-wellbeing" if "health-wellbeing" in bm.load_factors().factor_ids
               else "culture")
    session.report = bm.aggregate_folder(tmp_path / "resp")
    weakest = session.report.ranking()[0].id
    assert weakest != "support" and plan.factor_dropdown.value == weakest


def test_uk_dates_are_accepted_and_printed_without_breaks():
    action = bm.check_action({"factor": "culture", "indicator": "7d", "action": "Book training",
                              "owner": "Team leader", "due": "31/03/2027", "review": "30/6/2027"})
    assert (action["due"], action["review"]) == ("2027-03-31", "2027-06-30")
    page = bm.plan_html({"team": "north-hv", "cycle": "2027", "actions": [action]}).decode()
    assert "31\u00a0Mar\u00a02027" in page and "2027-03-31" not in page
    assert "Produced on" in page and "@media print" in page
    assert "1 action<" in page


def test_report_printout_has_one_title_a_date_and_plain_english_spread(tmp_path):
    write_team(tmp_path / "resp", 5, low="culture")
    report = bm.aggregate_folder(tmp_path / "resp")
    page = report_document(report)
    assert len(re.findall(r"north-hv, cycle 2025 spring", page)) == 2  # <title> and the one <h1>
    assert "Produced on" in page and "@media print" in page
    assert "How much the team agreed" in page and "Middle half (quartiles)" not in page
    assert "half the team rated it" in page
    assert not re.search(r"<details><summary>\d+\. ", page)  # every factor's section open, so it prints


def test_spread_in_plain_english():
    assert spread_text(1, 1.25, 3.5, 5, 1, 5).startswith("Ratings differed widely: half the team rated it "
                                                         "between")
    assert spread_text(3, 3, 3, 4, 1, 5).startswith("Most of the team gave similar ratings: half the team rated "
                                                    "it at 3")


def test_a_cycle_comparison_can_be_saved_as_html_and_csv(tmp_path):
    import csv
    import io

    from resilience_course.benchmark.widgets import CycleComparison

    write_team(tmp_path / "c1", 5, cycle="c1", low="culture")
    write_team(tmp_path / "c2", 5, cycle="c2", low="support")
    w = CycleComparison()
    assert not w.html_file.filename
    w.earlier_text.value, w.later_text.value = str(tmp_path / "c1"), str(tmp_path / "c2")
    w.compare_button.click()
    assert w.html_file.filename == "comparison-north-hv-c2.html" and w.csv_file.filename.endswith(".csv")
    page = w.html_file.data.decode()
    assert "Produced on" in page and "@media print" in page and "c1 compared with c2" in page
    assert 'download="comparison-north-hv-c2.html"' in w.html_file.link_html.value
    rows = list(csv.reader(io.StringIO(w.csv_file.data.decode())))
    culture = next(r for r in rows if r[2] == "culture")
    assert culture[-1] == "Improved" and rows[0][4] == "In c1"
    w.html_file.folder_text.value = str(tmp_path / "out")
    path = w.html_file.write()
    assert path and path.read_bytes() == w.html_file.data
