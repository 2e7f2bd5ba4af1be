"""Resilience with Compassion: the course package.

Notebooks use one import::

    import resilience_course as rc
    rc.header("02.03")
    rc.self_check("signs-of-reducing-resilience")
    rc.reflection("02", "noticing", "What do you notice first when your resilience is wearing thin?")
    rc.footer("02.03")

Shared behaviour lives in ``resilience_course.core`` (store, content, escaping, privacy); each feature
package keeps its model and its widgets side by side; only widget modules import ipywidgets, and
they are loaded on first use.
"""

from __future__ import annotations

import sys as _sys

__version__ = "0.1.0"

# jsonschema (which nbformat, nbgrader and jupyter_server import) imports rfc3987_syntax when it is
# installed (jupyter-events brings it) only to offer the "iri" format check, which nothing here uses;
# building its grammars costs seconds of CPU in every new process (a page's kernel, a learner's server),
# 24 s on a busy machine. Importing the course first (every page's first cell) keeps it out.
if "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

_LAZY = {
    # page furniture
    "header": ("pages.widgets", "header"),
    "footer": ("pages.widgets", "footer"),
    "home": ("pages.widgets", "home"),
    "tool_header": ("pages.widgets", "tool_header"),
    "tool_link": ("pages.widgets", "tool_link"),
    # my record (course/my-record.ipynb) and the facilitator's pack (course/facilitator/)
    "my_record": ("record.journal_widgets", "my_record"),
    "cpd_log": ("record.cpd_log_widgets", "cpd_log"),
    "revalidation": ("record.revalidation_widgets", "revalidation"),
    "reflective_account": ("record.reflective_accounts_widgets", "reflective_account"),
    "certificate": ("record.certificate_widgets", "certificate"),
    "check_in": ("cohort.widgets", "CheckIn"),
    "check_in_report": ("cohort.widgets", "CheckInReport"),
    "evaluation": ("cohort.widgets", "Evaluation"),
    "evaluation_report": ("cohort.widgets", "EvaluationReport"),
    "facilitator_pack": ("cohort.widgets", "FacilitatorPack"),
    # the module quizzes page (course/quizzes.ipynb)
    "quizzes": ("quiz.take_widgets", "quizzes"),
    # widgets
    "SelfCheck": ("selfcheck.widgets", "SelfCheck"),
    "Reflection": ("record.reflection_widgets", "Reflection"),
    "KnowledgeCheck": ("knowledge.widgets", "KnowledgeCheck"),
    # the organisational benchmarking tool (course/benchmark.ipynb)
    "BenchmarkResponse": ("benchmark.widgets", "BenchmarkResponse"),
    "TeamReport": ("benchmark.widgets", "TeamReport"),
    "ActionPlan": ("benchmark.widgets", "ActionPlan"),
    "CycleComparison": ("benchmark.widgets", "CycleComparison"),
    "benchmark_overview": ("benchmark.widgets", "benchmark_overview"),
    "benchmark_response": ("benchmark.widgets", "benchmark_response"),
    "benchmark_team_report": ("benchmark.widgets", "benchmark_team_report"),
    "benchmark_action_plan": ("benchmark.widgets", "benchmark_action_plan"),
    "benchmark_compare": ("benchmark.widgets", "benchmark_compare"),
    # module 5: the menu of models of support, the support finder, After Action Review
    "ModelsExplorer": ("support.menu_widgets", "ModelsExplorer"),
    "SupportFinder": ("support.finder_widgets", "SupportFinder"),
    "AfterActionReview": ("support.aar_widgets", "AfterActionReview"),
    "models_of_support": ("support.menu_widgets", "models_of_support"),
    "support_finder": ("support.finder_widgets", "support_finder"),
    "after_action_review": ("support.aar_widgets", "after_action_review"),
    # core and models
    "Store": ("core.store", "Store"),
    "load_definition": ("selfcheck.model", "load_definition"),
    "load_outline": ("core.course", "load_outline"),
    "ContentError": ("core.content", "ContentError"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name]
        value = getattr(importlib.import_module(f"{__name__}.{mod}"), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'resilience_course' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY)
                  + ["self_check", "reflection", "knowledge_check", "activity", "figure"])


def self_check(definition: str = "sharenow", **kwargs):
    """A :class:`~resilience_course.selfcheck.widgets.SelfCheck` for a built-in id or a definition file."""
    from .selfcheck.widgets import SelfCheck

    return SelfCheck(definition, **kwargs)


def reflection(module: str, prompt_id: str, prompt: str, hint: str = "", **kwargs):
    """A :class:`~resilience_course.record.reflection_widgets.Reflection` that saves to the learner's journal."""
    from .record.reflection_widgets import Reflection

    return Reflection(module, prompt_id, prompt, hint=hint, **kwargs)


def activity(module: str, activity_id: str, **kwargs):
    """The widget for one activity in ``modules/<slug>/activities.yml`` (sort, explore or form)."""
    from .activities.widgets import make_activity

    return make_activity(module, activity_id, **kwargs)


def knowledge_check(module: str, questions=None, **kwargs):
    """A :class:`~resilience_course.knowledge.widgets.KnowledgeCheck` from the module's question bank."""
    from .knowledge.widgets import KnowledgeCheck

    return KnowledgeCheck(module, questions, **kwargs)


def figure(figure_id: str, open_table: bool = False):
    """An accessible course figure (image with alt text, caption and a table) drawn from the course's data."""
    from .pages.figures import figure as make_figure
    from .ui.style import html_widget

    return html_widget(make_figure(figure_id).to_html(open_table=open_table))


def _voila_preheat() -> None:
    """In a kernel Voila preheated, wait here for the learner (see ``ui.common.await_learner``)."""
    import os

    if os.environ.get("VOILA_PREHEAT") == "True":
        from .ui.common import await_learner

        await_learner()


def _explain_errors_on_pages() -> None:
    """In a kernel, a store or content error that escapes a cell is explained on the page (``ui.session``)."""
    import sys

    if "IPython" in sys.modules:  # a kernel (not the command line)
        from .ui.session import _kind_errors_on_the_page

        _kind_errors_on_the_page()


_explain_errors_on_pages()
_voila_preheat()
