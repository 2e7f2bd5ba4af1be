"""Anonymous group tools: the cohort check-in and the course evaluation (no widgets).

How it works
------------
1. Each learner answers on their own computer and saves a small **response file** (JSON). It
   holds a random id, the group (cohort) code, the session or module, the survey version and the
   answers: no name, no time stamp, nothing else.
2. The learner sends the file to the facilitator (or saves it in a shared folder).
3. The facilitator points the report at the folder. Every ``*.json`` file is checked; files that
   are malformed, duplicated, from another version, another cohort or another session are
   listed with the reason and skipped.
4. Group results appear only for at least :data:`~.privacy.MIN_GROUP` valid responses, and free
   text only then (escaped, in alphabetical order so it cannot be matched to other answers).

The evaluation follows Kirkpatrick's first two levels: *reaction* (a short survey after each
module) and *learning* (confidence on each of the module's outcomes before and after).
"""

from __future__ import annotations

from ..core.privacy import MIN_GROUP
from .evaluation import latest_evaluation, make_evaluation, save_evaluation
from .responses import ReadResult, read_responses
from .summaries import GroupSummary, summarise_check_in, summarise_evaluation
from .survey import (
    CHECK_IN_FORMAT,
    EVAL_KIND,
    EVALUATION_FORMAT,
    MAX_FILE_BYTES,
    STAGES,
    Survey,
    SurveyError,
    clean_code,
    load_survey,
    make_check_in,
    needs_signpost,
    response_filename,
    validate_answers,
)

__all__ = [
    "CHECK_IN_FORMAT", "EVALUATION_FORMAT", "EVAL_KIND", "STAGES", "Survey", "SurveyError", "load_survey",
    "clean_code", "validate_answers", "needs_signpost", "make_check_in", "response_filename",
    "save_evaluation", "latest_evaluation", "make_evaluation", "read_responses", "ReadResult",
    "summarise_check_in", "summarise_evaluation", "GroupSummary", "MAX_FILE_BYTES", "MIN_GROUP",
]
