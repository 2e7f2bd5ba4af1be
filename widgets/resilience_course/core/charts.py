"""Charts as accessible HTML: a matplotlib PNG with real alt text, plus a table alternative.

No global matplotlib state is changed: every figure uses the Agg canvas directly and a local
style context, so importing this module never touches ``rcParams``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

from .html import esc, table

__all__ = ["Chart", "line_chart", "bar_chart", "range_chart"]

PALETTE = ["#1b5e7a", "#b5442c", "#3d7a3a", "#6b4c9a", "#8a6d00", "#2f4b7c", "#a3346b"]


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes, alt text and a table alternative."""

    png: bytes
    alt: str
    table_html: str
    title: str

    def to_html(self, open_table: bool = False) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        details = "<details open>" if open_table else "<details>"
        return (f'<figure class="rc-chart" role="group" aria-label="{esc(self.title)}">'
                f'<img src="data:image/png;base64,{data}" alt="{esc(self.alt)}" '
                f'style="max-width:100%;height:auto">'
                f"<figcaption>{esc(self.title)}</figcaption>"
                f"{details}<summary>Show the data as a table</summary>{self.table_html}</details></figure>")


def _figure(width=6.4, height=3.2):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    return fig


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def line_chart(title: str, x_labels: Sequence[str], series: dict[str, Sequence[float]], y_label: str,
               y_range: tuple[float, float] | None = None, alt_summary: str = "") -> Chart:
    """A line chart of one or more series over the same x labels (for example dates)."""
    import matplotlib

    with matplotlib.rc_context({"font.size": 11}):
        fig = _figure()
        ax = fig.add_subplot(1, 1, 1)
        xs = list(range(len(x_labels)))
        markers = "osD^v<>"
        for n, (name, values) in enumerate(series.items()):
            ax.plot(xs, list(values), marker=markers[n % len(markers)], color=PALETTE[n % len(PALETTE)],
                    linewidth=2, label=name)
        ax.set_xticks(xs)
        ax.set_xticklabels(list(x_labels), rotation=30, ha="right")
        ax.set_ylabel(y_label)
        ax.set_title(title)
        if y_range:
            ax.set_ylim(*y_range)
        ax.grid(True, alpha=0.3)
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        png = _png(fig)
    rows = [[x, *[f"{s[i]:g}" for s in series.values()]] for i, x in enumerate(x_labels)]
    tbl = table(["When", *series.keys()], rows, caption=title)
    desc = "; ".join(f"{name}: " + ", ".join(f"{v:g}" for v in values) for name, values in series.items())
    alt = f"Line chart: {title}. {len(x_labels)} point(s) from {x_labels[0]} to {x_labels[-1]}. {desc}." \
        if x_labels else f"Line chart: {title}. No data yet."
    if alt_summary:
        alt += " " + alt_summary
    return Chart(png, alt, tbl, title)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], value_label: str,
              x_range: tuple[float, float] | None = None, alt_summary: str = "",
              maxima: Sequence[float] | None = None) -> Chart:
    """A horizontal bar chart (easier to read long labels).

    With ``maxima``, each bar is drawn over a pale track as long as its own maximum and labelled
    "7 of 21", so areas with different numbers of items can be compared fairly.
    """
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    whole = all(float(v).is_integer() for v in [*values, *(maxima or [])])
    with matplotlib.rc_context({"font.size": 11}):
        fig = _figure(6.4, max(2.0, 0.45 * len(labels) + 1))
        ax = fig.add_subplot(1, 1, 1)
        ys = list(range(len(labels)))[::-1]
        if maxima:
            ax.barh(ys, list(maxima), color="#e6e9ee", edgecolor="#8a919c", label="Most possible")
        ax.barh(ys, list(values), color=PALETTE[0], label=value_label)
        ax.set_yticks(ys)
        ax.set_yticklabels(list(labels))
        ax.set_xlabel(value_label)
        ax.set_title(title)
        if x_range:
            ax.set_xlim(*x_range)
        if whole:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ends = list(maxima) if maxima else list(values)
        for y, v, end in zip(ys, values, ends):
            ax.text(end, y, f" {v:g} of {end:g}" if maxima else f" {v:g}", va="center")
        png = _png(fig)
    if maxima:
        tbl = table(["Item", value_label, "Most possible"],
                    [[lab, f"{v:g}", f"{m:g}"] for lab, v, m in zip(labels, values, maxima)], caption=title)
        alt = (f"Bar chart: {title}. "
               + "; ".join(f"{lab} {v:g} of {m:g}" for lab, v, m in zip(labels, values, maxima)) + ".")
    else:
        tbl = table(["Item", value_label], [[lab, f"{v:g}"] for lab, v in zip(labels, values)], caption=title)
        alt = f"Bar chart: {title}. " + "; ".join(f"{lab} {v:g}" for lab, v in zip(labels, values)) + "."
    if alt_summary:
        alt += " " + alt_summary
    return Chart(png, alt, tbl, title)


def range_chart(title: str, labels: Sequence[str], lows: Sequence[float], q1s: Sequence[float],
                medians: Sequence[float], q3s: Sequence[float], highs: Sequence[float], value_label: str,
                x_range: tuple[float, float] | None = None, alt_summary: str = "") -> Chart:
    """Spread per item: lowest to highest (thin line), quartiles (thick bar), median (dot)."""
    import matplotlib

    rows = list(zip(labels, lows, q1s, medians, q3s, highs))
    with matplotlib.rc_context({"font.size": 11}):
        fig = _figure(6.4, max(2.0, 0.45 * len(labels) + 1))
        ax = fig.add_subplot(1, 1, 1)
        ys = list(range(len(labels)))[::-1]
        for y, (_lab, lo, q1, med, q3, hi) in zip(ys, rows):
            ax.plot([lo, hi], [y, y], color=PALETTE[0], linewidth=1.5)
            ax.plot([q1, q3], [y, y], color=PALETTE[0], linewidth=9, alpha=0.45, solid_capstyle="butt")
            ax.plot([med], [y], marker="o", markersize=8, color=PALETTE[1])
        ax.set_yticks(ys)
        ax.set_yticklabels(list(labels))
        ax.set_xlabel(value_label)
        ax.set_title(title)
        if x_range:
            ax.set_xlim(*x_range)
        ax.grid(True, axis="x", alpha=0.3)
        png = _png(fig)
    headers = ["Item", "Lowest", "Lower quartile", "Median", "Upper quartile", "Highest"]
    tbl = table(headers, [[lab, *(f"{v:g}" for v in vals)] for lab, *vals in rows], caption=title)
    alt = (f"Range chart: {title}. For each item a line runs from the lowest to the highest value, a "
           "thick bar covers the middle half (lower to upper quartile) and a dot marks the median. "
           + "; ".join(f"{lab}: median {med:g}, middle half {q1:g} to {q3:g}, range {lo:g} to {hi:g}"
                       for lab, lo, q1, med, q3, hi in rows) + ".")
    if alt_summary:
        alt += " " + alt_summary
    return Chart(png, alt, tbl, title)
