"""The After Action Review widget: the four questions, saved to the journal, previewed and written as a file."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import ipywidgets as widgets
from traitlets import Instance, TraitError, Unicode, observe, validate

from ..core.dates import clock, display_time
from ..core.html import esc, paragraphs
from ..core.store import Store
from ..ui.controls import button
from ..ui.download import download_link_html
from ..ui.guard import guarded
from ..ui.session import get_store
from ..ui.style import LABEL_STYLE, message_html
from ..ui.submit import Submits
from .aar import (
    AAR_QUESTIONS,
    PRIVACY_NOTE,
    AARError,
    default_filename,
    export_dir,
    export_text,
    list_aars,
    privacy_warnings,
    save_aar,
    write_export,
)

__all__ = ["AfterActionReview", "after_action_review", "preview_html", "FORMATS"]

FORMATS = (("HTML page", "html"), ("Markdown", "markdown"))


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


class AfterActionReview(Submits, widgets.VBox):
    """The four After Action Review questions, saved to the journal and exportable (HTML or Markdown).

    Parameters
    ----------
    store : Store, optional
    folder : path, optional
        Where exports are written (default: :func:`~resilience_course.core.exports.export_dir`).
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
            style=LABEL_STYLE,
            layout=widgets.Layout(width="100%"),
        )
        widgets.link((self.title_box, "value"), (self, "title"))
        self.boxes: dict[str, widgets.Textarea] = {}
        for n, (field, question, hint) in enumerate(AAR_QUESTIONS, start=1):
            ta = widgets.Textarea(
                description=f"{n}. {question}",
                placeholder=hint,
                style=LABEL_STYLE,
                layout=widgets.Layout(width="100%"),
            )
            ta.add_class("rc-textarea")
            widgets.link((ta, "value"), (self, field))
            self.boxes[field] = ta
        self.save_button = button(
            "Save to my journal",
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
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.choice_box.observe(lambda ch: setattr(self, "export_choice", ch["new"] or ""), names="value")
        self.format_box = widgets.ToggleButtons(
            description="Format", options=FORMATS, value="html", style={"button_width": "auto"}
        )
        self.format_box.observe(lambda ch: setattr(self, "export_format", ch["new"]), names="value")
        self.filename_box = widgets.Text(
            description="File name",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="100%"),
        )
        widgets.link((self.filename_box, "value"), (self, "filename"))
        self.preview_button = button(
            "Preview export",
            icon="eye",
            tooltip="Show exactly what the file will contain",
        )
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.write_button = button(
            "Write the file",
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
    # The title and the four answers are never refused as they are typed (a refused value would leave an
    # older draft behind to be saved in its place): save() checks their length (MAX_TITLE, MAX_ANSWER)
    # through aar_payload and says so, and the text stays in its box.

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
        rid = guarded(
            lambda: save_aar(self.store, **answers),
            self,
            "Your review could not be saved just now. Your text is still here: please try again.",
            expected=AARError,
            what="saving an After Action Review",
        )
        if rid is None:
            return None
        self._confirm = ""
        payload = next(r["payload"] for r in self.reviews() if r["id"] == rid)
        for field in answers:
            setattr(self, field, "")
        self._refresh_choices(select=rid)
        self.message = f"Saved to your journal at {clock()}."
        self._submitted(self, payload)  # on_submit callbacks get (widget, payload)
        return rid

    def _refresh_choices(self, select: str | None = None) -> None:
        reviews = self.reviews()
        if reviews:
            opts = [
                (f"{r['payload']['title']} ({display_time(r['payload'].get('created', r['created_at']))})", r["id"])
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
                f'<span class="rc-muted">{esc(display_time(p.get("created", r["created_at"])))}</span></p>'
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
            # the exact file, as a browser download too (a learner on a shared server cannot open its folders)
            link = download_link_html(self.filename or "after-action-review.md", self.preview)
            self.preview_html.value = (f'<p class="rc-download-row">{link}</p>'
                                       + preview_html(self.preview, self.export_format, self.filename))
        else:
            self.preview_html.value = ""


def after_action_review(**kwargs) -> AfterActionReview:
    """The After Action Review tool (``rc.after_action_review()``)."""
    return AfterActionReview(**kwargs)
