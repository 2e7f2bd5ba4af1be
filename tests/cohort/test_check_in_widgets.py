"""The check-in widget, driven in Python."""

from __future__ import annotations

from pathlib import Path

from resilience_course.cohort import model as co

from .helpers import answers


# -- widgets, driven in Python ---------------------------------------------------------------------
def test_check_in_widget_signposts_previews_and_writes(tmp_path, checkin):
    from resilience_course.cohort.widgets import CheckIn, CheckInReport

    out = tmp_path / "responses"
    paths = []
    for i in range(5):
        w = CheckIn(folder=str(out))
        w.on_submit(lambda _w, p: paths.append(p))
        w.cohort_input.value = "mc-a"
        w.session_input.value = "03"
        for qid, value in answers(i).items():
            w.form.controls[qid].value = value
        assert ("Support is available" in w.signpost_html.value) == co.needs_signpost(checkin, answers(i))
        assert w.write() is None  # nothing is written before the preview
        assert len(list(out.iterdir())) == i if out.exists() else i == 0
        w.preview_button.click()
        assert '"cohort": "MC-A"' in w.preview_html.value.replace("&quot;", '"')
        assert "&lt;script&gt;" in w.preview_html.value
        w.write_button.click()
        assert "Written" in w.message
    assert len(paths) == 5 and all(Path(p).is_file() for p in paths)
    w = CheckIn(folder=str(out))
    w.preview_button.click()
    assert "skill" in w.problems and w.write_button.disabled

    report = CheckInReport()
    report.folder_input.value = str(out)
    report.cohort_input.value = "MC-A"
    report.session_input.value = "03"
    report.button.click()
    assert report.summary.shown and report.summary.n == 5
    Path(paths[0]).unlink()
    report.button.click()
    assert not report.summary.shown and "1 more is needed" in report.report_html.value
    assert "note 1" not in report.report_html.value and "Bar chart" not in report.report_html.value


def test_check_in_preview_is_cleared_when_answers_change(tmp_path):
    from resilience_course.cohort.widgets import CheckIn

    w = CheckIn(folder=str(tmp_path / "x"))
    w.cohort, w.session, w.answers = "A", "1", {"doing": "good", "skill": "hope", "want": "talk"}
    assert w.make_preview() is not None and not w.write_button.disabled
    w.form.controls["want"].value = "listen"
    assert w.preview == "" and w.write_button.disabled and w.write() is None
