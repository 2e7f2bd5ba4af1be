"""Comparing two cycles of one team: change per factor (median) and per indicator (share in place)."""

from __future__ import annotations

from collections import Counter

from ..core.html import esc, table
from .report import Report, ReportError, check_report
from .report_document import _h, _pct
from .responses import _norm
from .tool import Tool, load_factors

__all__ = ["compare", "comparison_html", "comparison_document", "comparison_csv"]


# -- comparing two cycles -----------------------------------------------------------------------------
def _direction(before: float, after: float) -> str:
    diff = round(after - before, 6)
    return "improved" if diff > 0 else "worse" if diff < 0 else "same"


def compare(earlier: dict | Report, later: dict | Report, tool: Tool | None = None) -> dict:
    """Compare two reports of the same team: change per factor (median) and per indicator (share in place).

    Raises
    ------
    ReportError
        When either report holds no results, or they are for different teams or tool versions.
    """
    tool = tool or load_factors()
    a = check_report(earlier.to_dict() if isinstance(earlier, Report) else earlier, "the earlier report")
    b = check_report(later.to_dict() if isinstance(later, Report) else later, "the later report")
    if _norm(a["team"]) != _norm(b["team"]):
        raise ReportError(f"the reports are for different teams ({a['team']!r} and {b['team']!r})")
    if a.get("tool_version") != b.get("tool_version"):
        raise ReportError("the reports used different versions of the tool, so they cannot be compared")
    notes = []
    if _norm(a["cycle"]) == _norm(b["cycle"]):
        notes.append("Both reports are for the same cycle label; check you chose the right files.")
    fa = {f["id"]: f for f in a["factors"]}
    fb = {f["id"]: f for f in b["factors"]}
    factors, indicators = [], []
    for f in tool.factors:
        if f.id not in fa or f.id not in fb:
            continue
        before, after = float(fa[f.id]["median"]), float(fb[f.id]["median"])
        factors.append(
            {
                "id": f.id,
                "number": f.number,
                "title": f.title,
                "before": before,
                "after": after,
                "change": round(after - before, 6),
                "direction": _direction(before, after),
            }
        )
        ia = {i["id"]: float(i["share_in_place"]) for i in fa[f.id]["indicators"]}
        ib = {i["id"]: float(i["share_in_place"]) for i in fb[f.id]["indicators"]}
        for ind in f.indicators:
            if ind.id in ia and ind.id in ib:
                indicators.append(
                    {
                        "id": ind.id,
                        "factor": f.id,
                        "text": ind.text,
                        "before": ia[ind.id],
                        "after": ib[ind.id],
                        "change": round(ib[ind.id] - ia[ind.id], 6),
                        "direction": _direction(ia[ind.id], ib[ind.id]),
                    }
                )
    return {
        "team": b["team"],
        "earlier": a["cycle"],
        "later": b["cycle"],
        "responses": [a["responses"], b["responses"]],
        "factors": factors,
        "indicators": indicators,
        "notes": notes,
    }


_ARROWS = {"improved": "Improved", "worse": "Worse", "same": "Same"}


def comparison_html(cmp: dict, charts: bool = True, level: int = 2) -> str:
    """The comparison of two cycles as an HTML fragment (escaped), its title a heading at *level*."""
    parts = [
        '<section class="rc-page" style="max-width:64rem" aria-label="Comparison of two cycles">'
        + _h(level, f"Team {esc(cmp['team'])}: {esc(cmp['earlier'])} compared with {esc(cmp['later'])}"),
        f"<p>Responses: {cmp['responses'][0]} in {esc(cmp['earlier'])}, {cmp['responses'][1]} in "
        f"{esc(cmp['later'])}. Changes in who answered can move results as much as real change can, so "
        "talk them through as a team.</p>",
    ]
    parts += [f'<div class="rc-note"><p>{esc(n)}</p></div>' for n in cmp["notes"]]
    counts = Counter(f["direction"] for f in cmp["factors"])
    parts.append(
        f"<p><strong>Factors:</strong> {counts['improved']} improved, {counts['same']} the same, "
        f"{counts['worse']} worse (median rating).</p>"
    )
    rows = [
        [
            f"{f['number']}. {f['title']}",
            f"{f['before']:g}",
            f"{f['after']:g}",
            f"{f['change']:+g}",
            _ARROWS[f["direction"]],
        ]
        for f in cmp["factors"]
    ]
    parts.append(
        table(
            ["Factor", f"Median in {cmp['earlier']}", f"Median in {cmp['later']}", "Change", "Direction"],
            rows,
            caption="Change in the median rating per factor",
        )
    )
    if charts and cmp["factors"]:
        from ..core.charts import bar_chart

        chart = bar_chart(
            "Change in median rating per factor",
            [f"{f['number']}. {f['title']}" for f in cmp["factors"]],
            [f["change"] for f in cmp["factors"]],
            "Change in median (positive = better)",
            (-4, 4),
        )
        parts.append(chart.to_html())
    ic = Counter(i["direction"] for i in cmp["indicators"])
    parts.append(
        f"<p><strong>Indicators:</strong> {ic['improved']} improved, {ic['same']} the same, {ic['worse']} "
        "worse (share answered 'in place').</p>"
    )
    rows = [
        [
            i["id"],
            i["text"],
            _pct(i["before"]),
            _pct(i["after"]),
            f"{round(i['change'] * 100):+d} points",
            _ARROWS[i["direction"]],
        ]
        for i in cmp["indicators"]
    ]
    parts.append(
        "<details><summary>Every indicator</summary>"
        + table(
            [
                "Indicator",
                "What it describes",
                f"In place in {cmp['earlier']}",
                f"In place in {cmp['later']}",
                "Change",
                "Direction",
            ],
            rows,
            caption="Change in the share of 'in place' answers per indicator",
        )
        + "</details>"
    )
    parts.append("</section>")
    return "".join(parts)


def comparison_document(cmp: dict) -> str:
    """The comparison as a stand-alone, printable HTML page (styles included, a 'produced on' date)."""
    from ..core.content import package_data
    from .report_document import PRINT_CSS, produced_on_html

    css = package_data("course.css").read_text(encoding="utf-8")
    title = f"Benchmarking: team {cmp['team']}, {cmp['earlier']} compared with {cmp['later']}"
    body = comparison_html(cmp, level=2).replace("<details>", "<details open>")
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{css}{PRINT_CSS}</style></head><body><main>{produced_on_html()}{body}</main></body></html>\n")


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def comparison_csv(cmp: dict) -> bytes:
    """The comparison as CSV (UTF-8): one row per factor, then one per indicator."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Team", "Level", "Id", "What", f"In {cmp['earlier']}", f"In {cmp['later']}", "Change", "Direction"])
    for f in cmp["factors"]:
        w.writerow([_cell(x) for x in (cmp["team"], "factor (median rating)", f["id"], f"{f['number']}. {f['title']}",
                                       f"{f['before']:g}", f"{f['after']:g}", f"{f['change']:+g}",
                                       _ARROWS[f["direction"]])])
    for i in cmp["indicators"]:
        w.writerow([_cell(x) for x in (cmp["team"], "indicator (share in place)", i["id"], i["text"],
                                       f"{i['before']:.2f}", f"{i['after']:.2f}", f"{i['change']:+.2f}",
                                       _ARROWS[i["direction"]])])
    return buf.getvalue().encode("utf-8")
