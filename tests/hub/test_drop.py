"""The group tools on the cohort server: responses go into a drop folder, the report reads it by itself,
and the projector view shows no free text and no file names (no root needed: the folder's Unix
permissions are checked end to end in test_hub.py)."""

from __future__ import annotations

import json
import re
import stat

import pytest
from resilience_course.cohort import model as co
from resilience_course.hub import drop

from tests.cohort.helpers import answers


@pytest.fixture
def on_hub(tmp_path, monkeypatch):
    base = tmp_path / "drop"
    for kind in drop.KINDS:
        (base / kind).mkdir(parents=True)
    monkeypatch.setenv(drop.DROP_ENV, str(base))
    monkeypatch.setenv(drop.COHORT_ENV, "monday-club")
    return base


def test_off_the_hub_there_is_no_drop_folder(monkeypatch):
    monkeypatch.delenv(drop.DROP_ENV, raising=False)
    assert drop.folder("check-in") is None
    with pytest.raises(OSError):
        drop.hand_in("check-in", "{}")
    with pytest.raises(ValueError):
        drop.folder("../../etc")


def test_a_response_is_handed_in_under_an_unguessable_name(on_hub):
    paths = {drop.hand_in("check-in", '{"a": 1}\n') for _ in range(20)}
    assert len(paths) == 20
    for path in paths:
        assert path.parent == on_hub / "check-in"
        assert re.fullmatch(r"[0-9a-f]{32}\.json", path.name)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640  # its author and the facilitators' group
        assert path.read_text() == '{"a": 1}\n'


def test_the_check_in_goes_to_the_drop_folder_and_the_report_reads_it(on_hub):
    from resilience_course.cohort.widgets import CheckIn, CheckInReport

    for i in range(5):
        w = CheckIn()
        assert w.folder.layout.display == "none" and w.cohort_input.value == "monday-club"
        w.session_input.value = "03"
        for qid, value in answers(i).items():
            w.form.controls[qid].value = value
        w.preview_button.click()
        w.write_button.click()
        assert w.message.startswith("Saved for your facilitator"), w.message
        assert str(on_hub) not in w.message  # no path shown
        report = CheckInReport()
        assert report.folder_input.layout.display == "none" and report.cohort == "monday-club"
        report.session_input.value = "03"
        report.button.click()
        assert report.summary.shown == (i == 4), i  # the rule of five
    # hiding the folder box hid no other text box (ipywidgets layouts can be shared between controls)
    from resilience_course.ui.controls import text_input

    assert text_input("Another box", area=True).layout.display != "none"
    files = list((on_hub / "check-in").iterdir())
    assert len(files) == 5 and all(json.loads(f.read_text())["cohort"] == "MONDAY-CLUB" for f in files)
    assert "note 1" in report.report_html.value
    # projector view: the same picture without the comments
    report.projector_box.value = True
    assert report.summary.shown and "note 1" not in report.report_html.value
    assert report.report_html.value.count("<h4>") >= 3  # the charts of the choice questions stay
    assert "written comments are not shown" in report.report_html.value
    assert "said things are hard" not in report.report_html.value


def test_the_projector_view_hides_file_names_of_skipped_files(on_hub):
    from resilience_course.cohort.widgets import CheckInReport

    for i in range(5):
        drop.hand_in("check-in", json.dumps(co.make_check_in(co.load_survey("check-in"), answers(i), "monday-club",
                                                             "03")))
    bad = on_hub / "check-in" / "who-wrote-this-amira.json"
    bad.write_text("not json")
    report = CheckInReport()
    report.session_input.value = "03"
    report.button.click()
    assert report.summary.shown and "who-wrote-this-amira" in report.report_html.value
    report.projector_box.value = True
    assert "who-wrote-this-amira" not in report.report_html.value and "could not be counted" in report.report_html.value


def test_the_evaluation_report_has_a_projector_view_without_comments(on_hub, tmp_path):
    from resilience_course.cohort.widgets import EvaluationReport

    survey = co.load_survey("evaluation")
    outline = __import__("resilience_course.core.course", fromlist=["load_outline"]).load_outline()
    module = outline.modules[0]
    text_q = next(q["id"] for q in survey.questions if q["type"] == "text")
    choice = {q["id"]: q["options"][0]["id"] for q in survey.questions if q["type"] == "choice"}
    for i in range(5):
        response = {"format": co.EVALUATION_FORMAT, "version": survey.version, "id": f"{i:032x}",
                    "cohort": "MONDAY-CLUB", "module": module.id,
                    "confidence_before": {o["id"]: 2 for o in module.outcomes},
                    "confidence_after": {o["id"]: 4 for o in module.outcomes},
                    "reaction": {**choice, text_q: f"comment {i}"}}
        drop.hand_in("evaluation", json.dumps(response))
    report = EvaluationReport()
    assert report.folder_input.layout.display == "none"
    report.module = module.id
    report.button.click()
    assert report.summary is not None and report.summary.shown, report.report_html.value
    assert "comment 3" in report.report_html.value
    report.projector_box.value = True
    assert "comment 3" not in report.report_html.value and "Before" in report.report_html.value


def test_team_benchmark_responses_go_to_the_team_leads_drop_folder(on_hub, tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkResponse, TeamReport
    from resilience_course.core.store import Store

    store = Store(tmp_path / "learner.sqlite3")
    try:
        for i in range(5):
            w = BenchmarkResponse(store=store)
            assert w.folder_text.layout.display == "none"
            w.team_text.value = "north-hv"
            w.cycle_text.value = "2027 spring"
            for b in w.rating_buttons.values():
                b.value = 2 + i % 3
            for b in w.indicator_buttons.values():
                b.value = "in_place"
            w.preview_button.click()
            w.write_button.click()
            assert w.message.startswith("Saved for your team lead"), w.message
            assert str(on_hub) not in w.message
            report = TeamReport()
            assert report.folder_text.layout.display == "none"
            report.make_button.click()
            assert report.report is not None and report.report.enough == (i == 4), (i, report.message)
    finally:
        store.close()
    assert len(list((on_hub / "benchmark").glob("*.json"))) == 5
