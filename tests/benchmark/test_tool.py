"""The benchmarking tool's factors: loaded, numbered and checked."""

from __future__ import annotations

import pytest
import yaml
from resilience_course.benchmark import model as bm
from resilience_course.core.content import ContentError, package_data

from .helpers import IIDS, TOOL


# -- the factors ------------------------------------------------------------------------------------
def test_seven_factors_sixty_indicators_letters_in_order():
    assert [f.number for f in TOOL.factors] == [1, 2, 3, 4, 5, 6, 7]
    titles = {7: "Culture", 6: "Health and wellbeing", 5: "Client relationships", 4: "Involvement and participation",
              3: "Recruitment", 2: "Training and development", 1: "Support"}
    assert {f.number: f.title for f in TOOL.factors} == titles
    assert [len(f.indicators) for f in TOOL.factors] == [11, 9, 6, 7, 9, 9, 9]
    assert len(IIDS) == len(set(IIDS)) == 60
    for f in TOOL.factors:
        letters = [i.letter for i in f.indicators]
        assert letters == list("abcdefghijk"[: len(letters)])
        assert all(i.id == f"{f.number}{i.letter}" and i.factor_id == f.id for i in f.indicators)
    assert [s["value"] for s in TOOL.scale] == [1, 2, 3, 4, 5] and all(s["label"] for s in TOOL.scale)
    assert "prototype" in TOOL.note and "tested" in TOOL.note
    assert "Stansfield" in TOOL.introduction and "Essence of Care" in TOOL.introduction


def _mutated(tmp_path, change):
    data = yaml.safe_load(package_data("benchmark-factors.yml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "factors.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, entry, words", [
    (lambda d: d["factors"].pop(), "factors", "7 factors"),
    (lambda d: d["factors"][2]["indicators"].pop(1), "factors[2].indicators[1].letter", "in order"),
    (lambda d: d["factors"][2]["indicators"].pop(), "factors[2].indicators", "6 indicators"),
    (lambda d: d["factors"][1].update(number=1), "factors[1].number", "expected 2"),
    (lambda d: d["factors"][3].update(id="support"), "factors[3].id", "duplicate"),
    (lambda d: d["rating_scale"].reverse(), "rating_scale", "in order"),
    (lambda d: d["factors"][0]["indicators"][0].update(letter="A"), "factors[0].indicators[0].letter", ""),
])
def test_loader_names_file_entry_and_reason(tmp_path, change, entry, words):
    path = _mutated(tmp_path, change)
    with pytest.raises(ContentError) as exc:
        bm.load_factors(path)
    assert exc.value.entry == entry and str(path) in str(exc.value) and words in exc.value.reason


def test_factors_file_is_checked_by_validate_all():
    from resilience_course.validate_all import content_files, validate_all

    assert (package_data("benchmark-factors.yml"), "benchmark") in content_files()
    problems, _count = validate_all()
    assert not [p for p in problems if "benchmark" in p]
