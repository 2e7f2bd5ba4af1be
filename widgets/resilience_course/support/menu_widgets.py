"""The models explorer: the framework's picture and everything the menu says about each model."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import TraitError, Unicode, validate

from ..core.html import esc, paragraphs
from ..ui.controls import choice_buttons
from ..ui.style import LABEL_STYLE
from .figure import menu_figure
from .menu import Entry, Menu, load_models, practicalities_rows, resource_html

__all__ = ["ModelsExplorer", "models_of_support", "entry_html", "dl_html", "resources_html"]


def dl_html(rows) -> str:
    return "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def resources_html(items) -> str:
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{resource_html(r)}</li>" for r in items) + "</ul>"


def entry_html(entry: Entry, menu: Menu) -> str:
    """Everything the menu says about one model or variant, as accessible HTML."""
    parts = [f'<div class="rc-note" role="region" aria-label="{esc(entry.name)}"><h4>{esc(entry.name)}</h4>']
    if entry.is_variant:
        parts.append(f'<p class="rc-muted">One of the {esc(menu.model(entry.parent).name.lower())}.</p>')
    parts.append(paragraphs(entry.description))
    if entry.features:
        parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in entry.features) + "</ul>")
    parts.append(
        "<h5>What it can offer</h5><ul>"
        + "".join(f"<li>{esc(b)}</li>" for b in entry.benefits.values())
        + "</ul>"
    )
    parts += [f"<p>{esc(n)}</p>" for n in entry.notes]
    rows = practicalities_rows(entry)
    parts.append("<h5>Practicalities</h5>")
    parts.append(
        dl_html(rows)
        if rows
        else '<p class="rc-muted">The guide does not set a frequency, group size or '
        "facilitation for this model as a whole.</p>"
    )
    if entry.variants:
        parts.append(
            "<h5>The models within it</h5><ul>"
            + "".join(f"<li><strong>{esc(v.name)}</strong>: {esc(v.short)}</li>" for v in entry.variants)
            + "</ul>"
            '<p class="rc-muted">Choose one of them above to read more.</p>'
        )
    if entry.resources:
        parts.append("<h5>Evidence and resources in the guide</h5>" + resources_html(entry.resources))
    parts.append("</div>")
    return "".join(parts)


class ModelsExplorer(widgets.VBox):
    """The framework's picture and an explorer over every model of support.

    Parameters
    ----------
    menu : Menu, optional
        The menu of models (default: the one shipped with the course).
    figure : bool
        Show the night-sky figure (with alt text and a comparison table) above the explorer.
    """

    selected = Unicode("", help="Id of the model shown ('' for none)")
    variant = Unicode("", help="Id of the variant shown within the model ('' for the model as a whole)")

    def __init__(self, menu: Menu | None = None, figure: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.menu = menu or load_models()
        self.add_class("rc-activity")
        head = widgets.HTML(
            '<div class="rc-card"><h3>Explore the models of support</h3><p>Choose a model to read '
            "what it is, what it can offer, its practicalities and the evidence the guide "
            "gives.</p></div>"
        )
        self.chooser = widgets.Dropdown(
            options=[("Choose a model...", ""), *[(m.name, m.id) for m in self.menu.models]],
            value="",
            description="Model of support",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.variant_chooser = choice_buttons(
            [("The group as a whole", "")],
            value="",
            description="Show",
            layout=widgets.Layout(),  # its own layout: hidden for a model without variants
        )
        self.chooser.observe(lambda ch: self._choose(ch["new"] or ""), names="value")
        self.variant_chooser.observe(lambda ch: setattr(self, "variant", ch["new"] or ""), names="value")
        self.body_html = widgets.HTML()
        top = [widgets.HTML(menu_figure(self.menu).to_html())] if figure else []
        self.children = [*top, head, self.chooser, self.variant_chooser, self.body_html]
        self.observe(self._render, names=["selected", "variant"])
        self._render()

    def _choose(self, model_id: str) -> None:
        self.variant = ""
        self.selected = model_id

    @validate("selected")
    def _valid_selected(self, proposal):
        value = proposal["value"]
        if value and value not in {m.id for m in self.menu.models}:
            raise TraitError(f"{value!r} is not a model of support in the menu")
        return value

    @validate("variant")
    def _valid_variant(self, proposal):
        value = proposal["value"]
        if value:
            if not self.selected:
                raise TraitError("choose a model before one of its variants")
            ids = {v.id for v in self.menu.model(self.selected).variants}
            if value not in ids:
                raise TraitError(f"{value!r} is not a variant of {self.selected!r}")
        return value

    @property
    def entry(self) -> Entry | None:
        """The model or variant shown, if any."""
        return self.menu.entry(self.selected, self.variant) if self.selected else None

    def _render(self, change=None):
        if self.chooser.value != self.selected:
            self.chooser.value = self.selected
        model = self.menu.model(self.selected) if self.selected else None
        opts = [("The group as a whole", "")] + ([(v.name, v.id) for v in model.variants] if model else [])
        if list(self.variant_chooser.options) != opts:
            self.variant_chooser.options = opts
        if self.variant_chooser.value != self.variant:
            self.variant_chooser.value = self.variant
        self.variant_chooser.layout.display = "" if model is not None and model.variants else "none"
        entry = self.entry
        if entry is None:
            self.body_html.value = '<p class="rc-muted">Choose a model of support above to read about it.</p>'
        else:
            self.body_html.value = entry_html(entry, self.menu)


def models_of_support(figure: bool = True, **kwargs) -> ModelsExplorer:
    """The framework's picture and an explorer over every model of support (``rc.models_of_support()``)."""
    return ModelsExplorer(figure=figure, **kwargs)
