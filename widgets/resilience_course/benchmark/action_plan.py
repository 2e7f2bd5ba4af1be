"""The team's action plan: checked actions, and the plan as CSV and as a printable HTML page (no widgets)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from ..core.content import package_data
from ..core.html import esc, table
from .tool import Tool, load_factors

__all__ = ["PlanError", "check_action", "PLAN_HEADERS", "plan_csv", "plan_html"]


# -- action plans ------------------------------------------------------------------------------------
class PlanError(ValueError):
    """An action that cannot be added to the plan; ``str(exc)`` says why."""


_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _date(value: Any, what: str) -> date:
    """A date typed the UK way (31/03/2027, 31-3-2027, 31.03.2027) or as ISO (2027-03-31)."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        uk = _UK_DATE.match(text)
        if uk:
            return date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise PlanError(
            f"the {what} should be a date such as 31/03/2027 (day, month, year)"
        ) from None


def check_action(item: dict, tool: Tool | None = None) -> dict:
    """Check one action of an action plan and return it tidied.

    An action names a factor, one of its indicators, what will be done, an owner (a role such as
    "team leader", never a person's name), a due date and a review date on or after it.
    """
    tool = tool or load_factors()
    fid = item.get("factor")
    if fid not in tool.factor_ids:
        raise PlanError("choose a factor")
    iid = item.get("indicator")
    if iid not in [i.id for i in tool.factor(fid).indicators]:
        raise PlanError("choose one of this factor's indicators")
    action = " ".join(str(item.get("action") or "").split())
    if not action:
        raise PlanError("say what will be done")
    if len(action) > 500:
        raise PlanError("keep the action to 500 characters or fewer")
    owner = " ".join(str(item.get("owner") or "").split())
    if not owner:
        raise PlanError("name the owner's role (for example team leader), not a person")
    if len(owner) > 60:
        raise PlanError("keep the owner's role to 60 characters or fewer")
    due = _date(item.get("due"), "due date")
    review = _date(item.get("review"), "review date")
    if review < due:
        raise PlanError("the review date should be on or after the due date")
    return {
        "factor": fid,
        "indicator": iid,
        "action": action,
        "owner": owner,
        "due": due.isoformat(),
        "review": review.isoformat(),
    }


def _cell(value: str) -> str:
    """Stop a spreadsheet treating a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


PLAN_HEADERS = [
    "Team",
    "Cycle",
    "Factor",
    "Indicator",
    "What the indicator describes",
    "Action",
    "Owner (role)",
    "Due date",
    "Review date",
]


def _plan_rows(plan: dict, tool: Tool) -> list[list[str]]:
    rows = []
    for a in plan.get("actions", []):
        f = tool.factor(a["factor"])
        rows.append(
            [
                plan.get("team", ""),
                plan.get("cycle", ""),
                f.label,
                a["indicator"],
                tool.indicator(a["indicator"]).text,
                a["action"],
                a["owner"],
                a["due"],
                a["review"],
            ]
        )
    return rows


def _people_rows(plan: dict, tool: Tool) -> list[list[str]]:
    """The plan's rows for people to read: dates as 31 Mar 2027, never split across lines."""
    from .report_document import nowrap_date

    return [[*r[:-2], nowrap_date(r[-2]), nowrap_date(r[-1])] for r in _plan_rows(plan, tool)]


def plan_csv(plan: dict, tool: Tool | None = None) -> bytes:
    """The action plan as CSV bytes (UTF-8), one row per action."""
    tool = tool or load_factors()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(PLAN_HEADERS)
    for row in _plan_rows(plan, tool):
        writer.writerow([_cell(str(c)) for c in row])
    return buf.getvalue().encode("utf-8")


def plan_html(plan: dict, tool: Tool | None = None) -> bytes:
    """The action plan as a stand-alone HTML page (escaped), as bytes."""
    tool = tool or load_factors()
    team, cycle = plan.get("team", ""), plan.get("cycle", "")
    title = f"Action plan: team {team}, cycle {cycle}"
    from .report_document import PRINT_CSS, produced_on_html

    rows = [r[2:] for r in _people_rows(plan, tool)]
    body = (
        f"<h1>{esc(title)}</h1>{produced_on_html()}<p>Actions chosen by the team to move towards best practice on the "
        "organisational benchmarking tool (iHV, 2015, Appendix 2). Owners are roles, not named people.</p>"
        + (
            table(PLAN_HEADERS[2:], rows, caption=f"{len(rows)} action{'' if len(rows) == 1 else 's'}")
            if rows
            else "<p>No actions yet.</p>"
        )
    )
    css = package_data("course.css").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<style>{css}{PRINT_CSS}</style></head><body><main class="rc-page">{body}</main></body></html>\n'
    ).encode()
