"""The organisational benchmarking tool (iHV, 2015, Appendix 2) as a working tool: no widgets here.

This module is the tool's public face; each part lives in its own module beside its widgets:

* **Factors** (:mod:`.tool`): seven factors, each from poor to best practice, with lettered
  indicators (60 in all), loaded and checked by :func:`load_factors`.
* **Responses** (:mod:`.responses`): one team member's ratings and indicator answers as a response
  file that carries a team code, a cycle label, a random response id and never a name.
* **Team report** (:mod:`.report`, :mod:`.report_document`): :func:`aggregate` reads any pile of
  files and never crashes on a bad one; nothing at all is reported for fewer than
  :data:`MIN_GROUP` valid responses.
* **Action plan** (:mod:`.action_plan`, CSV and HTML) and **cycle comparison** (:mod:`.comparison`).

Nothing here sends data anywhere.
"""

from __future__ import annotations

from ..core.privacy import MIN_GROUP
from .action_plan import PLAN_HEADERS, PlanError, check_action, plan_csv, plan_html
from .comparison import compare, comparison_html
from .report import (
    FactorResult,
    IndicatorResult,
    Report,
    ReportError,
    aggregate,
    aggregate_folder,
    check_report,
    load_report,
    weakest_factors,
)
from .report_document import report_document, report_html, write_report
from .responses import (
    ResponseError,
    Skipped,
    check_label,
    check_response,
    new_response,
    read_folder,
    read_response,
    response_bytes,
    response_filename,
    write_bytes,
)
from .tool import (
    ANSWERS,
    EXPECTED_INDICATORS,
    FORMAT,
    FORMAT_VERSION,
    MAX_COMMENT,
    MAX_FILE_BYTES,
    MAX_REVISION,
    REPORT_FORMAT,
    REPORT_FORMAT_VERSION,
    RESPONSE_KEYS,
    Factor,
    Indicator,
    Tool,
    load_factors,
)

__all__ = [
    "MIN_GROUP", "FORMAT", "FORMAT_VERSION", "REPORT_FORMAT", "REPORT_FORMAT_VERSION", "ANSWERS", "MAX_FILE_BYTES",
    "MAX_COMMENT", "MAX_REVISION", "EXPECTED_INDICATORS", "RESPONSE_KEYS", "Tool", "Factor", "Indicator",
    "load_factors", "ResponseError", "new_response", "check_label", "check_response", "response_bytes",
    "response_filename", "write_bytes", "read_response", "read_folder", "Skipped", "IndicatorResult",
    "FactorResult", "Report", "aggregate", "aggregate_folder", "report_html", "report_document", "write_report",
    "ReportError", "check_report", "load_report", "PlanError", "check_action", "PLAN_HEADERS", "plan_csv",
    "plan_html", "compare", "comparison_html", "weakest_factors",
]
