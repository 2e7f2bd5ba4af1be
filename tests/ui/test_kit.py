"""The widget kit: one button, submit callbacks, the guarded action, save-or-download, earlier entries."""

import base64
import logging
import stat

import ipywidgets as widgets
import pytest
from resilience_course.core.store import StoreError
from resilience_course.ui import common
from resilience_course.ui.controls import button
from resilience_course.ui.download import SaveOrDownload, download_link_html
from resilience_course.ui.entries import earlier_entries_html
from resilience_course.ui.guard import guarded
from resilience_course.ui.submit import Submits


def test_old_names_stay_importable_from_ui_common():
    for name in ("warm_up", "await_learner", "get_store", "message_html", "button", "when", "latest_record"):
        assert callable(getattr(common, name))


def test_one_button_fits_its_label():
    b = button("A long label that must never be cut short", button_style="primary")
    assert b.layout.width == "auto" and b.button_style == "primary"


def test_submit_callbacks_use_the_callback_dispatcher():
    class W(Submits, widgets.VBox):
        pass

    w, got = W(), []
    assert isinstance(w._submit_handlers, widgets.CallbackDispatcher)

    def cb(*args):
        got.append(args)

    def broken(*_args):
        raise RuntimeError("a page's callback failed")

    w.on_submit(broken)
    w.on_submit(cb)
    w._submitted(w, "x")
    assert got == [(w, "x")], "a failing callback does not stop the others"
    w.on_submit(cb, remove=True)
    w._submitted(w, "y")
    assert len(got) == 1


def test_guarded_shows_a_clear_message_and_logs_details(caplog):
    class Target:
        message = ""

    t = Target()
    assert guarded(lambda: 42, t, "never shown") == 42 and t.message == ""

    def boom():
        raise RuntimeError("disk I/O error at sector 7")

    with caplog.at_level(logging.ERROR, logger="resilience_course"):
        assert guarded(boom, t, "Your answers could not be saved; they are still on screen.") is None
    assert t.message == "Your answers could not be saved; they are still on screen."
    assert "sector 7" in caplog.text and "sector 7" not in t.message

    said = []

    def invalid():
        raise ValueError("The title can be at most 200 characters.")

    assert guarded(invalid, said.append, "x", expected=ValueError) is None
    assert said == ["The title can be at most 200 characters."]

    def locked():
        raise StoreError("Your course data is busy in another tab; try again in a moment.")

    guarded(locked, said.append, "x")
    assert said[-1].startswith("Your course data is busy")


def test_download_link_carries_the_exact_file_and_names_it():
    html = download_link_html('report "1".html', "<b>é</b>")
    assert 'download="report &quot;1&quot;.html"' in html and ">Download report &quot;1&quot;.html</a>" in html
    b64 = html.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(b64) == "<b>é</b>".encode()
    assert "data:text/html;charset=utf-8;base64," in html


def test_save_or_download_offers_a_download_and_writes_a_private_new_file(tmp_path):
    w = SaveOrDownload(folder=tmp_path / "out")
    assert w.link_html.value == "" and w.write_button.disabled
    assert w.write() is None and "preview it first" in w.message
    written = []
    w.on_submit(lambda _w, path: written.append(path))
    w.offer("plan.csv", "a,b\r\n1,2\r\n")
    assert "Download plan.csv" in w.link_html.value and not w.write_button.disabled
    first, second = w.write(), w.write()
    assert first.read_bytes() == b"a,b\r\n1,2\r\n" and second.name == "plan-2.csv"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600 and written == [first, second]
    assert w.message.startswith("Saved") and "rc-ok" in w.status_html.value


def test_save_or_download_explains_an_unusable_folder_and_keeps_the_download(tmp_path):
    (tmp_path / "file").write_text("x")
    w = SaveOrDownload(folder=tmp_path / "file")
    w.offer("a.md", "text")
    assert w.write() is None and "file, not a folder" in w.message
    assert "Download a.md" in w.link_html.value and 'role="alert"' in w.status_html.value
    w.clear()
    assert w.link_html.value == "" and w.filename == ""


def test_download_only_when_folders_are_not_offered():
    w = SaveOrDownload(allow_folder=False)
    assert w.folder_text not in w.children and w.write_button not in w.children


@pytest.mark.parametrize("entries, expected", [([], ""), ([("2026-11-28T10:00:00+00:00", "<p>a</p>"),
                                                          ("2026-11-29T10:00:00+00:00", "<p>b</p>")], "(2)")])
def test_earlier_entries_newest_first(entries, expected):
    html = earlier_entries_html(entries, "Your earlier <entries>")
    assert expected in html
    if entries:
        assert html.index("<p>b</p>") < html.index("<p>a</p>") and "&lt;entries&gt;" in html
        assert "29 Nov 2026" in html
