"""Widgets for the menu of models of support: ModelsExplorer, SupportFinder and AfterActionReview."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets
from traitlets import Bool, Instance, List, TraitError, Unicode, observe, validate

from ..core.contacts import contacts_html
from ..core.html import esc, paragraphs
from ..core.store import Store
from ..ui.common import get_store, log, message_html, when
from .model import (
    AAR_QUESTIONS,
    MAX_ANSWER,
    MAX_TITLE,
    NO_WHEN,
    NO_WHO,
    PRIVACY_NOTE,
    AARError,
    Entry,
    Menu,
    Recommendation,
    default_filename,
    export_dir,
    export_text,
    find_support,
    list_aars,
    load_models,
    menu_figure,
    practicalities_rows,
    privacy_warnings,
    resource_html,
    save_aar,
    save_plan,
    write_export,
)

__all__ = [
    "ModelsExplorer",
    "SupportFinder",
    "AfterActionReview",
    "models_of_support",
    "support_finder",
    "after_action_review",
]

FORMATS = (("HTML page", "html"), ("Markdown", "markdown"))




def _dl(rows) -> str:
    return "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def _resources(items) -> str:
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
        _dl(rows)
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
        parts.append("<h5>Evidence and resources in the guide</h5>" + _resources(entry.resources))
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
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.variant_chooser = widgets.ToggleButtons(
            options=[("The group as a whole", "")],
            value="",
            description="Show",
            style={"button_width": "auto"},
        )
        self.variant_chooser.add_class("rc-options")
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


def recommendation_html(n: int, rec: Recommendation) -> str:
    """One recommendation: why it fits (citing the model's benefits), how often and with whom, how to ask."""
    parts = [f'<section class="rc-card" aria-label="{esc(rec.name)}"><h4>{n}. {esc(rec.name)}</h4>']
    if rec.parent_name:
        parts.append(f'<p class="rc-muted">One of the {esc(rec.parent_name.lower())}.</p>')
    parts.append(f"<p>{esc(rec.short)}</p>")
    parts.append("<h5>Why it may help</h5><ul>")
    for r in rec.reasons:
        cited = "; ".join(r.benefits)
        parts.append(
            f"<li><strong>{esc(r.need_label)}:</strong> {esc(r.why)} "
            f'<span class="rc-muted">What the guide says it offers: {esc(cited)}.</span></li>'
        )
    parts.append("</ul><h5>How often and with whom</h5>")
    parts.append(_dl(rec.when) if rec.when else f"<p>{esc(NO_WHEN)}</p>")
    parts.append(_dl(rec.with_whom) if rec.with_whom else f"<p>{esc(NO_WHO)}</p>")
    parts.append(
        "<h5>How to ask for it</h5>"
        f'<blockquote class="rc-script"><p>{esc(rec.script)}</p></blockquote>'
        '<p class="rc-muted">Change the words so they sound like you. Your manager, supervisor or '
        "practice teacher is usually the person to ask.</p>"
    )
    if rec.resources:
        parts.append(
            f"<details><summary>Evidence and resources for {esc(rec.name)}</summary>"
            f"{_resources(rec.resources)}</details>"
        )
    parts.append("</section>")
    return "".join(parts)


class SupportFinder(widgets.VBox):
    """Choose what is going on for you; see the models of support that fit, and how to ask for them.

    Parameters
    ----------
    menu : Menu, optional
    store : Store, optional
        Where a plan is saved (kind ``support-plan``).
    """

    needs = List(Unicode(), help="Ids of the needs chosen, in the menu's order")
    shown = Bool(False, help="Whether the recommendations are shown")
    message = Unicode("", help="Status shown to the learner")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, menu: Menu | None = None, store: Store | None = None, **kwargs):
        self._callbacks: list = []
        self._syncing = False
        super().__init__(**kwargs)
        self.menu = menu or load_models()
        self.store = get_store(store)
        self.add_class("rc-activity")
        head = widgets.HTML(
            '<div class="rc-card"><h3>Support finder</h3><p>Choose everything that describes '
            "your situation at the moment, then select <strong>Show support that fits</strong>. "
            "Nothing you choose leaves this computer.</p></div>"
        )
        self.toggles: dict[str, widgets.ToggleButton] = {}
        for need in self.menu.needs:
            tb = widgets.ToggleButton(
                value=False,
                description=need.label,
                tooltip=need.situation,
                layout=widgets.Layout(width="auto", height="auto"),
            )
            tb.observe(self._toggled, names="value")
            self.toggles[need.id] = tb
        choices = widgets.VBox(list(self.toggles.values()))
        choices.add_class("rc-choices")
        self.find_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Show support that fits",
            button_style="primary",
            icon="search",
            tooltip="Show the models of support that fit your choices",
        )
        self.find_button.on_click(lambda _b: self.find())
        self.save_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Save this plan to my journal",
            icon="save",
            disabled=True,
            tooltip="Keep the needs you chose and the models found in your record",
        )
        self.save_button.on_click(lambda _b: self.save())
        self.status_html = widgets.HTML()
        self.results_html = widgets.HTML()
        self.children = [
            head,
            choices,
            widgets.HBox([self.find_button, self.save_button]),
            self.status_html,
            self.results_html,
        ]
        self.observe(self._render, names=["needs", "shown", "message"])
        self._render()

    @validate("needs")
    def _valid_needs(self, proposal):
        order = [n.id for n in self.menu.needs]
        value = list(dict.fromkeys(proposal["value"]))
        bad = [v for v in value if v not in order]
        if bad:
            raise TraitError(f"{', '.join(map(repr, bad))} not among the needs: {', '.join(order)}")
        return sorted(value, key=order.index)

    def on_submit(self, callback, remove: bool = False):
        """Call ``callback(finder, recommendations)`` each time support is found."""
        (self._callbacks.remove if remove else self._callbacks.append)(callback)

    def _toggled(self, change):
        if not self._syncing:
            self.needs = [nid for nid, tb in self.toggles.items() if tb.value]

    @property
    def recommendations(self) -> list[Recommendation]:
        """The models that fit the needs chosen (empty until there is a need)."""
        return find_support(self.needs, self.menu) if self.needs else []

    def find(self) -> list[Recommendation]:
        """Show the models that fit; with no need chosen, ask for one instead."""
        if not self.needs:
            self.shown = False
            self.message = "Choose at least one situation first, then select Show support that fits."
            return []
        self.message = ""
        self.shown = True
        recs = self.recommendations
        for cb in list(self._callbacks):
            cb(self, recs)
        return recs

    def save(self) -> str | None:
        """Save the needs and the models found to the learner's record; returns the record id."""
        if not self.shown or not self.needs:
            self.message = "Find support first, then save the plan."
            return None
        try:
            rid = save_plan(self.store, self.needs, self.recommendations)
        except Exception:
            log.exception("saving a support plan failed")
            self.message = (
                "Your plan could not be saved just now. Your choices are still here: please try again."
            )
            return None
        self.message = f"Saved to your journal at {datetime.now().strftime('%H:%M')}."
        return rid

    def _render(self, change=None):
        self._syncing = True
        try:
            for nid, tb in self.toggles.items():
                if tb.value != (nid in self.needs):
                    tb.value = nid in self.needs
        finally:
            self._syncing = False
        if change is not None and change["name"] == "needs" and self.message.startswith(("Choose", "Saved")):
            self.message = ""
            return  # the message change re-renders
        kind = "ok" if self.message.startswith("Saved") else "warn"
        self.status_html.value = message_html(self.message, kind)
        self.save_button.disabled = not (self.shown and self.needs)
        if not self.shown:
            self.results_html.value = ""
            return
        if not self.needs:
            self.results_html.value = (
                '<p class="rc-muted" role="status">Choose at least one situation to see '
                "the support that fits.</p>"
            )
            return
        recs = self.recommendations
        chosen = [self.menu.need(n) for n in self.needs]
        parts = [
            f'<p role="status"><strong>{len(recs)} model{"s" if len(recs) != 1 else ""} of support fit '
            f"the {len(chosen)} situation{'s' if len(chosen) != 1 else ''} you chose.</strong> "
            "Those that fit more of your situations come first.</p>"
        ]
        if any(n.signpost for n in chosen):
            parts.append(
                contacts_html(
                    "Feeling stressed or close to burnout is a signal to be kind to yourself and "
                    "to ask for help now, not later. You do not have to wait for a model of "
                    "support to be set up."
                )
            )
        parts += [recommendation_html(i, r) for i, r in enumerate(recs, start=1)]
        also = [n for n in chosen if n.also]
        if also:
            parts.append(
                '<div class="rc-note"><h4>Also in the guide</h4><ul>'
                + "".join(f"<li><strong>{esc(n.label)}:</strong> {esc(n.also)}</li>" for n in also)
                + "</ul></div>"
            )
        self.results_html.value = "".join(parts)


_BOX = "max-height:28rem;overflow:auto;border:1px solid #c9ced6;padding:0.5rem 1rem;background:#fff"


def preview_html(text: str, fmt: str, filename: str) -> str:
    """Show an export before it is written: the page as it will look (HTML) or the text itself (Markdown).

    The file's own text is always available, escaped, so what is shown is exactly what will be written.
    """
    raw = (
        f'<pre class="rc-preview" tabindex="0" role="region" aria-label="The text of the export file" '
        f'style="{_BOX};white-space:pre-wrap">{esc(text)}</pre>'
    )
    head = f"<p>This is exactly what will be written to <code>{esc(filename)}</code>.</p>"
    if fmt != "html" or "<main>" not in text:
        return head + raw
    body = text[text.index("<main>") + len("<main>") : text.index("</main>")]
    # the export's headings sit below this page's own headings when shown inside it
    body = re.sub(r"<(/?)h([1-3])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 3}>", body)
    return (
        f'{head}<div class="rc-preview" tabindex="0" role="region" aria-label="Export preview" '
        f'style="{_BOX}">{body}</div>'
        f"<details><summary>Show the file's HTML text</summary>{raw}</details>"
    )


class AfterActionReview(widgets.VBox):
    """The four After Action Review questions, saved to the journal and exportable (HTML or Markdown).

    Parameters
    ----------
    store : Store, optional
    folder : path, optional
        Where exports are written (default: :func:`~resilience_course.support.model.export_dir`).
    """

    title = Unicode("", help="A short title for the event, with no names")
    expected = Unicode("", help="Answer to: What did you expect to happen?")
    happened = Unicode("", help="Answer to: What happened?")
    difference = Unicode("", help="Answer to: What was the difference?")
    learned = Unicode("", help="Answer to: What did you learn?")
    message = Unicode("", help="Status shown after saving")
    export_choice = Unicode("", help="Id of the saved review to export, or 'all'")
    export_format = Unicode("html", help="'html' or 'markdown'")
    filename = Unicode("", help="Name of the file the export is written to")
    preview = Unicode("", help="The exact text the export will write ('' until previewed)")
    export_message = Unicode("", help="Status of the export")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, store: Store | None = None, folder: str | Path | None = None, **kwargs):
        self._callbacks: list = []
        self._confirm: str = ""
        self.last_written: Path | None = None
        super().__init__(**kwargs)
        self.store = get_store(store)
        self.folder = Path(folder) if folder else export_dir()
        self.add_class("rc-activity")
        head = widgets.HTML(
            '<div class="rc-card"><h3>After Action Review</h3><p>Think of one specific event: a '
            "visit, a meeting, a handover. Answer the four questions in a few lines each; you can "
            "leave any of them blank.</p>"
            f'<p class="rc-warn" role="note"><strong>Privacy:</strong> {esc(PRIVACY_NOTE)}</p></div>'
        )
        self.title_box = widgets.Text(
            description="Event (no names)",
            placeholder="For example: a first visit that ran late",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%"),
        )
        widgets.link((self.title_box, "value"), (self, "title"))
        self.boxes: dict[str, widgets.Textarea] = {}
        for n, (field, question, hint) in enumerate(AAR_QUESTIONS, start=1):
            ta = widgets.Textarea(
                description=f"{n}. {question}",
                placeholder=hint,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="100%"),
            )
            ta.add_class("rc-textarea")
            widgets.link((ta, "value"), (self, field))
            self.boxes[field] = ta
        self.save_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Save to my journal",
            button_style="primary",
            icon="save",
            tooltip="Save this After Action Review to your journal on this computer",
        )
        self.save_button.on_click(lambda _b: self.save())
        self.status_html = widgets.HTML()
        self.saved_html = widgets.HTML()
        export_head = widgets.HTML(
            '<div class="rc-card"><h3>Export your reviews</h3><p>Make a copy to keep, for '
            "example as evidence for revalidation. Preview it first: the file will hold "
            f"exactly what you see. Files are saved in <code>{esc(self.folder)}</code>."
            "</p></div>"
        )
        self.choice_box = widgets.Dropdown(
            description="Review to export",
            options=[("No reviews saved yet", "")],
            value="",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.choice_box.observe(lambda ch: setattr(self, "export_choice", ch["new"] or ""), names="value")
        self.format_box = widgets.ToggleButtons(
            description="Format", options=FORMATS, value="html", style={"button_width": "auto"}
        )
        self.format_box.observe(lambda ch: setattr(self, "export_format", ch["new"]), names="value")
        self.filename_box = widgets.Text(
            description="File name",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%"),
        )
        widgets.link((self.filename_box, "value"), (self, "filename"))
        self.preview_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Preview export",
            icon="eye",
            tooltip="Show exactly what the file will contain",
        )
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.write_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Write the file",
            icon="download",
            button_style="primary",
            disabled=True,
            tooltip="Write the previewed text to the file",
        )
        self.write_button.on_click(lambda _b: self.write())
        self.export_status_html = widgets.HTML()
        self.preview_html = widgets.HTML()
        self.children = [
            head,
            self.title_box,
            *self.boxes.values(),
            self.save_button,
            self.status_html,
            self.saved_html,
            export_head,
            self.choice_box,
            self.format_box,
            self.filename_box,
            widgets.HBox([self.preview_button, self.write_button]),
            self.export_status_html,
            self.preview_html,
        ]
        self.filename = default_filename(self.export_format)
        self._refresh_choices()
        self._render()

    # -- validation ---------------------------------------------------------------------------------
    @validate("title")
    def _valid_title(self, proposal):
        if len(proposal["value"]) > MAX_TITLE:
            raise TraitError(f"the title can be at most {MAX_TITLE} characters")
        return proposal["value"]

    @validate("expected", "happened", "difference", "learned")
    def _valid_answer(self, proposal):
        if len(proposal["value"]) > MAX_ANSWER:
            raise TraitError(f"an answer can be at most {MAX_ANSWER} characters")
        return proposal["value"]

    @validate("export_format")
    def _valid_format(self, proposal):
        if proposal["value"] not in {v for _l, v in FORMATS}:
            raise TraitError(f"{proposal['value']!r} is not an export format (html or markdown)")
        return proposal["value"]

    @validate("export_choice")
    def _valid_choice(self, proposal):
        value = proposal["value"]
        if value and value != "all" and value not in {r["id"] for r in self.reviews()}:
            raise TraitError(f"{value!r} is not one of your saved After Action Reviews")
        return value

    def on_submit(self, callback, remove: bool = False):
        """Call ``callback(widget, payload)`` after each review is saved."""
        (self._callbacks.remove if remove else self._callbacks.append)(callback)

    # -- saving ------------------------------------------------------------------------------------
    def reviews(self) -> list[dict]:
        """The learner's saved After Action Reviews (store records, oldest first)."""
        return list_aars(self.store)

    def _answers(self) -> dict:
        return {
            "title": self.title,
            "expected": self.expected,
            "happened": self.happened,
            "difference": self.difference,
            "learned": self.learned,
        }

    def save(self) -> str | None:
        """Save the review; returns its id, or None with a message (nothing typed is lost)."""
        answers = self._answers()
        warnings = privacy_warnings(*answers.values())
        digest = hashlib.sha256(repr(sorted(answers.items())).encode()).hexdigest()
        if warnings and self._confirm != digest:
            self._confirm = digest
            self.message = " ".join(warnings) + " Edit your text, or select Save again to keep it as it is."
            return None
        try:
            rid = save_aar(self.store, **answers)
        except AARError as exc:
            self.message = str(exc)
            return None
        except Exception:
            log.exception("saving an After Action Review failed")
            self.message = (
                "Your review could not be saved just now. Your text is still here: please try again."
            )
            return None
        self._confirm = ""
        payload = next(r["payload"] for r in self.reviews() if r["id"] == rid)
        for field in answers:
            setattr(self, field, "")
        self._refresh_choices(select=rid)
        self.message = f"Saved to your journal at {datetime.now().strftime('%H:%M')}."
        for cb in list(self._callbacks):
            cb(self, payload)
        return rid

    def _refresh_choices(self, select: str | None = None) -> None:
        reviews = self.reviews()
        if reviews:
            opts = [
                (f"{r['payload']['title']} ({when(r['payload'].get('created', r['created_at']))})", r["id"])
                for r in reversed(reviews)
            ]
            if len(reviews) > 1:
                opts.append((f"All my After Action Reviews ({len(reviews)})", "all"))
        else:
            opts = [("No reviews saved yet", "")]
        self.choice_box.options = opts
        want = (
            select
            if select is not None
            else (self.export_choice if self.export_choice in {v for _l, v in opts} else opts[0][1])
        )
        self.choice_box.value = want
        self.export_choice = want
        self._render_saved(reviews)

    def _render_saved(self, reviews) -> None:
        if not reviews:
            self.saved_html.value = ""
            return
        items = []
        for r in reversed(reviews):
            p = r["payload"]
            qa = "".join(
                f"<dt>{esc(q)}</dt><dd>{paragraphs(p.get(k, '')) or '<em>(left blank)</em>'}</dd>"
                for k, q, _h in AAR_QUESTIONS
            )
            items.append(
                f"<li><p><strong>{esc(p['title'])}</strong> "
                f'<span class="rc-muted">{esc(when(p.get("created", r["created_at"])))}</span></p>'
                f"<dl>{qa}</dl></li>"
            )
        self.saved_html.value = (
            f"<details><summary>Your saved After Action Reviews ({len(reviews)})</summary>"
            f"<ul>{''.join(items)}</ul></details>"
        )

    # -- export ------------------------------------------------------------------------------------
    def _chosen(self) -> list[dict]:
        reviews = self.reviews()
        if self.export_choice == "all":
            return reviews
        return [r for r in reviews if r["id"] == self.export_choice]

    def make_preview(self) -> str:
        """Build the export and show it; the text shown is exactly what :meth:`write` writes."""
        chosen = self._chosen()
        if not chosen:
            self.preview = ""
            self.export_message = "Save an After Action Review first, then choose it here to export it."
            return ""
        self.preview = export_text(chosen, self.export_format)
        warnings = privacy_warnings(*[v for r in chosen for v in r["payload"].values() if isinstance(v, str)])
        self.export_message = (
            "Check the preview below, then select Write the file. " + " ".join(warnings)
        ).strip()
        return self.preview

    def write(self) -> Path | None:
        """Write the previewed text to a new private file; returns its path (None, with a message, if not)."""
        if not self.preview:
            self.export_message = "Preview the export first, so you can check what the file will hold."
            return None
        try:
            path = write_export(self.preview, self.filename, self.folder)
        except ValueError as exc:
            self.export_message = str(exc)
            return None
        except OSError as exc:
            self.export_message = (
                f"The file could not be written ({exc.strerror or exc}). Nothing was changed."
            )
            return None
        self.export_message = f"Written to {path}. Keep it private."
        self.last_written = path
        return path

    @observe("message", "export_choice", "export_format", "preview", "export_message")
    def _render(self, change=None):
        name = change["name"] if change else ""
        if name in ("export_choice", "export_format"):
            if name == "export_format":
                if self.format_box.value != self.export_format:
                    self.format_box.value = self.export_format
                stem = self.filename.rsplit(".", 1)[0] if "." in self.filename else self.filename
                self.filename = f"{stem}.{'html' if self.export_format == 'html' else 'md'}"
            if self.choice_box.value != self.export_choice and self.export_choice in {
                v for _l, v in self.choice_box.options
            }:
                self.choice_box.value = self.export_choice
            self.export_message = ""
            self.preview = ""  # a choice changed: the learner previews again before writing
        kind = "ok" if self.message.startswith("Saved") else "warn"
        self.status_html.value = message_html(self.message, kind)
        ekind = (
            "ok"
            if self.export_message.startswith(("Written", "Check")) and "contains" not in self.export_message
            else "warn"
        )
        self.export_status_html.value = message_html(self.export_message, ekind)
        self.write_button.disabled = not self.preview
        self.preview_button.disabled = not self.reviews()
        if self.preview:
            self.preview_html.value = preview_html(self.preview, self.export_format, self.filename)
        else:
            self.preview_html.value = ""


def models_of_support(figure: bool = True, **kwargs) -> ModelsExplorer:
    """The framework's picture and an explorer over every model of support (``rc.models_of_support()``)."""
    return ModelsExplorer(figure=figure, **kwargs)


def support_finder(**kwargs) -> SupportFinder:
    """The support finder (``rc.support_finder()``)."""
    return SupportFinder(**kwargs)


def after_action_review(**kwargs) -> AfterActionReview:
    """The After Action Review tool (``rc.after_action_review()``)."""
    return AfterActionReview(**kwargs)
