"""The After Action Review widget, driven in Python."""

from __future__ import annotations

import pytest
from resilience_course.support.aar import (
    export_text,
    list_aars,
    save_aar,
)
from traitlets import TraitError

from .helpers import (
    HOSTILE,
    _fill,
)


def test_after_action_review_widget_saves_previews_and_writes(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path / "exports")
    assert aar.preview_button.disabled and aar.write_button.disabled
    _fill(
        aar,
        title=HOSTILE,
        expected="A short visit",
        happened=HOSTILE,
        difference="Longer",
        learned="Plan ahead",
    )
    aar.save_button.click()
    assert aar.message.startswith("Saved")
    assert all(box.value == "" for box in aar.boxes.values()) and aar.title_box.value == ""
    saved = list_aars(store)
    assert len(saved) == 1 and saved[0]["payload"]["happened"] == HOSTILE
    assert "<script>" not in aar.saved_html.value and "&lt;script&gt;" in aar.saved_html.value
    assert aar.export_choice == saved[0]["id"]

    assert aar.write() is None, "without a preview nothing is written"
    assert aar.last_written is None and "Preview the export first" in aar.export_message

    aar.preview_button.click()
    assert aar.preview == export_text(saved, "html")
    # the preview shows the file's own text, which is itself escaped: shown, never run
    assert "&amp;lt;script&amp;gt;" in aar.preview_html.value and "<script" not in aar.preview_html.value
    assert not aar.write_button.disabled
    aar.write_button.click()
    path = aar.last_written
    assert path is not None and path.parent == tmp_path / "exports" and path.suffix == ".html"
    assert path.read_text(encoding="utf-8") == aar.preview, "the file is exactly the preview"

    aar.format_box.value = "markdown"
    assert aar.preview == "" and aar.write_button.disabled and aar.filename.endswith(".md")
    aar.preview_button.click()
    aar.write_button.click()
    assert aar.last_written.suffix == ".md"
    assert aar.last_written.read_text(encoding="utf-8") == aar.preview == export_text(saved, "markdown")


def test_after_action_review_widget_checks_privacy_and_keeps_text(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    aar.save_button.click()
    assert "nothing to save" in aar.status_html.value and list_aars(store) == []
    _fill(aar, happened="Baby's NHS number 943 476 5919 was on the letter")
    aar.save_button.click()
    assert "NHS number" in aar.message and list_aars(store) == []
    assert aar.boxes["happened"].value.startswith("Baby's"), "nothing typed is lost"
    aar.boxes["happened"].value = "The letter had the wrong details"
    aar.save_button.click()
    assert aar.message.startswith("Saved") and len(list_aars(store)) == 1


def test_after_action_review_widget_confirms_on_second_save(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    _fill(aar, learned="Send reminders to SW1A 1AA clinic")
    aar.save_button.click()
    assert list_aars(store) == []
    aar.save_button.click()
    assert len(list_aars(store)) == 1


def test_after_action_review_widget_survives_a_store_failure(store, tmp_path, monkeypatch):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    _fill(aar, happened="Something to keep")

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "add_record", broken)
    aar.save_button.click()
    assert "could not be saved" in aar.message
    assert aar.boxes["happened"].value == "Something to keep"


def test_after_action_review_widget_exports_all_and_rejects_bad_names(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    save_aar(store, title="One", happened="a")
    save_aar(store, title="Two", happened="b")
    aar = AfterActionReview(store=store, folder=tmp_path)
    assert ("All my After Action Reviews (2)", "all") in aar.choice_box.options
    aar.choice_box.value = "all"
    aar.preview_button.click()
    assert "My After Action Reviews" in aar.preview
    aar.filename_box.value = "../outside.html"
    aar.write_button.click()
    assert "plain file name" in aar.export_message and aar.last_written is None
    with pytest.raises(TraitError):
        aar.export_choice = "not-a-review"
    with pytest.raises(TraitError):
        aar.export_format = "pdf"


def test_after_action_review_widget_enables_preview_once_a_review_exists(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    assert aar.preview_button.disabled
    _fill(aar, learned="Plan the route the night before")
    aar.save_button.click()
    assert not aar.preview_button.disabled and aar.write_button.disabled
