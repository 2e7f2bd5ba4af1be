"""Widgets for the organisational benchmarking tool, one module per part beside its model:

* :mod:`.tool_widgets`: the seven factors at a glance;
* :mod:`.responses_widgets`: a team member's response;
* :mod:`.report_widgets`: the team report;
* :mod:`.action_plan_widgets`: the action plan;
* :mod:`.comparison_widgets`: the comparison of two cycles.

Paths are typed into text boxes: in Voila, or in JupyterLab on your own computer, a path means a
folder on the computer running the course. The page helpers below are what the notebook calls.
"""

from __future__ import annotations

from .action_plan_widgets import ActionPlan
from .base_widgets import BenchmarkSession, default_folder
from .comparison_widgets import CycleComparison
from .report_widgets import TeamReport
from .responses_widgets import BenchmarkResponse
from .tool_widgets import benchmark_overview

__all__ = [
    "BenchmarkSession",
    "BenchmarkResponse",
    "TeamReport",
    "ActionPlan",
    "CycleComparison",
    "benchmark_overview",
    "benchmark_response",
    "benchmark_team_report",
    "benchmark_action_plan",
    "benchmark_compare",
    "default_folder",
]


# -- page helpers (one line each in the notebook) -----------------------------------------------------
def benchmark_response(**kwargs) -> BenchmarkResponse:
    """A team member's response form (see :class:`BenchmarkResponse`)."""
    return BenchmarkResponse(**kwargs)


def benchmark_team_report(**kwargs) -> TeamReport:
    """The team lead's report from a folder of response files (see :class:`TeamReport`)."""
    return TeamReport(**kwargs)


def benchmark_action_plan(**kwargs) -> ActionPlan:
    """The team's action plan (see :class:`ActionPlan`)."""
    return ActionPlan(**kwargs)


def benchmark_compare(**kwargs) -> CycleComparison:
    """Two cycles of one team compared (see :class:`CycleComparison`)."""
    return CycleComparison(**kwargs)
