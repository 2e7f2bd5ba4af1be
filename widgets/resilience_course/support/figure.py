"""The framework's picture of the menu: compassion at the centre, the models around it against a grey night
sky, as a PNG with real alt text and a table that compares the models (no widgets)."""

from __future__ import annotations

import textwrap

from ..core.cache import cached_figure
from ..core.charts import Chart
from ..core.html import table
from .menu import Menu, comparison_rows, load_models

__all__ = ["menu_figure"]

SKY = "#3b4048"
CENTRE = "#f6c9b5"
STAR = "#ffe27a"
PLANET = "#8ec5e8"
MOON = "#f3f0e0"
LABEL = "#ffffff"


def _draw_body(ax, kind: str, x: float, y: float) -> None:
    from matplotlib.patches import Circle, Ellipse

    if kind == "planet":
        ax.add_patch(
            Ellipse((x, y), 0.26, 0.07, angle=-18, fill=False, edgecolor="#d8e9f5", linewidth=1.6, zorder=4)
        )
        ax.add_patch(Circle((x, y), 0.075, color=PLANET, zorder=3))
    elif kind == "moon":
        ax.add_patch(Circle((x, y), 0.08, color=MOON, zorder=3))
        ax.add_patch(Circle((x + 0.04, y + 0.025), 0.07, color=SKY, zorder=4))
    else:
        ax.scatter([x], [y], marker="*", s=650, color=STAR, edgecolors="#b38f00", linewidths=0.8, zorder=3)


@cached_figure(default=lambda menu=None: menu is None or menu == load_models())  # drawn once (core/cache.py)
def menu_figure(menu: Menu | None = None) -> Chart:
    """The framework's picture as an accessible figure (PNG, alt text and a comparison table)."""
    import math
    import random

    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    from ..core.charts import _png

    menu = menu or load_models()
    n = len(menu.models)
    with matplotlib.rc_context({"font.size": 11}):
        fig = Figure(figsize=(9, 9), dpi=100, facecolor=SKY)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_facecolor(SKY)
        ax.set_xlim(-1.75, 1.75)
        ax.set_ylim(-1.75, 1.75)
        ax.set_aspect("equal")
        ax.axis("off")
        rng = random.Random(2015)  # the same faint background stars every time
        xs = [rng.uniform(-1.7, 1.7) for _ in range(90)]
        ys = [rng.uniform(-1.7, 1.7) for _ in range(90)]
        ax.scatter(xs, ys, s=[rng.uniform(1, 6) for _ in xs], color="#d9dde3", alpha=0.55, zorder=1)
        ax.add_patch(Circle((0, 0), 0.46, color=CENTRE, alpha=0.25, zorder=2))
        ax.add_patch(Circle((0, 0), 0.37, color=CENTRE, zorder=3))
        ax.text(
            0,
            0,
            menu.centre["name"],
            ha="center",
            va="center",
            fontsize=19,
            fontweight="bold",
            color="#3b1f1a",
            zorder=5,
        )
        for i, m in enumerate(menu.models):
            angle = math.radians(90 - i * 360 / n)
            x, y = 1.0 * math.cos(angle), 1.0 * math.sin(angle)
            ax.plot(
                [0.4 * math.cos(angle), 0.88 * math.cos(angle)],
                [0.4 * math.sin(angle), 0.88 * math.sin(angle)],
                color="#aab2bc",
                linewidth=0.9,
                alpha=0.7,
                zorder=2,
            )
            _draw_body(ax, m.body, x, y)
            lx, ly = 1.2 * math.cos(angle), 1.2 * math.sin(angle)
            ha = "center" if abs(lx) < 0.3 else ("left" if lx > 0 else "right")
            va = "center" if abs(ly) < 0.9 else ("bottom" if ly > 0 else "top")
            ax.text(
                lx,
                ly,
                textwrap.fill(m.name, 17, break_on_hyphens=False, break_long_words=False),
                ha=ha,
                va=va,
                color=LABEL,
                fontsize=13,
                zorder=5,
                linespacing=1.15,
                bbox={"facecolor": SKY, "edgecolor": "none", "pad": 2},
            )
        ax.text(
            -1.72,
            -1.72,
            "The grey night sky: the stresses of practice",
            ha="left",
            va="bottom",
            color="#e4e7eb",
            fontsize=12,
            style="italic",
        )
        png = _png(fig)
    title = "The menu of models of support, with compassion at the centre"
    bodies = "; ".join(f"{m.name} ({m.body})" for m in menu.models)
    alt = (
        f"Illustration: {title}. A grey night sky, scattered with faint stars, stands for the stresses "
        f"of health visiting practice. In the middle is a glowing circle labelled {menu.centre['name']}. "
        f"Around it, each joined to the centre by a thin line, are the {n} models of support drawn as "
        f"stars, moons and planets. Clockwise from the top: {bodies}. The table that follows lists each "
        "model with what it is and its practicalities."
    )
    tbl = table(
        [
            "Model of support",
            "Drawn as",
            "In brief",
            "How often or how long",
            "Group size, who with and facilitation",
        ],
        comparison_rows(menu),
        caption=title,
    )
    return Chart(png, alt, tbl, title)
