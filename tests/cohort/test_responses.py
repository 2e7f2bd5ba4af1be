"""Reading a folder of response files: bad files listed with reasons, depth limits, folders explained."""

from __future__ import annotations

from resilience_course.cohort import model as co

from .helpers import responses, write


def test_bad_files_are_listed_with_reasons_and_skipped(tmp_path, checkin, evaluation):
    folder = tmp_path / "in"
    good = responses(checkin, 5)
    for n, r in enumerate(good):
        write(folder, f"good-{n}.json", r)
    dup = write(folder, "z-duplicate.json", good[0])
    write(folder, "broken.json", "{not json")
    write(folder, "list.json", [1, 2])
    write(folder, "old.json", {**responses(checkin, 1)[0], "version": 99})
    write(folder, "badid.json", {**responses(checkin, 1)[0], "id": "../../etc"})
    write(folder, "other-group.json", responses(checkin, 1, cohort="MC-B")[0])
    write(folder, "other-session.json", responses(checkin, 1, session="04")[0])
    write(folder, "named.json", {**responses(checkin, 1)[0], "name": "Sam"})
    write(folder, "badanswer.json", {**responses(checkin, 1)[0], "answers": {"doing": "fine"}})
    saved = {"after": {"confidence": {}, "reaction": {}}, "before": {"confidence": {"3.1": 2}}}
    write(folder, "evaluation.json", co.make_evaluation(evaluation, "03", "MC-A", saved))
    write(folder, "huge.json", " " * (co.MAX_FILE_BYTES + 1))
    write(folder, "notes.txt", "ignored: not a .json file")
    result = co.read_responses(folder, checkin, "mc-a", session="03")
    assert len(result.valid) == 5
    reasons = dict(result.bad)
    assert "duplicate of good-0.json" in reasons[dup.name]
    assert "cannot be read as JSON" in reasons["broken.json"]
    assert "not a course response file" in reasons["list.json"]
    assert "version 99" in reasons["old.json"]
    assert "response id" in reasons["badid.json"]
    assert "group 'MC-B'" in reasons["other-group.json"]
    assert "session '04'" in reasons["other-session.json"]
    assert "unexpected fields (name)" in reasons["named.json"]
    assert "answers are not valid" in reasons["badanswer.json"]
    assert "evaluation file, not a check-in file" in reasons["evaluation.json"]
    assert "too large" in reasons["huge.json"]
    assert "notes.txt" not in reasons
    html = result.bad_html()
    assert "broken.json" in html and "<table" in html


def test_a_deeply_nested_file_is_skipped_and_the_report_still_shows(tmp_path, checkin):
    """One hostile check-in file (nested 30,000 deep) once raised RecursionError and blocked the report."""
    folder = tmp_path / "in"
    for n, r in enumerate(responses(checkin, 5)):
        write(folder, f"good-{n}.json", r)
    write(folder, "deep.json", "[" * 30_000 + "]" * 30_000)
    write(folder, "deep-object.json", '{"answers":' * 50 + "1" + "}" * 50)
    result = co.read_responses(folder, checkin, "MC-A", session="03")
    reasons = dict(result.bad)
    assert len(result.valid) == 5 and "nested too deeply" in reasons["deep.json"]
    assert "nested too deeply" in reasons["deep-object.json"]
    assert co.summarise_check_in(checkin, result.valid).shown


def test_a_missing_or_empty_folder_is_explained(tmp_path, checkin):
    assert "no folder" in co.read_responses(tmp_path / "nope", checkin, "A", session="1").problem
    (tmp_path / "empty").mkdir()
    assert "no .json" in co.read_responses(tmp_path / "empty", checkin, "A", session="1").problem
    assert "missing" in co.read_responses(tmp_path / "empty", checkin, "", session="1").problem
