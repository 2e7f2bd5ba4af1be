"""The benchmarking tool at a glance (for the page that introduces it)."""

from __future__ import annotations

import ipywidgets as widgets

from ..core.html import esc, table
from .tool import Tool, load_factors

__all__ = ["benchmark_overview", "definitions_html"]


def definitions_html(tool: Tool, level: int = 2) -> str:
    """The words the tool uses, as the guide defines them (a description list; sources in brackets)."""
    if not tool.definitions:
        return ""
    items = "".join(
        f"<dt><strong>{esc(d['term'])}</strong></dt><dd>{esc(d['definition'])}"
        + (f' <span class="rc-muted">({esc(d["source"])})</span>' if d.get("source") else "")
        + "</dd>"
        for d in tool.definitions
    )
    return f"<h{level}>Words the tool uses</h{level}><dl>{items}</dl>"


def benchmark_overview(tool: Tool | None = None) -> widgets.HTML:
    """The seven factors at a glance: poor and best practice, and how many indicators each has."""
    tool = tool or load_factors()
    rows = [
        [f"{f.number}. {f.title}", f.poor_practice, f.best_practice, str(len(f.indicators))]
        for f in tool.factors
    ]
    return widgets.HTML(
        f'<div class="rc-page"><p><strong>Overall outcome:</strong> {esc(tool.outcome)}</p>'
        + definitions_html(tool)
        + table(
            ["Factor", "Poor practice", "Best practice", "Indicators"],
            rows,
            caption=f"The seven factors ({len(tool.indicators)} indicators in all)",
        )
        + f'<div class="rc-note"><p>{esc(tool.introduction)}</p><p>{esc(tool.note)}</p>'
        f'<p class="rc-muted">{esc(tool.citation)}</p></div></div>'
    )
