"""The course evaluation: the learner's form (saved privately, shared anonymously) and the facilitator's summary."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Dict, Instance, TraitError, Unicode, validate

from ..core.course import Outline, load_outline
from ..core.exports import export_dir as default_export_folder
from ..core.html import esc
from ..core.privacy import MIN_GROUP
from ..core.store import Store
from ..ui.controls import button, choice_buttons, text_input
from ..ui.guard import guarded
from ..ui.rating import rating_buttons
from ..ui.session import get_store
from ..ui.style import LABEL_STYLE, message_html
from . import model as co
from .base_widgets import AnonymousFile, GroupReport, SurveyForm, problems_html, status_html

__all__ = ["Evaluation", "EvaluationReport"]


class Evaluation(AnonymousFile, widgets.VBox):
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

    drop_kind = "evaluation"
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
        self._syncing = False
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.outline = outline or load_outline()
        self.store = get_store(store)
        self.response: dict | None = None
        self.add_class("rc-cohort")
        self.module_dd = widgets.Dropdown(options=[("Choose a module...", "")] +
                                          [(f"Module {m.number}: {m.title}", m.id) for m in self.outline.modules],
                                          value="", description="Module", style=LABEL_STYLE,
                                          layout=widgets.Layout(width="100%"))  # its own layout: it may be hidden
        self.module_dd.observe(lambda ch: setattr(self, "module", ch["new"] or ""), names="value")
        if module:
            self.module_dd.layout.display = "none"
        self.stage_tb = choice_buttons([(lab, k) for k, lab in co.STAGES.items()],
                                       layout=widgets.Layout())  # its own layout: it may be hidden
        self.stage_tb.observe(lambda ch: setattr(self, "stage", ch["new"] or ""), names="value")
        stage_label = widgets.HTML('<p class="rc-item-text">When are you answering?</p>', layout=widgets.Layout())
        if stage:
            self.stage_tb.layout.display = stage_label.layout.display = "none"
        self.conf_box = widgets.VBox()
        self.conf_controls: dict[str, widgets.ToggleButtons] = {}
        self.react_form = SurveyForm(self.survey, self._typed)
        self.react_box = widgets.VBox([widgets.HTML("<h3>How was the module?</h3>"), *self.react_form.boxes],
                                      layout=widgets.Layout())  # its own layout: shown after the module only
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
        # Only a learner in a group is asked for a group code; someone studying alone never sees it.
        self.in_group = widgets.Checkbox(value=False, indent=False,
                                         description="I am in a group, and my facilitator gave me a group code")
        self.share_box = widgets.VBox([self.cohort_input, self.preview_button, self.preview_html, self.folder,
                                       self.write_button], layout=widgets.Layout(display="none"))
        self.in_group.observe(lambda ch: setattr(self.share_box.layout, "display", None if ch["new"] else "none"),
                              names="value")
        intro = widgets.HTML(f'<div class="rc-page"><p>{esc(self.survey.introduction)}</p><div class="rc-note"><p>'
                             f"<strong>Private by design.</strong> {esc(self.survey.privacy)}</p></div></div>")
        self.children = [intro, self.module_dd, stage_label, self.stage_tb, self.conf_box, self.react_box,
                         self.save_button, self.problems_html,
                         self.status_html, self.saved_html,
                         widgets.HTML("<h3>Share it anonymously (only if you are in a group)</h3>"), self.in_group,
                         self.share_box]
        self.observe(self._render, names=["module", "stage", "confidence", "reaction", "cohort", "preview", "message",
                                          "problems"])
        if module:
            self.module = module
        if stage:
            self.stage = stage
        self._hub_setup(self.cohort_input)
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
            ctl = rating_buttons(f"{n}. {o['text']}", opts)  # one radio group named by the outcome (ui/rating.py)
            ctl.observe(self._typed, names="value")
            self.conf_controls[o["id"]] = ctl
            rows.append(ctl)
        self.conf_box.children = rows

    def save(self) -> str | None:
        if not self.module:
            self.problems = {"module": "Choose the module first."}
            return None
        def store_it() -> str | None:
            try:
                return co.save_evaluation(self.store, self.survey, self.module, self.stage, self.confidence,
                                          self.reaction if self.stage == "after" else None, self.outline)
            except co.SurveyError as exc:
                self.problems = exc.problems
                return None

        rid = guarded(store_it, self, "Your answers could not be saved just now. They are still here: please try "
                      "again.", what="saving an evaluation")
        if rid is None:
            return None
        self.problems = {}
        self.message = "Saved on this computer. Thank you."
        self._submitted(self, "saved")  # on_submit callbacks get (widget, "saved") here, (widget, path) on write
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
        self.problems_html.value = problems_html(self.problems)
        self.status_html.value = status_html(self.message)
        saved = co.latest_evaluation(self.store, self.module) if self.module else {}
        stages = ", ".join(co.STAGES[s][:1].lower() + co.STAGES[s][1:] for s in saved)  # "before I start..."
        self.saved_html.value = (f'<p class="rc-muted">Saved for this module: {esc(stages) or "nothing yet"}.</p>'
                                 if self.module else "")
        self.preview_html.value = (f'<details open><summary>The anonymous file</summary><pre class="rc-card">'
                                   f"{esc(self.preview)}</pre></details>" if self.preview else "")
        self.write_button.disabled = not self.preview


class EvaluationReport(GroupReport):
    """The cohort's evaluation summary for a module (only for at least five valid responses)."""

    module = Unicode("", help="The module id")
    drop_kind = "evaluation"

    def __init__(self, survey: str | co.Survey = "evaluation", outline: Outline | None = None, **kwargs):
        super().__init__(**kwargs)
        self.survey = survey if isinstance(survey, co.Survey) else co.load_survey(survey)
        self.outline = outline or load_outline()
        self.folder_input = text_input("Folder with the evaluation files")
        self.cohort_input = text_input("Group code")
        self.module_dd = widgets.Dropdown(options=[("Choose a module...", "")] +
                                          [(f"Module {m.number}: {m.title}", m.id) for m in self.outline.modules],
                                          value="", description="Module", style=LABEL_STYLE,
                                          layout=widgets.Layout(width="100%"))  # its own layout: it may be hidden
        self._build([(self.folder_input, "folder"), (self.cohort_input, "cohort"), (self.module_dd, "module")],
                    "Show the evaluation summary", "bar-chart",
                    f"The summary appears only when at least {MIN_GROUP} people have sent an evaluation for the "
                    "module.")

    def run(self) -> co.GroupSummary | None:
        """Read the folder and show the module's evaluation summary (or why it cannot be shown)."""
        if not self.module:
            self.report = message_html("Choose the module first.", "warn")
            return None
        result = co.read_responses(self.folder, self.survey, self.cohort, module=self.module, outline=self.outline)
        return self._show(result, lambda valid: co.summarise_evaluation(self.survey, valid, self.module, self.outline))
