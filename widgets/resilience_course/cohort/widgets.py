"""Widgets for groups: the facilitator's pack, the anonymous check-in and the course evaluation.

Learners answer on their own computers and save anonymous response files; the facilitator reads a
folder of them. Group results appear only for at least five responses (see
:mod:`resilience_course.core.privacy`).
"""

from __future__ import annotations

import json

import ipywidgets as widgets
from traitlets import Dict, Instance, TraitError, Unicode, validate

from ..core.contacts import contacts_html
from ..core.content import ContentError
from ..core.course import Outline, load_outline
from ..core.exports import export_dir as default_export_folder
from ..core.exports import write_new_file
from ..core.html import esc
from ..core.privacy import MIN_GROUP
from ..core.store import Store
from ..ui.common import LABEL_STYLE, WIDE, button, get_store, log, message_html, text_input
from . import facilitator as fac
from . import model as co

__all__ = ["CheckIn", "CheckInReport", "Evaluation", "EvaluationReport", "FacilitatorPack"]





def _problems(problems: dict) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{esc(m)}</li>" for m in problems.values())
    return f'<div class="rc-warn" role="alert"><p>Please check:</p><ul>{items}</ul></div>'


def _status(message: str) -> str:
    if not message:
        return ""
    ok = message.startswith(("Saved", "Written", "Preview", "Your answers"))
    return message_html(message, "ok" if ok else "warn")


class _AnonymousFile:
    """Preview-then-write of an anonymous response file, shared by the check-in and the evaluation."""

    def _preview_from(self, build) -> dict | None:
        try:
            self.response = build()
        except co.SurveyError as exc:
            self.problems = exc.problems
            self.preview = ""
            return None
        self.problems = {}
        self.preview = json.dumps(self.response, indent=2, ensure_ascii=False)
        self.message = "Preview below: this is everything the file will hold."
        return self.response

    def _write_file(self, not_previewed: str, next_step: str) -> str | None:
        if not self.preview or self.response is None:
            self.message = not_previewed
            return None
        try:
            path = write_new_file(self.folder.value, co.response_filename(self.response), self.preview + "\n")
        except OSError as exc:
            self.message = (f"The file could not be written to {self.folder.value!r} "
                            f"({exc.strerror or exc.__class__.__name__}). Choose another folder.")
            return None
        self.message = f"Written: {path}. {next_step}"
        for cb in list(self._callbacks):
            cb(self, str(path))
        return str(path)


class _SurveyForm:
    """Controls for a survey's questions (ToggleButtons for choices, a Textarea for text)."""

    def __init__(self, survey: co.Survey, on_change, qids: list[str] | None = None):
        self.survey = survey
        self.controls: dict[str, widgets.Widget] = {}
        self.boxes: list[widgets.Widget] = []
        for q in survey.questions:
            if qids is not None and q["id"] not in qids:
                continue
            if q["type"] == "choice":
                ctl = widgets.ToggleButtons(options=[(o["label"], o["id"]) for o in q["options"]], value=None,
                                            style={"button_width": "auto"})
                ctl.add_class("rc-options")
                hint = f'<p class="rc-muted">{esc(q["hint"])}</p>' if q.get("hint") else ""
                self.boxes.append(widgets.VBox([widgets.HTML(f'<p class="rc-item-text">{esc(q["text"])}</p>{hint}'),
                                                ctl]))
            else:
                ctl = text_input(q["text"], placeholder=q.get("hint", ""), area=True)
                self.boxes.append(ctl)
            ctl.observe(on_change, names="value")
            self.controls[q["id"]] = ctl

    def values(self) -> dict:
        return {k: c.value for k, c in self.controls.items() if c.value not in (None, "")}

    def set(self, answers: dict) -> None:
        for k, c in self.controls.items():
            want = answers.get(k, None if isinstance(c, widgets.ToggleButtons) else "")
            if c.value != want:
                c.value = want


# -- the learner's check-in ----------------------------------------------------------------------
class CheckIn(_AnonymousFile, widgets.VBox):
    """The anonymous check-in: answer, preview the response file, then write it for the facilitator.

    Parameters
    ----------
    survey : str or Survey
        ``"check-in"`` (default) or a survey file.
    folder : str, optional
        Where the response file is written (default: the learner's Documents folder).
    """

    answers = Dict(help="Question id -> answer (option id or text)")
    cohort = Unicode("", help="The group code the facilitator gave")
    session = Unicode("", help="The session code (usually the module number, e.g. 03)")
    preview = Unicode("", help="The response file as it will be written (JSON), once previewed")
    message = Unicode("", help="Status message")
    problems = Dict(help="Field -> message from the last check")

    def __init__(self, survey: str | co.Survey = "check-in", folder: str | None = None, **kwargs):
        self._callbacks: list = []
        self._syncing = False
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.response: dict | None = None
        self.add_class("rc-cohort")
        self.form = _SurveyForm(self.survey, self._typed)
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

    def on_submit(self, callback, remove: bool = False):
        """Call ``callback(widget, path)`` after the response file is written."""
        (self._callbacks.remove if remove else self._callbacks.append)(callback)

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
        self.problems_html.value = _problems(self.problems)
        self.preview_html.value = (f'<details open><summary>Your response file</summary><pre class="rc-card">'
                                   f"{esc(self.preview)}</pre></details>" if self.preview else "")
        self.write_button.disabled = not self.preview
        self.status_html.value = _status(self.message)


# -- reports for the facilitator -----------------------------------------------------------------
class CheckInReport(widgets.VBox):
    """The group's picture from a folder of check-in files (only for at least five valid responses)."""

    folder = Unicode("", help="Folder holding the response files")
    cohort = Unicode("", help="The group code")
    session = Unicode("", help="The session code")
    report = Unicode("", help="The report shown (HTML)")

    def __init__(self, survey: str | co.Survey = "check-in", **kwargs):
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.result: co.ReadResult | None = None
        self.summary: co.GroupSummary | None = None
        self.folder_input = text_input("Folder with the response files", placeholder="for example ~/MondayClub/03")
        self.cohort_input = text_input("Group code")
        self.session_input = text_input("Session code")
        for w, name in ((self.folder_input, "folder"), (self.cohort_input, "cohort"), (self.session_input, "session")):
            w.observe(lambda ch, n=name: setattr(self, n, ch["new"]), names="value")
        self.button = button("Show the group's picture", icon="users", button_style="primary")
        self.button.on_click(lambda _b: self.run())
        self.report_html = widgets.HTML()
        self.children = [widgets.HTML(f'<div class="rc-page"><p>Group results appear only when at least {MIN_GROUP} '
                                      "people have checked in. Never try to work out who said what.</p></div>"),
                         self.folder_input, self.cohort_input, self.session_input, self.button, self.report_html]
        self.observe(self._render, names=["report", "folder", "cohort", "session"])

    def run(self) -> co.GroupSummary | None:
        self.result = co.read_responses(self.folder, self.survey, self.cohort, session=self.session)
        if self.result.problem and not self.result.bad:
            self.summary = None
            self.report = message_html(self.result.problem, "warn")
            return None
        self.summary = co.summarise_check_in(self.survey, self.result.valid)
        self.report = self.result.bad_html() + self.summary.html
        return self.summary

    def _render(self, change=None):
        for w, name in ((self.folder_input, "folder"), (self.cohort_input, "cohort"), (self.session_input, "session")):
            if w.value != getattr(self, name):
                w.value = getattr(self, name)
        self.report_html.value = f'<div aria-live="polite">{self.report}</div>' if self.report else ""


class Evaluation(_AnonymousFile, widgets.VBox):
    """The learner's evaluation of a module: confidence before and after, and a short reaction survey.

    Answers are saved in the learner's own store; an anonymous file can be previewed and written.

    Parameters
    ----------
    module : str, optional
        Module id; without it the learner chooses the module from a list.
    stage : {"before", "after"}, optional
        Fix the stage (a module's overview asks "before", its last section "after"); without it the
        learner chooses.
    store : Store, optional
    """

    module = Unicode("", help="Module id being evaluated")
    stage = Unicode("", help="'before' or 'after' the module")
    confidence = Dict(help="Outcome id -> confidence value")
    reaction = Dict(help="Reaction question id -> answer")
    cohort = Unicode("", help="Group code for the anonymous file")
    preview = Unicode("", help="The anonymous file as it will be written (JSON)")
    message = Unicode("", help="Status message")
    problems = Dict(help="Field -> message from the last check")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, module: str | None = None, survey: str | co.Survey = "evaluation",
                 store: Store | None = None, outline: Outline | None = None, folder: str | None = None,
                 stage: str | None = None, **kwargs):
        self._callbacks: list = []
        self._syncing = False
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.outline = outline or load_outline()
        self.store = get_store(store)
        self.response: dict | None = None
        self.add_class("rc-cohort")
        self.module_dd = widgets.Dropdown(options=[("Choose a module...", "")] +
                                          [(f"Module {m.number}: {m.title}", m.id) for m in self.outline.modules],
                                          value="", description="Module", style=LABEL_STYLE, layout=WIDE)
        self.module_dd.observe(lambda ch: setattr(self, "module", ch["new"] or ""), names="value")
        if module:
            self.module_dd.layout.display = "none"
        self.stage_tb = widgets.ToggleButtons(options=[(lab, k) for k, lab in co.STAGES.items()], value=None,
                                              style={"button_width": "auto"})
        self.stage_tb.add_class("rc-options")
        self.stage_tb.observe(lambda ch: setattr(self, "stage", ch["new"] or ""), names="value")
        stage_label = widgets.HTML('<p class="rc-item-text">When are you answering?</p>')
        if stage:
            self.stage_tb.layout.display = stage_label.layout.display = "none"
        self.conf_box = widgets.VBox()
        self.conf_controls: dict[str, widgets.ToggleButtons] = {}
        self.react_form = _SurveyForm(self.survey, self._typed)
        self.react_box = widgets.VBox([widgets.HTML("<h3>How was the module?</h3>"), *self.react_form.boxes])
        self.save_button = button("Save my answers", icon="save", button_style="primary")
        self.save_button.on_click(lambda _b: self.save())
        self.cohort_input = text_input("Group code (for the anonymous file)")
        self.cohort_input.observe(lambda ch: setattr(self, "cohort", ch["new"]), names="value")
        self.preview_button = button("Preview the anonymous file", icon="eye")
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.folder = text_input("Folder to save it in", value=folder or str(default_export_folder()))
        self.write_button = button("Write the anonymous file", icon="download")
        self.write_button.on_click(lambda _b: self.write())
        self.saved_html = widgets.HTML()
        self.problems_html = widgets.HTML()
        self.status_html = widgets.HTML()
        self.preview_html = widgets.HTML()
        intro = widgets.HTML(f'<div class="rc-page"><p>{esc(self.survey.introduction)}</p><div class="rc-note"><p>'
                             f"<strong>Private by design.</strong> {esc(self.survey.privacy)}</p></div></div>")
        self.children = [intro, self.module_dd, stage_label, self.stage_tb, self.conf_box, self.react_box,
                         self.save_button, self.problems_html,
                         self.status_html, self.saved_html,
                         widgets.HTML("<h3>Share it anonymously (optional)</h3>"), self.cohort_input,
                         self.preview_button, self.preview_html, self.folder, self.write_button]
        self.observe(self._render, names=["module", "stage", "confidence", "reaction", "cohort", "preview", "message",
                                          "problems"])
        if module:
            self.module = module
        if stage:
            self.stage = stage
        self._render()

    @validate("module")
    def _valid_module(self, proposal):
        if proposal["value"] and proposal["value"] not in [m.id for m in self.outline.modules]:
            raise TraitError(f"{proposal['value']!r} is not a module of the course")
        return proposal["value"]

    @validate("stage")
    def _valid_stage(self, proposal):
        if proposal["value"] and proposal["value"] not in co.STAGES:
            raise TraitError(f"stage must be one of {list(co.STAGES)}")
        return proposal["value"]

    def on_submit(self, callback, remove: bool = False):
        """Call ``callback(widget, what)`` after answers are saved ('saved') or a file is written (its path)."""
        (self._callbacks.remove if remove else self._callbacks.append)(callback)

    def _typed(self, change):
        if self._syncing:
            return
        self.confidence = {k: c.value for k, c in self.conf_controls.items() if c.value is not None}
        self.reaction = self.react_form.values()

    def _build_confidence(self) -> None:
        self.conf_controls = {}
        if not self.module:
            self.conf_box.children = []
            return
        m = self.outline.module(self.module)
        rows = [widgets.HTML(f"<h3>How confident do you feel? Module {m.number}: {esc(m.title)}</h3>")]
        opts = [(c["label"], c["value"]) for c in self.survey.confidence_scale]
        for n, o in enumerate(m.outcomes, start=1):
            ctl = widgets.ToggleButtons(options=opts, value=None, style={"button_width": "auto"})
            ctl.add_class("rc-options")
            ctl.observe(self._typed, names="value")
            self.conf_controls[o["id"]] = ctl
            rows.append(widgets.VBox([widgets.HTML(f'<p class="rc-item-text">{n}. {esc(o["text"])}</p>'), ctl]))
        self.conf_box.children = rows

    def save(self) -> str | None:
        if not self.module:
            self.problems = {"module": "Choose the module first."}
            return None
        try:
            rid = co.save_evaluation(self.store, self.survey, self.module, self.stage, self.confidence,
                                     self.reaction if self.stage == "after" else None, self.outline)
        except co.SurveyError as exc:
            self.problems = exc.problems
            return None
        except Exception:
            log.exception("saving an evaluation failed")
            self.message = "Your answers could not be saved just now. They are still here: please try again."
            return None
        self.problems = {}
        self.message = "Saved on this computer. Thank you."
        for cb in list(self._callbacks):
            cb(self, "saved")
        return rid

    def make_preview(self) -> dict | None:
        if not self.module:
            self.problems = {"module": "Choose the module first."}
            return None
        return self._preview_from(lambda: co.make_evaluation(self.survey, self.module, self.cohort,
                                                             co.latest_evaluation(self.store, self.module)))

    def write(self) -> str | None:
        return self._write_file("Preview the anonymous file first, so you can see exactly what it holds.",
                                "Send it to your facilitator or trainer.")

    def _render(self, change=None):
        name = change["name"] if change is not None else None
        if name in (None, "module") and (not self.conf_controls or name == "module"):
            self._build_confidence()
            if name == "module" and self.confidence:
                self.confidence = {}  # ratings belong to one module's outcomes
        self._syncing = True
        try:
            if (self.module_dd.value or "") != self.module:
                self.module_dd.value = self.module
            if (self.stage_tb.value or "") != self.stage:
                self.stage_tb.value = self.stage or None
            for k, c in self.conf_controls.items():
                if c.value != self.confidence.get(k):
                    c.value = self.confidence.get(k)
            self.react_form.set(self.reaction)
            if self.cohort_input.value != self.cohort:
                self.cohort_input.value = self.cohort
        finally:
            self._syncing = False
        if name in ("module", "cohort") and self.preview:
            self.preview, self.response = "", None
        self.react_box.layout.display = None if self.stage == "after" else "none"
        self.problems_html.value = _problems(self.problems)
        self.status_html.value = _status(self.message)
        saved = co.latest_evaluation(self.store, self.module) if self.module else {}
        self.saved_html.value = (f'<p class="rc-muted">Saved for this module: '
                                 f"{esc(', '.join(co.STAGES[s].lower() for s in saved)) or 'nothing yet'}.</p>"
                                 if self.module else "")
        self.preview_html.value = (f'<details open><summary>The anonymous file</summary><pre class="rc-card">'
                                   f"{esc(self.preview)}</pre></details>" if self.preview else "")
        self.write_button.disabled = not self.preview


class EvaluationReport(widgets.VBox):
    """The cohort's evaluation summary for a module (only for at least five valid responses)."""

    folder = Unicode("", help="Folder holding the evaluation files")
    cohort = Unicode("", help="The group code")
    module = Unicode("", help="The module id")
    report = Unicode("", help="The report shown (HTML)")

    def __init__(self, survey: str | co.Survey = "evaluation", outline: Outline | None = None, **kwargs):
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.outline = outline or load_outline()
        self.result: co.ReadResult | None = None
        self.summary: co.GroupSummary | None = None
        self.folder_input = text_input("Folder with the evaluation files")
        self.cohort_input = text_input("Group code")
        self.module_dd = widgets.Dropdown(options=[("Choose a module...", "")] +
                                          [(f"Module {m.number}: {m.title}", m.id) for m in self.outline.modules],
                                          value="", description="Module", style=LABEL_STYLE, layout=WIDE)
        for w, name in ((self.folder_input, "folder"), (self.cohort_input, "cohort"), (self.module_dd, "module")):
            w.observe(lambda ch, n=name: setattr(self, n, ch["new"] or ""), names="value")
        self.button = button("Show the evaluation summary", icon="bar-chart",
                                     button_style="primary")
        self.button.on_click(lambda _b: self.run())
        self.report_html = widgets.HTML()
        self.children = [widgets.HTML(f'<div class="rc-page"><p>The summary appears only when at least {MIN_GROUP} '
                                      "people have sent an evaluation for the module.</p></div>"),
                         self.folder_input, self.cohort_input, self.module_dd, self.button, self.report_html]
        self.observe(self._render, names=["report", "folder", "cohort", "module"])

    def run(self) -> co.GroupSummary | None:
        if not self.module:
            self.report = message_html("Choose the module first.", "warn")
            return None
        self.result = co.read_responses(self.folder, self.survey, self.cohort, module=self.module,
                                        outline=self.outline)
        if self.result.problem and not self.result.bad:
            self.summary = None
            self.report = message_html(self.result.problem, "warn")
            return None
        self.summary = co.summarise_evaluation(self.survey, self.result.valid, self.module, self.outline)
        self.report = self.result.bad_html() + self.summary.html
        return self.summary

    def _render(self, change=None):
        for w, name in ((self.folder_input, "folder"), (self.cohort_input, "cohort"), (self.module_dd, "module")):
            if (w.value or "") != getattr(self, name):
                w.value = getattr(self, name)
        self.report_html.value = f'<div aria-live="polite">{self.report}</div>' if self.report else ""


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
        self.status_html.value = _status(self.message)
