"""After Action Review (support/aar.py): saves, lists, exports with learner text escaped, writes exactly."""

from __future__ import annotations

import stat

import pytest
from resilience_course.support.aar import (
    AAR_KIND,
    AAR_QUESTIONS,
    AARError,
    aar_payload,
    export_text,
    list_aars,
    privacy_warnings,
    save_aar,
    write_export,
)

from .helpers import (
    HOSTILE,
    tags_of,
)


def test_aar_saves_and_lists(store):
    rid = save_aar(
        store,
        title="A clinic that overran",
        expected="An hour",
        happened="Two hours",
        difference="No cover",
        learned="Book cover early",
    )
    saved = list_aars(store)
    assert [r["id"] for r in saved] == [rid]
    assert saved[0]["module"] == "05" and saved[0]["kind"] == AAR_KIND
    payload = saved[0]["payload"]
    assert {k: payload[k] for k in ("title", "expected", "happened", "difference", "learned")} == {
        "title": "A clinic that overran",
        "expected": "An hour",
        "happened": "Two hours",
        "difference": "No cover",
        "learned": "Book cover early",
    }
    assert payload["created"]


def test_aar_needs_an_answer_and_limits_length(store):
    with pytest.raises(AARError, match="nothing to save"):
        save_aar(store, title="Only a title", expected="   ")
    with pytest.raises(AARError, match="longer than"):
        aar_payload(happened="x" * 20001)
    assert list_aars(store) == []
    assert aar_payload(learned="Something").get("title", "").startswith("After Action Review, ")


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_export_escapes_hostile_learner_text(store, fmt):
    save_aar(
        store, title=HOSTILE, expected=HOSTILE, happened="fine", difference="", learned="# not a heading"
    )
    text = export_text(list_aars(store), fmt)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "&amp;" in text
    for _k, q, _h in AAR_QUESTIONS:
        assert q in text
    assert "identify" in text, "the export carries the privacy reminder"
    if fmt == "html":
        parsed = tags_of(text)
        assert not {"script", "img", "iframe"} & parsed.tags
        assert not any(a.startswith("on") for a in parsed.attrs)
        assert '<html lang="en-GB">' in text
    else:
        assert "\n\\# not a heading" in text


def test_export_of_several_reviews_and_unknown_format(store):
    save_aar(store, title="First", happened="a")
    save_aar(store, title="Second", happened="b")
    md = export_text(list_aars(store), "markdown")
    assert md.startswith("# My After Action Reviews") and "## First" in md and "## Second" in md
    with pytest.raises(ValueError, match="Unknown export format"):
        export_text(list_aars(store), "pdf")
    with pytest.raises(AARError):
        export_text([], "html")


def test_write_export_is_exact_private_and_never_overwrites(tmp_path):
    text = "line one\r\nline two <b>\n"
    first = write_export(text, "review.md", tmp_path / "out")
    second = write_export("other", "review.md", tmp_path / "out")
    assert first.read_bytes() == text.encode("utf-8")
    assert second.name == "review-2.md" and second.read_text(encoding="utf-8") == "other"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    for bad in ("../escape.html", "sub/dir.md", "notes.txt", "", ".hidden.md"):
        with pytest.raises(ValueError):
            write_export("x", bad, tmp_path)


def test_privacy_warnings_catch_identifiers_but_not_ordinary_text():
    assert privacy_warnings("NHS no. 943 476 5919")
    assert privacy_warnings("lives at SW1A 1AA")
    assert privacy_warnings("born 03/04/2019")
    assert privacy_warnings("email me at someone@example.org")
    assert privacy_warnings("A visit at 10:30 ran over by 20 minutes", "") == []
