"""The team report widget."""

from __future__ import annotations

import json

from .helpers import write_team


def test_team_report_widget_messages_and_report(tmp_path):
    from resilience_course.benchmark.widgets import BenchmarkSession, TeamReport

    session = BenchmarkSession()
    w = TeamReport(session=session)
    w.make_button.click()
    assert "Type the path" in w.message_html.value and w.save_button.disabled
    w.folder_text.value = str(tmp_path / "missing")
    w.make_button.click()
    assert "cannot be found" in w.message_html.value
    (tmp_path / "a-file.txt").write_text("x")
    w.folder_text.value = str(tmp_path / "a-file.txt")
    w.make_button.click()
    assert "is a file" in w.message_html.value
    (tmp_path / "empty").mkdir()
    w.folder_text.value = str(tmp_path / "empty")
    w.make_button.click()
    assert "is empty" in w.message_html.value
    write_team(tmp_path / "resp", 4)
    w.folder_text.value = str(tmp_path / "resp")
    w.make_button.click()
    assert "1 more valid response(s) needed" in w.report_html.value and "bold" not in w.report_html.value
    write_team(tmp_path / "resp2", 5)
    (tmp_path / "resp2" / "junk.json").write_bytes(b"\x89PNG")
    w.folder_text.value = str(tmp_path / "resp2")
    w.make_button.click()
    out = w.report_html.value
    assert session.report is w.report and w.report.n_valid == 5
    assert "junk.json" in out and "&lt;b&gt;bold&lt;/b&gt; idea" in out and "<b>bold" not in out
    assert w.out_text.value.endswith("resp2-report") and not w.save_button.disabled
    w.save_button.click()
    assert (tmp_path / "resp2-report" / "report.html").is_file() and "Saved" in w.message_html.value
    saved = json.loads((tmp_path / "resp2-report" / "report.json").read_text())
    assert saved["ranking"][0] == "culture" and saved["responses"] == 5
