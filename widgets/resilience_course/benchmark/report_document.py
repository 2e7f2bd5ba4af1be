"""The team report as HTML: a fragment for the page and a stand-alone, printable document (no widgets).

All text from files is escaped.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..core.content import package_data
from ..core.dates import display_date
from ..core.exports import write_atomic
from ..core.html import esc, table
from ..core.responses import Skipped
from .report import Report
from .tool import ANSWERS, Tool, load_factors

__all__ = ["PRINT_CSS", "produced_on_html", "nowrap_date", "spread_text", "report_html", "report_document",
           "write_report"]

#: Added to every printable benchmarking document: a tidy printed page (no cut rows, links shown plainly,
#: sections of the report open), and dates that never break across lines.
PRINT_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d1f;margin:0;padding:1.5rem;}"
    "main{max-width:64rem;margin:0 auto;}.rc-produced{color:#4a4a4f;}.rc-nowrap{white-space:nowrap;}"
    "@page{margin:15mm;}"
    "@media print{body{padding:0;font-size:11pt;}main{max-width:none;}a{color:inherit;text-decoration:none;}"
    "h1,h2,h3{break-after:avoid;}tr,figure,img{break-inside:avoid;}details>summary{list-style:none;}"
    "details>summary::-webkit-details-marker{display:none;}.rc-table{width:100%;}}"
)


def produced_on_html(day: date | None = None) -> str:
    """``Produced on 28 Nov 2026`` for the top of a printout."""
    day_text = esc(display_date(day or date.today()))
    return f'<p class="rc-produced">Produced on <span class="rc-nowrap">{day_text}</span></p>'


def nowrap_date(value) -> str:
    """A date in the course's format whose parts cannot be split across lines (no-break spaces)."""
    return display_date(value).replace(" ", "\u00a0")


def spread_text(low: float, q1: float, q3: float, high: float, lo: int, hi: int) -> str:
    """How far the team agreed, in plain English, from the middle half and the range of its ratings."""
    width = q3 - q1
    scale = hi - lo
    if width <= scale * 0.25:
        agree = "Most of the team gave similar ratings"
    elif width <= scale * 0.5:
        agree = "Ratings differed somewhat"
    else:
        agree = "Ratings differed widely"
    middle = f"{q1:g}" if q1 == q3 else f"{q1:g} and {q3:g}"
    verb = "at" if q1 == q3 else "between"
    return (f"{agree}: half the team rated it {verb} {middle} "
            f"(all ratings {low:g} to {high:g}, on a {lo}\u2013{hi} scale).")


def _pct(share: float) -> str:
    return f"{round(share * 100):d}%"


def _h(level: int, text: str) -> str:
    """A heading at *level* (capped at 6); *text* must already be escaped."""
    n = max(1, min(6, level))
    return f"<h{n}>{text}</h{n}>"


def _skipped_html(skipped: list[Skipped], level: int = 3) -> str:
    if not skipped:
        return ""
    rows = [[s.file, s.reason] for s in skipped]
    return (
        _h(level, "Files that were not used") + "<p>Each file below was left out for the reason given; every "
        "other file was used.</p>"
        + table(["File", "Why it was not used"], rows, caption=f"{len(skipped)} file(s) not used")
    )


def report_html(report: Report, tool: Tool | None = None, charts: bool = True, level: int = 2,
                heading: bool = True, printable: bool = False) -> str:
    """The team report as an HTML fragment, its title a heading at *level* (none when ``heading`` is
    False, for a document that already has the title). ``printable`` opens every section. All file
    text is escaped."""
    tool = tool or load_factors()
    who = f"team {esc(report.team)}, cycle {esc(report.cycle)}" if report.team is not None else "no team yet"
    parts = ['<section class="rc-page" style="max-width:64rem" aria-label="Team benchmarking report">'
             + (_h(level, f"Team report: {who}") if heading else "")]
    if not report.enough:
        more = report.needed
        parts.append(
            f'<div class="rc-warn" role="status"><p><strong>{report.n_valid} valid response(s) so far.'
            f"</strong> Results are shown only when at least {report.threshold} team members have "
            f"responded, so that nobody's answers can be picked out. {more} more valid response(s) "
            "needed.</p></div>"
        )
        parts.append(_skipped_html(report.skipped, level + 1))
        parts.append("</section>")
        return "".join(parts)
    parts.append(f"<p><strong>{report.n_valid} responses</strong> were used. {esc(tool.note)}</p>")
    ranked = report.ranking()
    rows = [
        [
            f"{n}",
            f.title,
            f"{f.median:g}",
            spread_text(f.low, f.q1, f.q3, f.high, tool.scale_min, tool.scale_max),
            _pct(f.share_in_place),
        ]
        for n, f in enumerate(ranked, start=1)
    ]
    parts.append(_h(level + 1, "The seven factors, weakest first"))
    parts.append(
        table(
            ["Rank", "Factor", "Median rating", "How much the team agreed", "Indicators in place"],
            rows,
            caption="Factors ranked from weakest to strongest",
        )
    )
    if charts:
        from ..core.charts import bar_chart, range_chart

        labels = [f"{f.number}. {f.title}" for f in report.factors]
        lo, hi = tool.scale_min, tool.scale_max
        c1 = bar_chart(
            "Median rating per factor",
            labels,
            [f.median for f in report.factors],
            f"Median rating ({lo} = poor practice, {hi} = best practice)",
            (0, hi),
            alt_summary=f"Based on {report.n_valid} responses.",
        )
        c2 = range_chart(
            "How widely the ratings spread",
            labels,
            [f.low for f in report.factors],
            [f.q1 for f in report.factors],
            [f.median for f in report.factors],
            [f.q3 for f in report.factors],
            [f.high for f in report.factors],
            f"Rating ({lo} = poor practice, {hi} = best practice)",
            (lo - 0.5, hi + 0.5),
        )
        c3 = bar_chart(
            "Share of indicators in place per factor",
            labels,
            [round(f.share_in_place * 100) for f in report.factors],
            "Per cent in place",
            (0, 100),
        )
        parts += [c1.to_html(), c2.to_html(), c3.to_html()]
    missing = report.most_missing()
    parts.append(_h(level + 1, "Indicators most often missing"))
    if missing:
        rows = [
            [i.id, i.text, str(i.counts["not_in_place"]), str(i.counts["partly"]), _pct(i.share_in_place)]
            for i in missing
        ]
        parts.append(
            table(
                ["Indicator", "What it describes", "Not in place", "Partly", "In place"],
                rows,
                caption="Indicators most often answered 'not in place' (then 'partly')",
            )
        )
    else:
        parts.append("<p>No indicator was answered 'not in place' or 'partly'.</p>")
    parts.append(_h(level + 1, "Each factor in detail"))
    for f in report.factors:
        factor = tool.factor(f.id)
        parts.append(
            f"<details{' open' if printable else ''}><summary>{f.number}. {esc(f.title)}: median {f.median:g}, "
            f"{_pct(f.share_in_place)} of indicators in place</summary>"
        )
        parts.append(
            f"<p><strong>Poor practice:</strong> {esc(factor.poor_practice)}<br>"
            f"<strong>Best practice:</strong> {esc(factor.best_practice)}</p>"
        )
        parts.append(
            table(
                ["Rating", "Responses"],
                [[tool.rating_label(v), str(c)] for v, c in f.rating_counts.items()],
                caption=f"Ratings for {f.title}",
            )
        )
        heads = [
            "Indicator",
            "What it describes",
            *(tool.answer_label(a) for a in ANSWERS),
            "No answer",
            "In place",
        ]
        rows = [
            [i.id, i.text, *(str(i.counts[a]) for a in (*ANSWERS, "no_answer")), _pct(i.share_in_place)]
            for i in f.indicators
        ]
        parts.append(table(heads, rows, caption=f"Indicators for {f.title}"))
        if f.comments:
            items = "".join(f"<li>{esc(c)}</li>" for c in f.comments)
            parts.append(_h(level + 2, f"Comments ({len(f.comments)})") + f"<ul>{items}</ul>")
        parts.append("</details>")
    parts.append(_skipped_html(report.skipped, level + 1))
    parts.append(
        _h(level + 1, "How this was worked out") + '<p class="rc-muted">Each factor: the median of the team\'s '
        "ratings, the middle half of ratings (lower to upper quartile, inclusive method) and the lowest "
        "and highest rating. Indicators in place: the share of all answers that said 'in place' "
        "(partly, not in place, don't know and no answer all count as not in place). Weakest first: "
        "lowest median, then lowest share in place. Comments are listed in alphabetical order, not the "
        "order files arrived. "
        f"{esc(tool.citation)}</p>"
    )
    parts.append("</section>")
    return "".join(parts)


def report_document(report: Report, tool: Tool | None = None) -> str:
    """The report as a stand-alone HTML page (styles included, no external files)."""
    css = package_data("course.css").read_text(encoding="utf-8")
    title = (
        f"Benchmarking report: team {report.team}, cycle {report.cycle}"
        if report.team
        else "Benchmarking report"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{css}{PRINT_CSS}</style>'
        f'</head><body><main><h1 class="rc-page">{esc(title)}</h1>{produced_on_html()}'
        f"{report_html(report, tool, level=2, heading=False, printable=True)}</main></body></html>\n"
    )


def write_report(report: Report, folder: str | Path, tool: Tool | None = None) -> list[Path]:
    """Write ``report.html`` and ``report.json`` into *folder* (created if needed); returns the paths."""
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    document = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return [write_atomic(folder / "report.html", report_document(report, tool), replace=True),
            write_atomic(folder / "report.json", document, replace=True)]
