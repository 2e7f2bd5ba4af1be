"""Widgets for groups: the facilitator's pack, the anonymous check-in and the course evaluation.

Learners answer on their own computers and save anonymous response files; the facilitator reads a
folder of them. Group results appear only for at least five responses (see
:mod:`resilience_course.core.privacy`). Each part has its own module: :mod:`.check_in_widgets`,
:mod:`.evaluation_widgets`, :mod:`.facilitator_widgets` (shared pieces in :mod:`.base_widgets`).
"""

from __future__ import annotations

from .check_in_widgets import CheckIn, CheckInReport
from .evaluation_widgets import Evaluation, EvaluationReport
from .facilitator_widgets import FacilitatorPack

__all__ = ["CheckIn", "CheckInReport", "Evaluation", "EvaluationReport", "FacilitatorPack"]
