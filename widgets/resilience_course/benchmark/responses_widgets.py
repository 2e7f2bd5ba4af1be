"""A team member's response to the benchmarking tool: rate, answer, save, preview and write the file."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
from traitlets import Dict, Instance, Int, TraitError, Unicode, validate

from ..core.html import esc
from ..core.privacy import MIN_GROUP
from ..core.store import Store
from ..hub import drop as hub_drop
from ..ui.controls import button
from ..ui.guard import guarded
from ..ui.session import get_store, latest_record, log
from ..ui.style import LABEL_STYLE, message_html
from ..ui.submit import Submits
from .base_widgets import RESPONSE_KIND, default_folder, typed_folder
from .response_form_widgets import FactorPanels, preview_card_html, progress_html
from .responses import (
    ResponseError,
    check_label,
    check_response,
    new_response,
    response_bytes,
    response_filename,
    saved_answers,
    write_bytes,
)
from .tool import ANSWERS, MAX_COMMENT, Tool, load_factors

__all__ = ["BenchmarkResponse"]


# -- a team member's response ----------------------------------------------------------------------
class BenchmarkResponse(Submits, widgets.VBox):
    """One team member's response: rate each factor, answer its indicators, preview and write the file.

    One factor is shown at a time (choose it from the drop-down, or use Previous and Next). The
    answers are saved on this computer; the response file holds a team code, a cycle label, a random
    response id and the answers, and never a name. The preview shows exactly the text written.

    Parameters
    ----------
    tool : Tool, optional
        The benchmarking tool (default: the one shipped with the course).
    store : Store, optional
        Where answers are saved; defaults to the learner's own store.
    folder : path-like, optional
        The folder first offered for the response file (default: Downloads, else home).

    Examples
    --------
    >>> w = BenchmarkResponse()                                   # doctest: +SKIP
    >>> w.team, w.cycle = "north-hv", "2025 spring"               # doctest: +SKIP
    >>> w.ratings = {f: 3 for f in w.tool.factor_ids}             # doctest: +SKIP
    >>> w.preview_button.click(); w.write_button.click()          # doctest: +SKIP
    """

    team = Unicode("", help="The team code given by the team lead")
    cycle = Unicode("", help="The cycle label, for example '2025 spring'")
    factor = Unicode("", help="Id of the factor being answered")
    ratings = Dict(help="Factor id -> rating on the tool's scale")
    answers = Dict(help="Indicator id (e.g. '5e') -> in_place, partly, not_in_place or dont_know")
    comments = Dict(help="Factor id -> optional comment (no names)")
    response_id = Unicode("", help="The random id of this response (not of the person)")
    revision = Int(1, help="Raised when changed answers are written to a new file")
    preview = Unicode("", help="The exact text of the response file to be written (empty until previewed)")
    message = Unicode("", help="A status or error message")
    saved_id = Unicode("", help="Store id of the saved answers")
    written_path = Unicode("", help="Where the response file was last written")
    store = Instance(Store, allow_none=True, help="The learner store")

    _CONTENT = ("team", "cycle", "ratings", "answers", "comments")

    def __init__(
        self, tool: Tool | None = None, store: Store | None = None, folder: str | Path | None = None, **kwargs
    ):
        self.tool = tool or load_factors()
        self._syncing = False
        self._written: dict | None = None
        self._written_revision = 0
        super().__init__(**kwargs)
        self.store = get_store(store)
        self.add_class("rc-benchmark")
        t = self.tool
        intro = (
            f"<h3>{esc(t.title)}: your response</h3><p>For each of the seven factors, choose how close "
            "your workplace is to best practice, then say whether each indicator is in place. Answer one "
            "factor at a time; your answers are saved on this computer whenever you choose Save.</p>"
            f'<div class="rc-note"><p>{esc(t.note)}</p><p>Your response file carries your team code, the '
            "cycle label, a random response id and your answers. It never holds your name. Your team lead "
            f"sees results only once at least {MIN_GROUP} people have responded.</p></div>"
        )
        if self.store.notice:
            intro += message_html(self.store.notice, "warn")
        self.team_text = widgets.Text(description="Team code", placeholder="as given by your team lead",
                                      style=LABEL_STYLE)
        self.cycle_text = widgets.Text(description="Cycle", placeholder="for example 2025 spring", style=LABEL_STYLE)
        self.factor_dropdown = widgets.Dropdown(options=[(f.label, f.id) for f in t.factors], value=t.factors[0].id,
                                                description="Factor to answer", style=LABEL_STYLE,
                                                layout=widgets.Layout(width="auto"))
        self._factors = FactorPanels(t, self._control_changed)
        self.factor_dropdown.observe(lambda ch: setattr(self, "factor", ch["new"]), names="value")
        self.team_text.observe(self._control_changed, names="value")
        self.cycle_text.observe(self._control_changed, names="value")
        self.prev_button = button("Previous factor", icon="arrow-left")
        self.prev_button.on_click(lambda _b: self.step(-1))
        self.next_button = button("Next factor", icon="arrow-right")
        self.next_button.on_click(lambda _b: self.step(1))
        self.progress_html = widgets.HTML()
        self.save_button = button("Save on this computer", icon="save",
                                  tooltip="Keep your answers so far in your own record")
        self.save_button.on_click(lambda _b: self.save())
        self.preview_button = button("Preview the response file", button_style="primary",
                                     tooltip="Show exactly what the file will hold")
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.folder_text = widgets.Text(value=str(folder or default_folder()), description="Save the file in folder",
                                        style=LABEL_STYLE, layout=widgets.Layout(width="40rem"))
        self.write_button = button("Write the file", icon="download",
                                   tooltip="Write the previewed file into the folder above")
        self.write_button.on_click(lambda _b: self.write())
        self.new_button = button("Start a new response",
                                 tooltip="Clear the answers and start again with a new response id")
        self.new_button.on_click(lambda _b: self.start_new())
        self.message_html = widgets.HTML()
        self.preview_html = widgets.HTML()
        self.children = [
            widgets.HTML(intro),
            self.message_html,  # status at the top of the form, where it is seen
            widgets.HBox([self.team_text, self.cycle_text]),
            self.factor_dropdown,
            self._factors.box,
            widgets.HBox([self.prev_button, self.next_button]),
            self.progress_html,
            widgets.HBox([self.save_button, self.preview_button, self.new_button]),
            self.preview_html,
            self.folder_text,
            self.write_button,
        ]
        if hub_drop.folder("benchmark") is not None:  # the cohort server: straight to the team lead's drop folder
            self.folder_text.layout = widgets.Layout(display="none")
            self.write_button.description = "Send to my team lead"
        self.factor = t.factors[0].id
        self._load_saved()
        if not self.response_id:
            self.response_id = new_response(t)["response_id"]
        self.observe(self._render, names=["team", "cycle", "factor", "ratings", "answers", "comments", "preview",
                                          "message", "saved_id", "written_path", "revision"])
        self._render()

    # -- the factors' panels (each built when first shown: response_form_widgets.FactorPanels) -------------
    def _every(self, which: str) -> dict:
        return self._factors.every(which, self.ratings, self.answers, self.comments, self.factor)

    # every panel built: factor id -> panel, rating buttons or comment box; indicator id -> answer buttons
    panels = property(lambda self: self._every("panels"))
    rating_buttons = property(lambda self: self._every("ratings"))
    indicator_buttons = property(lambda self: self._every("indicators"))
    comment_boxes = property(lambda self: self._every("comments"))

    # -- validation -----------------------------------------------------------------------------
    @validate("factor")
    def _valid_factor(self, proposal):
        if proposal["value"] not in self.tool.factor_ids:
            raise TraitError(f"{proposal['value']!r} is not a factor of the tool")
        return proposal["value"]

    @validate("ratings")
    def _valid_ratings(self, proposal):
        values = [s["value"] for s in self.tool.scale]
        for k, v in proposal["value"].items():
            if k not in self.tool.factor_ids:
                raise TraitError(f"{k!r} is not a factor of the tool")
            if v not in values or isinstance(v, bool):
                raise TraitError(f"{v!r} is not on the rating scale {values}")
        return dict(proposal["value"])

    @validate("answers")
    def _valid_answers(self, proposal):
        ids = set(self.tool.indicator_ids)
        for k, v in proposal["value"].items():
            if k not in ids:
                raise TraitError(f"{k!r} is not an indicator of the tool")
            if v not in ANSWERS:
                raise TraitError(f"{v!r} is not one of {', '.join(ANSWERS)}")
        return dict(proposal["value"])

    @validate("comments")
    def _valid_comments(self, proposal):
        for k, v in proposal["value"].items():
            if k not in self.tool.factor_ids or not isinstance(v, str):
                raise TraitError(f"comments are text filed under a factor id; got {k!r}")
        return {k: v for k, v in proposal["value"].items() if v.strip()}

    # -- actions --------------------------------------------------------------------------------
    def _control_changed(self, change):
        if self._syncing:
            return
        self.team = self.team_text.value
        self.cycle = self.cycle_text.value
        self.ratings, self.answers, self.comments = self._factors.collect(self.ratings, self.answers, self.comments)
        if self.message and not self.message.startswith("Your saved"):
            self.message = ""  # an old message no longer fits the changed answers

    def step(self, by: int) -> None:
        """Show the previous (-1) or next (+1) factor."""
        ids = list(self.tool.factor_ids)
        self.factor = ids[(ids.index(self.factor) + by) % len(ids)]

    def _content(self) -> dict:
        """What the learner has entered (what a written file is compared with)."""
        return {"team": self.team, "cycle": self.cycle, "ratings": dict(self.ratings),
                "indicators": dict(self.answers), "comments": dict(self.comments)}

    def _draft(self) -> dict:
        """What :meth:`save` keeps in the store: the content, this response's id and what was last written."""
        return {"response_id": self.response_id, "revision": self.revision, **self._content(),
                "written": self._written, "written_revision": self._written_revision}

    def save(self) -> str | None:
        """Save the answers so far (complete or not) in the learner's store; returns the store id."""

        def store_it() -> str:
            if self.saved_id:
                try:
                    self.store.update_record(self.saved_id, self._draft())
                    return self.saved_id
                except Exception:
                    log.warning("the saved benchmarking response has gone; saving a new one", exc_info=True)
            return self.store.add_record(RESPONSE_KIND, self._draft(), "benchmark")

        rid = guarded(store_it, self, "Your answers could not be saved just now. They are still on screen; "
                      "please try again.", what="saving a benchmarking response")
        if rid is None:
            return None
        self.saved_id = rid
        self.message = "Saved on this computer. You can come back and carry on later."
        return self.saved_id

    def _load_saved(self) -> None:
        rec = latest_record(self.store, RESPONSE_KIND)
        if rec is None:
            return
        p = rec.get("payload") or {}
        written = p.get("written") if isinstance(p, dict) else None
        if isinstance(written, dict) and all(written.get(k) == p.get(k) for k in written):
            # the last person on this computer wrote their file and changed nothing since: start blank
            self.message = ("The last response on this computer has been written to its file, so this is a new, "
                            "blank response.")
            return
        try:
            rid = p.get("response_id", "")
            self.response_id = rid if isinstance(rid, str) and len(rid) == 32 else ""
            self.revision = int(p.get("revision", 1))
            self.team, self.cycle = str(p.get("team", "")), str(p.get("cycle", ""))
            self.ratings, self.answers, self.comments = saved_answers(p, self.tool)
            self._written = p.get("written") if isinstance(p.get("written"), dict) else None
            self._written_revision = int(p.get("written_revision", 0))
            self.saved_id = rec["id"]
            self.message = "Your saved answers have been loaded, so you can carry on where you left off."
        except (TypeError, ValueError, TraitError, AttributeError):
            log.exception("a saved benchmarking response could not be loaded")
            self.message = (
                "A saved response could not be loaded, so a new one has been started. Nothing was deleted."
            )
            self.saved_id = ""

    def start_new(self) -> None:
        """Clear the answers (team and cycle stay) and start a new response with a new random id."""
        self.ratings, self.answers, self.comments = {}, {}, {}
        self.response_id = new_response(self.tool)["response_id"]
        self.revision = 1
        self._written, self._written_revision = None, 0
        self.saved_id = ""
        self.preview = ""
        self.written_path = ""
        self.message = "A new, empty response has been started."

    def response(self) -> dict:
        """The checked response as it would be written. Raises ResponseError if it is not ready."""
        content = self._content()
        revision = self._written_revision or 1
        if self._written is not None and content != self._written:
            revision = self._written_revision + 1
        try:
            team = check_label(self.team, "team")
            cycle = check_label(self.cycle, "cycle")
        except ResponseError as exc:
            raise ResponseError(f"{exc} (use the code your team lead gave you)") from None
        missing = [f.label for f in self.tool.factors if f.id not in self.ratings]
        if missing:
            raise ResponseError(f"please rate every factor first (still to rate: {', '.join(missing)})")
        data = {**new_response(self.tool, team, cycle), "response_id": self.response_id, "revision": revision,
                **{k: content[k] for k in ("ratings", "indicators", "comments")}}
        return check_response(data, self.tool)

    def make_preview(self) -> str:
        """Show exactly what the response file will hold; returns that text ("" if not ready)."""
        try:
            resp = self.response()
        except ResponseError as exc:
            self.preview = ""
            self.message = f"Not ready yet: {exc}."
            return ""
        self.revision = resp["revision"]
        self.message = ""
        self.preview = response_bytes(resp).decode("utf-8")
        return self.preview

    def write(self, folder: str | Path | None = None) -> Path | None:
        """Write the previewed file (exactly the bytes shown) into *folder* (default: the folder box)."""
        if not self.preview:
            self.message = "Preview the file first, so you can see what it holds."
            return None
        try:
            resp = self.response()
        except ResponseError as exc:
            self.message = f"Not ready yet: {exc}."
            return None
        data = self.preview.encode("utf-8")
        if data != response_bytes(resp):
            self.preview = ""
            self.message = "Your answers changed after the preview. Preview the file again, then write it."
            return None
        on_hub = folder is None and hub_drop.folder("benchmark") is not None
        if on_hub:
            path = None
        elif folder is None:
            path, problem = typed_folder(self.folder_text.value)
            if path is None:
                self.message = problem
                return None
        else:
            path = Path(folder)
        try:
            written = hub_drop.hand_in("benchmark", self.preview) if on_hub else write_bytes(
                data, path / response_filename(resp))
        except OSError as exc:
            self.message = f"The file could not be written: {exc}. Your answers are safe on screen."
            return None
        self._written, self._written_revision = self._content(), resp["revision"]
        self.written_path = str(written)
        self.save()
        self._submitted(self, written)  # on_submit callbacks get (widget, path)
        # On a shared computer the next member must not see these answers: start a blank response.
        self.start_new()
        self.written_path = str(written)
        self.message = (
            f"Written to {written}. Send this file to your team lead in the way your team has agreed "
            "(for example a shared folder). The form is now blank for the next person."
        )
        if on_hub:
            self.message = (f"Saved for your team lead. It does not carry your name, and the team report shows "
                            f"results only once at least {MIN_GROUP} people have answered. The form is now blank "
                            "for the next person.")
        return written

    # -- rendering: one observer ------------------------------------------------------------------
    def _render(self, change=None):
        name = change["name"] if change else None
        if name in self._CONTENT and self.preview:
            self.preview = ""  # an old preview would no longer be what is written
            return
        self._factors.panel(self.factor, self.ratings, self.answers, self.comments, self.factor)
        self._syncing = True
        try:
            if self.team_text.value != self.team:
                self.team_text.value = self.team
            if self.cycle_text.value != self.cycle:
                self.cycle_text.value = self.cycle
            if self.factor_dropdown.value != self.factor:
                self.factor_dropdown.value = self.factor
            self._factors.set_to(self.ratings, self.answers, self.comments, self.factor)
        finally:
            self._syncing = False
        t = self.tool
        self.progress_html.value = progress_html(t, self.ratings, self.answers)
        long = [t.factor(f).title for f, c in self.comments.items() if len(c) > MAX_COMMENT]
        msg = self.message
        if long and not msg:
            msg = f"Please shorten your comment on {', '.join(long)} to {MAX_COMMENT} characters or fewer."
        kind = "ok" if msg.startswith(("Saved", "Written", "Your saved", "A new")) else "warn"
        self.message_html.value = message_html(msg, kind)
        self.preview_html.value = preview_card_html(self.preview)
        self.write_button.disabled = not self.preview
