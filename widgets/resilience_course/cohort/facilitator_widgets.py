"""The facilitator's pack: the guide, the support contacts and a printable plan for each session."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import TraitError, Unicode, validate

from ..core.contacts import contacts_html
from ..core.content import ContentError
from ..core.course import Outline, load_outline
from ..core.exports import export_dir as default_export_folder
from ..core.exports import write_new_file
from ..core.html import esc
from ..ui.controls import button, text_input
from ..ui.session import log
from ..ui.style import LABEL_STYLE, WIDE, message_html
from . import facilitator as fac
from .base_widgets import status_html

__all__ = ["FacilitatorPack"]


# -- the facilitator's pack --------------------------------------------------------------------
class FacilitatorPack(widgets.VBox):
    """The facilitator's guide, the support contacts and the session plan for each module.

    Parameters
    ----------
    outline : Outline, optional
    folder : str, optional
        Where printable session plans are written.
    """

    module = Unicode("", help="Module whose session plan is shown")
    message = Unicode("", help="Status message")

    def __init__(self, outline: Outline | None = None, folder: str | None = None, sessions_file=None,
                 guide_file=None, **kwargs):
        super().__init__(**kwargs)
        self.outline = outline or load_outline()
        try:
            guide = fac.guide_html(guide_file)
        except ContentError as exc:
            log.error("facilitator guide: %s", exc)
            guide = message_html(f"The facilitator's guide cannot be shown ({exc.reason}).", "warn", live=False)
        try:
            self.sessions = fac.load_sessions(sessions_file, self.outline)
            intro = f"<p>{esc(self.sessions['introduction'])}</p>"
        except ContentError as exc:
            log.error("session plans: %s", exc)
            self.sessions = {"sessions": {}}
            intro = message_html(f"The session plans cannot be shown ({exc}).", "warn", live=False)
        guide_box = widgets.HTML(f'<div class="rc-page rc-guide">{guide}'
                                 f"{contacts_html('Share these with the group, and use them yourself if you need to.')}"
                                 "</div>")
        opts = [(f"Session {m.number}: {m.title}", m.id) for m in self.outline.modules
                if m.id in self.sessions["sessions"]]
        self.chooser = widgets.Dropdown(options=[("Choose a session...", ""), *opts], value="",
                                        description="Session plan", style=LABEL_STYLE, layout=WIDE)
        self.chooser.observe(lambda ch: setattr(self, "module", ch["new"] or ""), names="value")
        self.plan_html = widgets.HTML()
        self.folder = text_input("Folder to save printable plans in", value=folder or str(default_export_folder()))
        self.write_button = button("Save this plan as a printable page", icon="print")
        self.write_button.on_click(lambda _b: self.write())
        self.status_html = widgets.HTML()
        self.children = [widgets.HTML('<div class="rc-page"><h2>Session plans</h2></div>'),
                         widgets.HTML(f'<div class="rc-page">{intro}</div>'), self.chooser, self.plan_html,
                         self.folder, self.write_button, self.status_html, guide_box]
        self.observe(self._render, names=["module", "message"])
        self._render()

    @validate("module")
    def _valid_module(self, proposal):
        if proposal["value"] and proposal["value"] not in self.sessions["sessions"]:
            raise TraitError(f"there is no session plan for module {proposal['value']!r}")
        return proposal["value"]

    def write(self) -> str | None:
        if not self.module:
            self.message = "Choose a session plan first."
            return None
        plan = self.sessions["sessions"][self.module]
        try:
            page = fac.session_page(plan, self.outline)
            path = write_new_file(self.folder.value, f"session-{self.module}.html", page)
        except OSError as exc:
            self.message = (f"The plan could not be written to {self.folder.value!r} "
                            f"({exc.strerror or exc.__class__.__name__}). Choose another folder.")
            return None
        self.message = f"Written: {path}. Open it in your browser to print it."
        return str(path)

    def _render(self, change=None):
        if (self.chooser.value or "") != self.module:
            self.chooser.value = self.module
        if self.module:
            plan = self.sessions["sessions"][self.module]
            self.plan_html.value = f'<div class="rc-page rc-card">{fac.session_html(plan, self.outline)}</div>'
        else:
            self.plan_html.value = '<p class="rc-muted">Choose a session to see its plan.</p>'
        self.write_button.disabled = not self.module
        self.status_html.value = status_html(self.message)
