"""Data and helpers shared by the tests of support/ (module 5's tools)."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from resilience_course.core.content import ContentError, package_data
from resilience_course.support.menu import load_models

GUIDE = Path(__file__).resolve().parents[3] / "shared" / "source" / "resilience-framework-guide.txt"


# The rows of the guide's table "Models of Support and Resources" (iHV, 2015), as model ids.
GUIDE_MODELS = {
    "relationship-based": "Relationship-based models of intervention",
    "peer-support": "Peer support",
    "safeguarding-supervision": "Safeguarding supervision",
    "clinical-supervision": "Clinical supervision",
    "restorative-supervision": "Restorative supervision",
    "mentorship": "Mentorship",
    "coaching": "Coaching",
    "courageous-conversations": "Courageous conversations",
    "action-learning-sets": "Action learning sets",
    "performance-feedback": "Performance feedback",
    "interagency-groups": "Interagency and interdisciplinary groups",
    "compassionate-resilience": "Compassionate resilience",
}


GUIDE_VARIANTS = {
    "performance-feedback": {"constructive-feedback", "feedback-360", "after-action-review"},
    "interagency-groups": {"work-discussion-groups", "schwartz-rounds", "compassion-circles"},
}


NEEDS = [n.id for n in load_models().needs]


HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"


def guide_text() -> str:
    if not GUIDE.is_file():
        pytest.skip("the source guide is not available next to the repository")
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8")).lower()


def raw_menu() -> dict:
    return yaml.safe_load(package_data("models-of-support.yml").read_text(encoding="utf-8"))


def write_menu(tmp_path: Path, data: dict, name: str = "models.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {a for a, _v in attrs}


def tags_of(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def _reject(tmp_path, mutate, entry, reason):
    data = copy.deepcopy(raw_menu())
    mutate(data)
    path = write_menu(tmp_path, data)
    with pytest.raises(ContentError) as info:
        load_models(path)
    err = info.value
    assert err.file == str(path)
    assert err.entry == entry
    assert re.search(reason, err.reason), err.reason
    return err


def _fill(aar, **answers):
    aar.title_box.value = answers.pop("title", "")
    for field, value in answers.items():
        aar.boxes[field].value = value


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
