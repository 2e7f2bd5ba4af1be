"""What the learner sees when things go wrong on a page (issue 14, items 4, 7, 8 and 9), exercised in Python.

* 4: a reflection or an After Action Review answer over the limit was lost (the box rejected it, Save stored
  the older draft, said "Saved" and cleared the box);
* 7: one deeply nested check-in file blocked the facilitator's group report;
* 8: a store from a newer version, or a data folder that cannot be created, showed only "part of this page
  could not be shown" (the reason went to the server log);
* 9: a Markdown export of an After Action Review kept ``[x](javascript:...)`` links live.

A browser sends a box's text with ``set_state``; the kernel logs an error raised there and carries on, which
:func:`typed` reproduces.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import nbformat
import pytest
from resilience_course.core.store import SCHEMA_VERSION, Store, StoreError, UnavailableStore


def typed(box, text: str) -> None:
    """Type *text* into a box as the browser does (an error in the kernel's handler is logged, not raised)."""
    try:
        box.set_state({"value": text})
    except Exception:  # what ipykernel does with an error while handling a comm message
        logging.getLogger("test").exception("comm message failed")


# -- item 4: text over the limit -------------------------------------------------------------------------
def test_a_reflection_over_the_limit_is_kept_in_the_box_and_nothing_older_is_saved(store):
    from resilience_course.record.reflection_widgets import MAX_CHARS, Reflection

    w = Reflection("02", "noticing", "What do you notice?", store=store)
    typed(w.textarea, "an older draft")
    long_text = "I noticed " + "x" * MAX_CHARS
    typed(w.textarea, long_text)
    w.save_button.click()
    assert store.reflections() == []  # not the older draft
    assert w.textarea.value == long_text  # nothing lost
    assert not w.message.startswith("Saved")
    assert f"{MAX_CHARS:,}" in w.message or str(MAX_CHARS) in w.message
    assert w.message in w.status_html.value or "characters" in w.status_html.value
    typed(w.textarea, long_text[:MAX_CHARS])
    w.save_button.click()
    assert [r["text"] for r in store.reflections()] == [long_text[:MAX_CHARS]]


@pytest.mark.parametrize("field", ["expected", "happened", "difference", "learned"])
def test_an_after_action_review_answer_over_the_limit_is_kept(store, tmp_path, field):
    from resilience_course.support.aar import MAX_ANSWER
    from resilience_course.support.aar_widgets import AfterActionReview

    w = AfterActionReview(store=store, folder=tmp_path)
    typed(w.boxes[field], "an older draft")
    long_text = "y" * (MAX_ANSWER + 1)
    typed(w.boxes[field], long_text)
    w.save_button.click()
    assert store.records("after-action-review") == []
    assert w.boxes[field].value == long_text
    assert not w.message.startswith("Saved") and str(MAX_ANSWER) in w.message.replace(",", "")


def test_an_after_action_review_title_over_the_limit_is_kept(store, tmp_path):
    from resilience_course.support.aar import MAX_TITLE
    from resilience_course.support.aar_widgets import AfterActionReview

    w = AfterActionReview(store=store, folder=tmp_path)
    typed(w.boxes["learned"], "ask for help early")
    typed(w.title_box, "A short title")
    typed(w.title_box, "t" * (MAX_TITLE + 1))
    w.save_button.click()
    assert store.records("after-action-review") == []
    assert w.title_box.value == "t" * (MAX_TITLE + 1) and w.boxes["learned"].value == "ask for help early"
    assert str(MAX_TITLE) in w.message


# -- item 7: one bad anonymous response ----------------------------------------------------------------------
def test_a_deeply_nested_check_in_file_does_not_block_the_facilitators_report(tmp_path):
    from resilience_course.cohort import model as co
    from resilience_course.cohort.widgets import CheckInReport

    survey = co.load_survey("check-in")
    folder = tmp_path / "in"
    folder.mkdir()
    doing = ["good", "okay", "mixed", "stretched", "struggling"]
    for n in range(5):
        answers = {"doing": doing[n], "skill": "hope", "want": "talk", "note": ""}
        (folder / f"good-{n}.json").write_text(json.dumps(co.make_check_in(survey, answers, "MC-A", "03")))
    (folder / "deep.json").write_text("[" * 30_000 + "]" * 30_000)
    report = CheckInReport()
    typed(report.folder_input, str(folder))
    typed(report.cohort_input, "MC-A")
    typed(report.session_input, "03")
    report.button.click()
    page = report.report_html.value
    assert "deep.json" in page and "nested too deeply" in page
    assert report.summary is not None and report.summary.shown


# -- item 8: the store cannot be opened ---------------------------------------------------------------------
def newer_store(folder: Path) -> None:
    folder.mkdir(parents=True, mode=0o700)
    Store(folder / "learner.sqlite3").close()
    conn = sqlite3.connect(folder / "learner.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def run_page(tmp_path: Path, data_dir: Path) -> list:
    """Run a small course page in a real kernel, as Voila does, and return its cells with their outputs."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "import resilience_course as rc",
        'rc.reflection("02", "noticing", "What do you notice first?")',
        'rc.footer("02.01")',
        'print("the rest of the page still runs")',
    )]
    env_setup = f"import os; os.environ['RESILIENCE_COURSE_DATA_DIR'] = {str(data_dir)!r}"
    nb.cells.insert(0, nbformat.v4.new_code_cell(env_setup))
    NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb.cells


@pytest.fixture(autouse=True)
def as_voila(monkeypatch):
    """Kernels started here get the environment Voila gives a page's kernel."""
    monkeypatch.setenv("VOILA_PREHEAT", "False")


def html_outputs(cell) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs if o.output_type == "display_data")


@pytest.mark.slow
@pytest.mark.parametrize("case", ["newer", "no-folder"])
def test_a_page_says_why_the_store_cannot_be_opened(tmp_path, case):
    if case == "newer":
        data_dir = tmp_path / "data"
        newer_store(data_dir)
        words = "newer version of the course"
    else:
        (tmp_path / "in-the-way").write_text("a file where the data folder should be")
        data_dir = tmp_path / "in-the-way" / "data"
        words = "cannot be used"
    cells = run_page(tmp_path, data_dir)
    assert not [o for c in cells for o in c.outputs if o.output_type == "error"]
    shown = html_outputs(cells[2])
    assert words in shown and 'role="alert"' in shown and "nothing on it can be saved" in shown
    assert "Traceback" not in shown
    widget = [o for o in cells[2].outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widget, "the reflection box is still on the page"
    assert words not in html_outputs(cells[3])  # said once, near the top, not under every widget
    assert "the rest of the page still runs" in "".join(o.get("text", "") for o in cells[4].outputs)
    if case == "newer":
        assert not list((tmp_path / "data").glob("*.corrupt-*"))


LOCKER = "\n".join([
    "import sqlite3, sys, time",
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)",
    'conn.execute("BEGIN EXCLUSIVE")',
    'print("locked", flush=True)',
    "time.sleep(8)",
    'conn.execute("ROLLBACK")',
])
HOLD = "\n".join([
    "import subprocess, sys",
    "from resilience_course.core.store import open_store",
    "store = open_store()",
    'store.conn.execute("PRAGMA busy_timeout = 1000")  # this page waits 1 s, not 10, for the other tab',
    f"holder = subprocess.Popen([sys.executable, '-c', {LOCKER!r}, str(store.path)], stdout=subprocess.PIPE, "
    "text=True)",
    'assert holder.stdout.readline().strip() == "locked"',
])


@pytest.mark.slow
def test_a_page_built_while_another_tab_holds_the_store_says_so(tmp_path):
    """The store is open, then another tab holds it locked while the next widget is built."""
    from nbclient import NotebookClient

    data_dir = tmp_path / "data"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        f"import os; os.environ['RESILIENCE_COURSE_DATA_DIR'] = {str(data_dir)!r}",
        "import resilience_course as rc",
        'rc.footer("02.01")',
        HOLD,
        'rc.reflection("02", "noticing", "What do you notice first?")',
        "holder.wait()",
    )]
    NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not [o for o in nb.cells[3].outputs if o.output_type == "error"], nb.cells[3].outputs
    cell = nb.cells[4]
    shown = html_outputs(cell)
    assert "busy" in shown and 'role="alert"' in shown and "safe" in shown
    assert not [o for o in cell.outputs if o.output_type == "error"]  # no traceback, no generic error block
    assert not list(data_dir.glob("*.corrupt-*"))


def test_saving_to_an_unavailable_store_says_why_and_keeps_the_text(tmp_path):
    from resilience_course.record.reflection_widgets import Reflection

    reason = StoreError("Your course data at X was written by a newer version of the course.", "newer")
    w = Reflection("02", "noticing", "What do you notice?", store=UnavailableStore(reason, tmp_path / "x"))
    assert w.saved_count == 0
    typed(w.textarea, "my reflection")
    w.save_button.click()
    assert "newer version" in w.message and "newer version" in w.status_html.value
    assert w.textarea.value == "my reflection"
    with pytest.raises(StoreError):
        UnavailableStore(reason).export_data()


def test_an_unavailable_store_is_not_retried_by_every_widget_on_a_page(tmp_path, monkeypatch):
    from resilience_course.core import store as store_mod

    monkeypatch.setenv(store_mod.ENV_VAR, str(tmp_path / "data"))
    newer_store(tmp_path / "data")
    monkeypatch.setattr(store_mod, "_default", None)
    monkeypatch.setattr(store_mod, "_failed", None)
    opened = []
    real_init = Store.__init__
    monkeypatch.setattr(Store, "__init__", lambda self, *a, **k: (opened.append(1), real_init(self, *a, **k))[1])
    for _ in range(3):
        with pytest.raises(StoreError, match="newer version"):
            store_mod.open_store()
    assert len(opened) == 1


# -- item 9: Markdown exports keep no live link ----------------------------------------------------------
def test_the_after_action_review_markdown_export_keeps_no_live_link(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    hostile = "[click me](javascript:alert(1)) <javascript:alert(2)> ![x](http://example.org/t.png)"
    w = AfterActionReview(store=store, folder=tmp_path)
    typed(w.title_box, hostile)
    for box in w.boxes.values():
        typed(box, hostile)
    w.save_button.click()
    if not w.message.startswith("Saved"):  # a privacy prompt asks once for confirmation
        w.save_button.click()
    assert w.message.startswith("Saved")
    w.format_box.value = "markdown"
    w.preview_button.click()
    md = w.preview
    assert md and "](" not in md.replace("\\](", "") and "<javascript" not in md
    w.write_button.click()
    written = w.last_written.read_text(encoding="utf-8")
    assert written == md


def test_outside_voila_errors_stay_errors_so_notebook_tests_catch_them(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.delenv("VOILA_PREHEAT")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "import resilience_course as rc",
        f"rc.self_check({str(tmp_path / 'missing.yml')!r})",
    )]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert [o.ename for o in nb.cells[1].outputs if o.output_type == "error"] == ["ContentError"]


@pytest.mark.slow
def test_a_page_with_a_hostile_self_check_file_names_the_file_and_the_limit(tmp_path):
    """Issue 14 item 5 on a page: an organisation's self-check file that is an alias bomb."""
    from nbclient import NotebookClient

    bomb = tmp_path / "scale.yml"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{b}: &{b} [{','.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
    bomb.write_text("id: bomb\ntitle:\n" + "".join(f"  {line}\n" for line in lines), encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        f"import os; os.environ['RESILIENCE_COURSE_DATA_DIR'] = {str(tmp_path / 'data')!r}",
        "import resilience_course as rc",
        f"rc.self_check({str(bomb)!r})",  # before any widget has opened the store
    )]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    cell = nb.cells[2]
    shown = html_outputs(cell)
    assert str(bomb) in shown and "aliases" in shown and "limit" in shown and 'role="alert"' in shown
    assert not [o for o in cell.outputs if o.output_type == "error"]


def test_a_certificate_name_over_the_limit_is_never_replaced_by_an_older_one(store, tmp_path):
    """The same defect as item 4: a refused name left the older one to be printed on the certificate."""
    from resilience_course.core.course import load_outline
    from resilience_course.record.certificate_widgets import CertificatePanel

    outline = load_outline()
    banks = {m.id: [f"q{m.id}"] for m in outline.modules}
    for s in outline.sections():
        store.mark_complete(s.id)
    for mid, qids in banks.items():
        store.add_record("knowledge-check", {"question": qids[0], "outcome": "x", "selected": ["a"],
                                             "verdict": "correct"}, mid)
    w = CertificatePanel(store=store, banks=banks, folder=str(tmp_path / "out"))
    assert w.status.complete
    typed(w.name_input, "Sam Older")
    long_name = "Sam " + "N" * 130
    typed(w.name_input, long_name)
    w.preview_button.click()
    assert "Sam Older" not in w.preview_html.value
    assert "120" in w.message and w.name_input.value == long_name
    w.write_button.click()
    assert not (tmp_path / "out").exists()
