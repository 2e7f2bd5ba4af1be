"""Survey files and anonymous check-in responses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from resilience_course.cohort import model as co
from resilience_course.core.content import ContentError

from .helpers import answers


# -- surveys and response files ----------------------------------------------------------------
def test_survey_files_are_checked(tmp_path, checkin):
    data = yaml.safe_load(Path(checkin.source).read_text(encoding="utf-8"))
    data["questions"].append(dict(data["questions"][0]))
    bad = tmp_path / "dup.yml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=r"questions\[4\]\.id"):
        co.load_survey(bad)
    data = yaml.safe_load(Path(checkin.source).read_text(encoding="utf-8"))
    del data["signpost_message"]
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match="signpost_message"):
        co.load_survey(bad)


def test_a_check_in_response_is_anonymous(checkin):
    r = co.make_check_in(checkin, answers(3), " mc-a ", "03")
    assert set(r) == {"format", "version", "id", "cohort", "session", "answers"}
    assert r["cohort"] == "MC-A" and re.fullmatch(r"[0-9a-f]{32}", r["id"])
    assert co.needs_signpost(checkin, r["answers"]) and not co.needs_signpost(checkin, answers(0))
    assert co.response_filename(r).startswith("check-in-mc-a-03-")


def test_bad_check_in_answers_and_codes_are_explained(checkin):
    with pytest.raises(co.SurveyError) as err:
        co.make_check_in(checkin, {"doing": "fabulous", "extra": "x", "note": "y" * 401}, "", "no/slashes")
    assert {"cohort", "session", "doing", "extra", "skill", "want", "note"} <= set(err.value.problems)
