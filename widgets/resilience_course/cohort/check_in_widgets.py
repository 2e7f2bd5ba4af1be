"""The anonymous check-in: the learner's form and the facilitator's report."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Dict, TraitError, Unicode, validate

from ..core.contacts import contacts_html
from ..core.exports import export_dir as default_export_folder
from ..core.html import esc
from ..core.privacy import MIN_GROUP
from ..ui.controls import button, text_input
from . import model as co
from .base_widgets import AnonymousFile, GroupReport, SurveyForm, problems_html, status_html

__all__ = ["CheckIn", "CheckInReport"]


# -- the learner's check-in ----------------------------------------------------------------------
class CheckIn(AnonymousFile, widgets.VBox):
    """The anonymous check-in: answer, preview the response file, then write it for the facilitator.

    Parameters
    ----------
    survey : str or Survey
        ``"check-in"`` (default) or a survey file.
    folder : str, optional
        Where the response file is written (default: the learner's Documents folder).
    """

    drop_kind = "check-in"
    answers = Dict(help="Question id -> answer (option id or text)")
    cohort = Unicode("", help="The group code the facilitator gave")
    session = Unicode("", help="The session code (usually the module number, e.g. 03)")
    preview = Unicode("", help="The response file as it will be written (JSON), once previewed")
    message = Unicode("", help="Status message")
    problems = Dict(help="Field -> message from the last check")

    def __init__(self, survey: str | co.Survey = "check-in", folder: str | None = None, **kwargs):
        self._syncing = False
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.response: dict | None = None
        self.add_class("rc-cohort")
        self.form = SurveyForm(self.survey, self._typed)
        self.cohort_input = text_input("Group code", placeholder="from your facilitator, for example MC-SPRING")
        self.session_input = text_input("Session code", placeholder="for example 03")
        for w in (self.cohort_input, self.session_input):
            w.observe(self._typed, names="value")
        self.preview_button = button("Preview my response", icon="eye")
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.folder = text_input("Folder to save it in", value=folder or str(default_export_folder()))
        self.write_button = button("Save the response file", icon="download",
                                           button_style="primary")
        self.write_button.on_click(lambda _b: self.write())
        self.signpost_html = widgets.HTML()
        self.problems_html = widgets.HTML()
        self.status_html = widgets.HTML()
        self.preview_html = widgets.HTML()
        intro = widgets.HTML(f'<div class="rc-page"><h2>{esc(self.survey.title)}</h2><p>{esc(self.survey.introduction)}'
                             f'</p><div class="rc-note"><p><strong>Private by design.</strong> '
                             f"{esc(self.survey.privacy)}</p></div></div>")
        self.children = [intro, self.cohort_input, self.session_input, *self.form.boxes, self.signpost_html,
                         self.preview_button, self.problems_html, self.preview_html, self.folder, self.write_button,
                         self.status_html]
        self.observe(self._render, names=["answers", "cohort", "session", "preview", "message", "problems"])
        self._hub_setup(self.cohort_input)
        self._render()

    @validate("answers")
    def _valid_answers(self, proposal):
        value = dict(proposal["value"])
        for k, v in value.items():
            try:
                q = self.survey.question(k)
            except KeyError:
                raise TraitError(f"{k!r} is not a question of the {self.survey.id} survey") from None
            if q["type"] == "choice" and v not in {o["id"] for o in q["options"]}:
                raise TraitError(f"{v!r} is not an answer to {k!r}")
        return value

    def _typed(self, change):
        if self._syncing:
            return
        self.answers = self.form.values()
        self.cohort = self.cohort_input.value
        self.session = self.session_input.value

    @property
    def signposted(self) -> bool:
        return co.needs_signpost(self.survey, self.answers)

    def make_preview(self) -> dict | None:
        return self._preview_from(lambda: co.make_check_in(self.survey, self.answers, self.cohort, self.session))

    def write(self) -> str | None:
        return self._write_file("Preview your response first, so you can see exactly what the file holds.",
                                "Send this file to your facilitator, or save it in the group's folder.")

    def _render(self, change=None):
        self._syncing = True
        try:
            self.form.set(self.answers)
            if self.cohort_input.value != self.cohort:
                self.cohort_input.value = self.cohort
            if self.session_input.value != self.session:
                self.session_input.value = self.session
        finally:
            self._syncing = False
        if change is not None and change["name"] in ("answers", "cohort", "session") and self.preview:
            self.preview = ""  # changed since the preview: preview again before writing
            self.response = None
        self.signpost_html.value = contacts_html(self.survey.signpost_message) if self.signposted else ""
        self.problems_html.value = problems_html(self.problems)
        self.preview_html.value = (f'<details open><summary>Your response file</summary><pre class="rc-card">'
                                   f"{esc(self.preview)}</pre></details>" if self.preview else "")
        self.write_button.disabled = not self.preview
        self.status_html.value = status_html(self.message)


class CheckInReport(GroupReport):
    """The group's picture from a folder of check-in files (only for at least five valid responses)."""

    session = Unicode("", help="The session code")
    drop_kind = "check-in"

    def __init__(self, survey: str | co.Survey = "check-in", **kwargs):
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.folder_input = text_input("Folder with the response files", placeholder="for example ~/MondayClub/03")
        self.cohort_input = text_input("Group code")
        self.session_input = text_input("Session code")
        self._build([(self.folder_input, "folder"), (self.cohort_input, "cohort"), (self.session_input, "session")],
                    "Show the group's picture", "users",
                    f"Group results appear only when at least {MIN_GROUP} people have checked in. Never try to "
                    "work out who said what.")

    def run(self) -> co.GroupSummary | None:
        """Read the folder and show the group's picture (or why it cannot be shown)."""
        result = co.read_responses(self.folder, self.survey, self.cohort, session=self.session)
        return self._show(result, lambda valid: co.summarise_check_in(self.survey, valid))
