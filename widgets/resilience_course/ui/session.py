"""The learner's side of a page: warming a kernel up, waiting for the learner, and their store."""

from __future__ import annotations

import logging
import os

from ..core.store import Store, StoreError, UnavailableStore, open_store

log = logging.getLogger("resilience_course")

__all__ = ["log", "warm_up", "await_learner", "get_store", "latest_record"]

_learner_arrived = False

# every page's widgets (together about 8 MB and 0.3 s more for a spare kernel, once, in the background; the
# quizzes page alone otherwise spent 0.15-0.7 s importing nbformat and nbgrader's exchange on first use)
_WARM_MODULES = ("resilience_course.pages.widgets", "resilience_course.selfcheck.widgets",
                 "resilience_course.record.reflection_widgets", "resilience_course.knowledge.widgets",
                 "resilience_course.activities.widgets", "resilience_course.core.charts",
                 "resilience_course.record.journal_widgets", "resilience_course.record.cpd_log_widgets",
                 "resilience_course.record.revalidation_widgets",
                 "resilience_course.record.reflective_accounts_widgets",
                 "resilience_course.record.certificate_widgets", "resilience_course.cohort.widgets",
                 "resilience_course.benchmark.widgets", "resilience_course.support.menu_widgets",
                 "resilience_course.support.finder_widgets", "resilience_course.support.aar_widgets",
                 "resilience_course.quiz.take_widgets")
_CHART_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_agg")
# "0": a spare kernel does not load matplotlib (about 28 MB of each kernel's own memory) until a page draws a
# chart. The cohort server sets it: there every learner has a page kernel and a spare, and few pages draw
# a chart when they open (the course's fixed figures come from the content cache)
WARM_CHARTS_ENV = "RESILIENCE_COURSE_WARM_CHARTS"


def warm_up() -> None:
    """Import what course pages need (widgets, content loaders, charts) before a learner asks for one."""
    import importlib

    charts = os.environ.get(WARM_CHARTS_ENV, "1") != "0"
    for name in (*_WARM_MODULES, *(_CHART_MODULES if charts else ())):
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional piece only costs time later
            log.debug("warm-up could not import %s", name, exc_info=True)
    try:
        from ..core.course import load_outline

        load_outline()
        if charts:
            from ..core.charts import bar_chart

            bar_chart("warm-up", ["a"], [1.0], "n")  # the first chart of a process loads fonts: do it now
    except Exception:
        log.debug("warm-up could not load the course outline or draw a chart", exc_info=True)


def await_learner() -> None:
    """In a kernel Voila preheats, import what the page will need (once), before the page runs.

    Voila runs a preheated page before anyone asks for it. ``import resilience_course`` (the first
    cell of every page) calls this. The page then runs in full, ahead of the learner; the server uses
    it only while the learner's data is unchanged since it ran (``publish/heated.py``), so a page never
    shows progress or history as they were when it was heated. Elsewhere (JupyterLab, tests, a kernel
    Voila starts on request) this returns at once.
    """
    global _learner_arrived
    if _learner_arrived or os.environ.get("VOILA_PREHEAT") != "True":
        return
    _learner_arrived = True
    warm_up()


def get_store(store: Store | None = None) -> Store:
    """The store given, else the learner's own (opened once per process).

    When the learner's store cannot be opened (a newer version, a folder that cannot be created, a
    lock, a full disk) the page still shows: the reason is shown on the page (once) and an
    :class:`~..core.store.UnavailableStore` stands in (nothing saved listed; each save says why not).
    """
    _kind_errors_on_the_page()
    if store is not None:
        return store
    await_learner()
    try:
        return open_store()
    except StoreError as exc:
        log.warning("the learner's store cannot be opened: %s", exc)
        unavailable = UnavailableStore(exc)
        _show_once(unavailable.message)
        return unavailable


_shown: set[str] = set()
_handler_set = False


def _show(text: str) -> None:
    """Show *text* as a warning in the output of the cell running now."""
    from IPython.display import HTML, display

    from .style import message_html

    display(HTML(message_html(text, "warn")))


def _show_once(text: str) -> None:
    """Show *text* as a warning in the output of the cell running now, once per page (a page is a kernel)."""
    if text not in _shown:
        _shown.add(text)
        _show(text)


def _kind_errors_on_the_page() -> None:
    """In a kernel, a :class:`StoreError` (or a content file's ``ContentError``) that escapes a cell is explained.

    For example another tab holding the store for longer than the busy timeout while a page is being
    built: instead of Voila's "part of this page could not be shown", the page says what happened; the
    details go to the server log. Only in a kernel Voila started for a page (``VOILA_PREHEAT`` is set in
    its environment); elsewhere errors stay errors, so notebook tests still fail on them. Set once per
    kernel, and never over another custom handler.
    """
    global _handler_set
    if _handler_set or "VOILA_PREHEAT" not in os.environ:  # a Voila page (JupyterLab and nbval keep tracebacks)
        return
    _handler_set = True
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return
    shell = get_ipython()
    if shell is None or shell.custom_exceptions:
        return

    from ..core.content import ContentError

    def handler(_shell, etype, value, tb, tb_offset=None):
        log.error("a page cell stopped: %s", value, exc_info=(etype, value, tb))
        if isinstance(value, ContentError):
            _show(f"Part of this page could not be shown because a course file has a problem ({value}). "
                  "Please tell whoever runs your course. Anything you have saved is safe.")
        else:
            _show(str(value))
        return []

    shell.set_custom_exc((StoreError, ContentError), handler)


def latest_record(store: Store, kind: str) -> dict | None:
    """The learner's most recent record of *kind*, or None (also when the store cannot be read)."""
    try:
        records = store.records(kind)
    except Exception:
        log.exception("reading saved %s records failed", kind)
        return None
    return records[-1] if records else None
