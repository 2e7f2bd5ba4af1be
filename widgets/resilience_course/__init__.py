"""Resilience with Compassion: the course package.

Notebooks use one import::

    import resilience_course as rc
    rc.header("02.03")
    rc.self_check("signs-of-reducing-resilience")
    rc.reflection("02", "noticing", "What do you notice first when your resilience is wearing thin?")
    rc.footer("02.03")

The engine (``resilience_course.engine``: definitions, scoring, storage, export) never imports
ipywidgets; the widgets live in ``resilience_course.ui`` and are loaded on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    # page furniture
    "header": ("ui.page", "header"),
    "footer": ("ui.page", "footer"),
    "home": ("ui.page", "home"),
    "tool_header": ("ui.page", "tool_header"),
    "tool_link": ("ui.page", "tool_link"),
    # my record (course/my-record.ipynb) and the facilitator's pack (course/facilitator/)
    "my_record": ("ui.record", "my_record"),
    "cpd_log": ("ui.record", "cpd_log"),
    "revalidation": ("ui.record", "revalidation"),
    "reflective_account": ("ui.record", "reflective_account"),
    "certificate": ("ui.record", "certificate"),
    "check_in": ("ui.cohort", "CheckIn"),
    "check_in_report": ("ui.cohort", "CheckInReport"),
    "evaluation": ("ui.cohort", "Evaluation"),
    "evaluation_report": ("ui.cohort", "EvaluationReport"),
    "facilitator_pack": ("ui.cohort", "FacilitatorPack"),
    # widgets
    "SelfCheck": ("ui.selfcheck", "SelfCheck"),
    "Reflection": ("ui.reflection", "Reflection"),
    "KnowledgeCheck": ("ui.knowledge", "KnowledgeCheck"),
    # the organisational benchmarking tool (course/benchmark.ipynb)
    "BenchmarkResponse": ("ui.benchmark", "BenchmarkResponse"),
    "TeamReport": ("ui.benchmark", "TeamReport"),
    "ActionPlan": ("ui.benchmark", "ActionPlan"),
    "CycleComparison": ("ui.benchmark", "CycleComparison"),
    "benchmark_overview": ("ui.benchmark", "benchmark_overview"),
    "benchmark_response": ("ui.benchmark", "benchmark_response"),
    "benchmark_team_report": ("ui.benchmark", "benchmark_team_report"),
    "benchmark_action_plan": ("ui.benchmark", "benchmark_action_plan"),
    "benchmark_compare": ("ui.benchmark", "benchmark_compare"),
    # module 5: the menu of models of support, the support finder, After Action Review
    "ModelsExplorer": ("ui.support", "ModelsExplorer"),
    "SupportFinder": ("ui.support", "SupportFinder"),
    "AfterActionReview": ("ui.support", "AfterActionReview"),
    "models_of_support": ("ui.support", "models_of_support"),
    "support_finder": ("ui.support", "support_finder"),
    "after_action_review": ("ui.support", "after_action_review"),
    # engine
    "Store": ("engine.store", "Store"),
    "load_definition": ("engine.selfcheck", "load_definition"),
    "load_outline": ("engine.course", "load_outline"),
    "ContentError": ("engine.data", "ContentError"),
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
    """A :class:`~resilience_course.ui.selfcheck.SelfCheck` for a built-in id or a definition file."""
    from .ui.selfcheck import SelfCheck

    return SelfCheck(definition, **kwargs)


def reflection(module: str, prompt_id: str, prompt: str, hint: str = "", **kwargs):
    """A :class:`~resilience_course.ui.reflection.Reflection` that saves to the learner's journal."""
    from .ui.reflection import Reflection

    return Reflection(module, prompt_id, prompt, hint=hint, **kwargs)


def activity(module: str, activity_id: str, **kwargs):
    """The widget for one activity in ``modules/<slug>/activities.yml`` (sort, explore or form)."""
    from .ui.activities import make_activity

    return make_activity(module, activity_id, **kwargs)


def knowledge_check(module: str, questions=None, **kwargs):
    """A :class:`~resilience_course.ui.knowledge.KnowledgeCheck` from the module's question bank."""
    from .ui.knowledge import KnowledgeCheck

    return KnowledgeCheck(module, questions, **kwargs)


def figure(figure_id: str, open_table: bool = False):
    """An accessible course figure (image with alt text, caption and a table) drawn from the course's data."""
    import ipywidgets as widgets

    from .engine.figures import figure as make_figure

    return widgets.HTML(make_figure(figure_id).to_html(open_table=open_table))


def _voila_preheat() -> None:
    """In a kernel Voila preheated, wait here for the learner (see ``ui.common.await_learner``)."""
    import os

    if os.environ.get("VOILA_PREHEAT") == "True":
        from .ui.common import await_learner

        await_learner()


_voila_preheat()
