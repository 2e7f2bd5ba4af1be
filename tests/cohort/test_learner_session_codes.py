"""Issue 15: a facilitator who types session 3 instead of 03 sees the 03 files, and is told about files
for another session."""

from __future__ import annotations

from resilience_course.cohort import model as co
from resilience_course.cohort.responses import same_code

from .helpers import responses, write


def test_session_3_and_03_are_the_same_session(tmp_path, checkin):
    folder = tmp_path / "in"
    for n, r in enumerate(responses(checkin, 5, session="03")):
        write(folder, f"r{n}.json", r)
    assert len(co.read_responses(folder, checkin, "MC-A", session="3").valid) == 5
    assert len(co.read_responses(folder, checkin, "MC-A", session="03").valid) == 5
    assert same_code("3", "003") and not same_code("3", "30") and not same_code("A3", "3")


def test_files_for_another_session_are_named(tmp_path, checkin):
    folder = tmp_path / "in"
    for n, r in enumerate(responses(checkin, 5, session="04")):
        write(folder, f"r{n}.json", r)
    result = co.read_responses(folder, checkin, "MC-A", session="03")
    assert result.valid == [] and result.other_sessions == {"04": 5}
    text = "5 files in this folder are for another session (04). Check the session code."
    assert result.other_sessions_text() == text
    assert "another session (04)" in result.bad_html()
