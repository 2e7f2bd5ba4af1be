"""Course figures drawn from data: accessible images with real alt text and a table alternative.

Like :mod:`.charts`, every figure is drawn on the Agg canvas with a local style context, so no
global matplotlib state (``rcParams``) is changed. The data live in the package's ``data`` folder
and are validated against a JSON Schema when they are loaded.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path

from ..core.cache import cached_figure
from ..core.charts import PALETTE, Chart, _figure, _png, bar_chart
from ..core.content import ContentError, load_yaml, package_data
from ..core.html import esc, table

__all__ = ["FIGURES", "context_path", "load_context", "service_text", "context_figure", "survey_figure", "figure"]

# light fills for the nested rings, centre first (dark text on each keeps contrast above 4.5:1)
RING_FILLS = ["#fde8c8", "#e3f1e2", "#dcecf5", "#ece4f5", "#f2f2f2"]
LAYER_FILLS = ["#e3f1e2", "#dcecf5", "#fff8e6", "#fbe6ea"]


def context_path() -> Path:
    return package_data("context-of-practice.yml")


def load_context(path: str | Path | None = None) -> dict:
    """Load and check the context-of-practice data (schema ``context``).

    Checks beyond the schema: unique ids among rings and among layers, no service listed twice
    in a layer, and a ``note`` on any layer that lists no services (so a gap in the source is
    explained rather than left silent).
    """
    path = Path(path) if path else context_path()
    data = load_yaml(path, "context")
    f = str(path)
    for key in ("rings", "layers"):
        ids = [x["id"] for x in data[key]]
        for n, i in enumerate(ids):
            if ids.index(i) != n:
                raise ContentError(f, f"{key}[{n}].id", f"duplicate id {i!r}")
    for n, layer in enumerate(data["layers"]):
        services = [s["name"].strip().lower() for s in layer["services"]]
        if len(set(services)) != len(services):
            raise ContentError(f, f"layers[{n}].services", "a service is listed twice")
        if not services and not layer.get("note", "").strip():
            raise ContentError(f, f"layers[{n}].note",
                               "a layer with no services needs a note saying why the list is empty")
    return data


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> dict:
    return load_context(path)


def _data(data: dict | None) -> dict:
    if data is not None:
        return data
    path = context_path()
    return _cached(str(path), path.stat().st_mtime)


def service_text(service: dict) -> str:
    """A service's name as shown to learners, with its examples (as the guide writes them)."""
    if service.get("examples"):
        return f"{service['name']} e.g. {', '.join(service['examples'])}, etc."
    return service["name"]


def _services(layer: dict) -> list[str]:
    return [service_text(s) for s in layer["services"]]


def _ring_names(data: dict) -> str:
    return ", then ".join(r["label"] for r in data["rings"])


@cached_figure  # the course's own figure is drawn once, then read from the cache (core/cache.py)
def context_figure(data: dict | None = None) -> Chart:
    """The systems around the child and family (the guide's Figure 1) as an accessible figure."""
    import matplotlib
    from matplotlib.patches import Circle, FancyBboxPatch

    data = _data(data)
    rings, layers = data["rings"], data["layers"]
    list_size, spacing = 10.0, 1.35
    line = list_size * spacing / 72  # inches per line of text in the lists
    blocks = []
    for layer in layers:
        lines = [f"\u2022 {s}" for s in _services(layer)] or \
                ["(no services listed under this heading in the text version of the guide)"]
        wrapped = [w for text in lines for w in textwrap.wrap(text, 72, subsequent_indent="   ")]
        blocks.append((layer["label"], wrapped))
    total = sum(len(w) + 2.4 for _, w in blocks)  # one unit on the y axis is one line of text
    rings_h, lists_h, gap = 4.6, total * line, 0.5
    width, height = 7.0, rings_h + lists_h + gap + 0.9
    with matplotlib.rc_context({"font.size": 10}):
        fig = _figure(width, height)
        # one column, so the figure stays readable when it is scaled to the page width
        upper = fig.add_axes((0.05, (lists_h + gap) / height, 0.9, rings_h / height))
        lower = fig.add_axes((0.02, 0.0, 0.96, lists_h / height))
        for ax in (upper, lower):
            ax.set_axis_off()
        # nested rings: the child and family in the middle
        n = len(rings)
        radii = [1.35 + 0.95 * k for k in range(n)]
        upper.set_xlim(-radii[-1] - 0.1, radii[-1] + 0.1)
        upper.set_ylim(-radii[-1] - 0.1, radii[-1] + 0.1)
        upper.set_aspect("equal")
        for k in range(n - 1, -1, -1):
            upper.add_patch(Circle((0, 0), radii[k], facecolor=RING_FILLS[k % len(RING_FILLS)],
                                   edgecolor=PALETTE[0], linewidth=1.2))
        for k, ring in enumerate(rings):
            y = 0 if k == 0 else (radii[k - 1] + radii[k]) / 2
            label = "\n".join(textwrap.wrap(ring["label"], 14 if k == 0 else 22))
            size = 10.5 if len(ring["label"]) <= 20 else 9.5
            upper.text(0, y - (0.05 if "\n" in label else 0), label, ha="center", va="center", fontsize=size,
                       fontweight="bold", color="#1d1d1f", linespacing=1.05)
        upper.set_title("The systems around the child and family", fontsize=12)
        # the layers of service, top to bottom
        lower.set_xlim(0, 1)
        lower.set_ylim(0, total)
        top = total
        for k, (label, wrapped) in enumerate(blocks):
            box = len(wrapped) + 2.4
            lower.add_patch(FancyBboxPatch((0.01, top - box + 0.15), 0.98, box - 0.3,
                                           boxstyle="round,pad=0.0,rounding_size=0.02",
                                           facecolor=LAYER_FILLS[k % len(LAYER_FILLS)], edgecolor=PALETTE[0]))
            lower.text(0.03, top - 0.95, label, ha="left", va="center", fontsize=11, fontweight="bold",
                       color="#1d1d1f")
            lower.text(0.03, top - 1.75, "\n".join(wrapped), ha="left", va="top", fontsize=list_size,
                       color="#1d1d1f", linespacing=spacing)
            top -= box
        fig.text(0.5, (lists_h + gap * 0.35) / height, "Layers of service and the partners named in each",
                 ha="center", fontsize=12)
        fig.suptitle(data["title"], fontsize=14, fontweight="bold")
        png = _png(fig)
    counts = "; ".join(f"{layer['label']}: " + (", ".join(_services(layer)) if layer["services"]
                                                else "none listed in the text version of the guide")
                       for layer in layers)
    alt = (f"Diagram: {data['title']}. On the left, {n} nested rings, from the centre outwards: "
           f"{_ring_names(data)}. On the right, {len(layers)} layers of service with the partners named in "
           f"each. {counts}. The same information is in the table below the figure.")
    layer_rows = [[layer["label"], "; ".join(_services(layer)) or "None listed", layer["meaning"],
                   layer.get("note", "")] for layer in layers]
    ring_rows = [[str(k), r["label"]] for k, r in enumerate(rings, start=1)]
    abbr = data.get("abbreviations", {})
    abbr_html = ("<p><strong>Abbreviations:</strong> " +
                 "; ".join(f"{esc(k)}: {esc(v)}" for k, v in abbr.items()) + ".</p>") if abbr else ""
    note_html = f"<p>{esc(data['rings_note'])}</p>" if data.get("rings_note") else ""
    tables = (table(["Layer of service", "Services and partners named", "What the layer means", "Note"],
                    layer_rows, caption="Layers of service around the child and family")
              + table(["Ring (1 = centre)", "System"], ring_rows,
                      caption="The nested systems, from the centre outwards")
              + note_html + abbr_html + f'<p class="rc-muted">{esc(data["citation"])}</p>')
    return Chart(png, alt, tables, data["title"])


@cached_figure
def survey_figure(data: dict | None = None) -> Chart:
    """The iHV survey (2014) percentages the guide reports, as a bar chart with a table."""
    data = _data(data)
    survey = data.get("survey")
    if not survey:
        raise ContentError(str(context_path()), "survey", "there are no survey figures in this file")
    labels = [(f"{i['label']} ({i['qualifier']} {i['value']:g}%)" if i.get("qualifier") else i["label"])
              for i in survey["items"]]
    values = [i["value"] for i in survey["items"]]
    approx = [i["label"] for i in survey["items"] if i.get("qualifier")]
    note = f"Source: {survey['source']}."
    if approx:
        note += " Figures marked 'around' are approximate, as the guide gives them."
    return bar_chart(survey["title"], labels, values, "Per cent of health visitors who responded",
                     x_range=(0, 100), alt_summary=note)


FIGURES = {
    "context-of-practice": context_figure,
    "ihv-survey-2014": survey_figure,
}


def figure(figure_id: str) -> Chart:
    """A course figure by id (see :data:`FIGURES`)."""
    try:
        make = FIGURES[figure_id]
    except KeyError:
        raise KeyError(f"no figure {figure_id!r}; the course has {', '.join(FIGURES)}") from None
    return make()
