"""What the group widgets share: problem and status messages, the anonymous file, survey forms, reports."""

from __future__ import annotations

import json

import ipywidgets as widgets
from traitlets import Bool, Unicode

from ..core.exports import write_new_file
from ..core.html import esc
from ..hub import drop as hub_drop
from ..ui.controls import button, choice_buttons, text_input
from ..ui.style import message_html
from ..ui.submit import Submits
from . import model as co

__all__ = ["problems_html", "status_html", "AnonymousFile", "SurveyForm", "GroupReport"]


def problems_html(problems: dict) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{esc(m)}</li>" for m in problems.values())
    return f'<div class="rc-warn" role="alert"><p>Please check:</p><ul>{items}</ul></div>'


def status_html(message: str) -> str:
    if not message:
        return ""
    ok = message.startswith(("Saved", "Written", "Preview", "Your answers"))
    return message_html(message, "ok" if ok else "warn")


class AnonymousFile(Submits):
    """Preview-then-write of an anonymous response file, shared by the check-in and the evaluation.

    ``on_submit`` callbacks get ``(widget, path)`` after the file is written.

    On the cohort server (:mod:`resilience_course.hub.drop`) there is no file to handle: the folder
    box is hidden, the group code is filled in, and the response goes into the group's drop folder,
    which only the facilitators can read.
    """

    drop_kind = ""  # "check-in" or "evaluation": which drop folder the hub gives this response

    def on_hub(self) -> bool:
        """Whether responses go to the cohort server's drop folder (no file, no path)."""
        return bool(self.drop_kind) and hub_drop.folder(self.drop_kind) is not None

    def _hub_setup(self, cohort_input) -> None:
        if self.on_hub():
            self.folder.layout = widgets.Layout(display="none")  # its own layout: text boxes share one
            if not cohort_input.value:
                self.cohort = cohort_input.value = hub_drop.cohort_code()

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
        if self.on_hub():
            try:
                path = hub_drop.hand_in(self.drop_kind, self.preview + "\n")
            except OSError as exc:
                self.message = (f"Your response could not be sent just now ({exc.strerror or exc.__class__.__name__})."
                                " Your answers are still here: please try again, or tell your facilitator.")
                return None
            self.message = (f"Saved for your facilitator. It does not carry your name, and they see it only together "
                            f"with the group's, once at least {co.MIN_GROUP} people have answered.")
            self._submitted(self, str(path))
            return str(path)
        try:
            path = write_new_file(self.folder.value, co.response_filename(self.response), self.preview + "\n")
        except OSError as exc:
            self.message = (f"The file could not be written to {self.folder.value!r} "
                            f"({exc.strerror or exc.__class__.__name__}). Choose another folder.")
            return None
        self.message = f"Written: {path}. {next_step}"
        self._submitted(self, str(path))
        return str(path)


class SurveyForm:
    """Controls for a survey's questions (ToggleButtons for choices, a Textarea for text)."""

    def __init__(self, survey: co.Survey, on_change, qids: list[str] | None = None):
        self.survey = survey
        self.controls: dict[str, widgets.Widget] = {}
        self.boxes: list[widgets.Widget] = []
        for q in survey.questions:
            if qids is not None and q["id"] not in qids:
                continue
            if q["type"] == "choice":
                ctl = choice_buttons([(o["label"], o["id"]) for o in q["options"]])
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




class GroupReport(widgets.VBox):
    """What the check-in and evaluation reports share: a folder, a group code, a third choice, one button."""

    folder = Unicode("", help="Folder holding the response files")
    cohort = Unicode("", help="The group code")
    report = Unicode("", help="The report shown (HTML)")
    projector = Bool(False, help="Projector view: charts and counts only, no free text and no file names")
    drop_kind = ""  # on the cohort server: read this drop folder (no folder to type)

    def _build(self, inputs: list[tuple[widgets.Widget, str]], label: str, icon: str, note: str) -> None:
        self.result: co.ReadResult | None = None
        self.summary: co.GroupSummary | None = None
        self._inputs = inputs
        for w, name in inputs:
            w.observe(lambda ch, n=name: setattr(self, n, ch["new"] or ""), names="value")
        self.button = button(label, icon=icon, button_style="primary")
        self.button.on_click(lambda _b: self.run())
        self.projector_box = widgets.Checkbox(value=False, indent=False,
                                              description="Projector view (for one screen in the room: charts and "
                                                          "counts only, no comments)")
        self.projector_box.observe(lambda ch: setattr(self, "projector", bool(ch["new"])), names="value")
        self.report_html = widgets.HTML()
        self.children = [widgets.HTML(f'<div class="rc-page"><p>{esc(note)}</p></div>'),
                         *(w for w, _ in inputs), self.projector_box, self.button, self.report_html]
        drop_folder = hub_drop.folder(self.drop_kind) if self.drop_kind else None
        if drop_folder is not None:  # the cohort server: the responses are in the group's drop folder
            for w, name in inputs:
                if name == "folder":
                    w.layout = widgets.Layout(display="none")  # its own layout: text boxes share one
                elif name == "cohort" and not self.cohort:
                    self.cohort = hub_drop.cohort_code()
            self.folder = str(drop_folder)
        self.observe(self._render, names=["report", *(name for _, name in inputs)])
        self.observe(self._reshow, names=["projector"])

    def _show(self, result: co.ReadResult, summarise) -> co.GroupSummary | None:
        """Show *result*: the folder's problem, or the skipped files and ``summarise(valid responses)``."""
        self.result = result
        if result.problem and not result.bad:
            self.summary = None
            self.report = message_html(result.problem, "warn")
            return None
        self.summary = summarise(result.valid)
        self._reshow()
        return self.summary

    def _reshow(self, change=None) -> None:
        if self.summary is None or self.result is None:
            return
        if self.projector:  # one screen, one room: in a group of five a comment or a file name can name someone
            skipped = (f'<p class="rc-muted">{len(self.result.bad)} response(s) could not be counted.</p>'
                       if self.result.bad else "")
            self.report = skipped + self.summary.projector_html
        else:
            self.report = self.result.bad_html() + self.summary.html

    def run(self) -> co.GroupSummary | None:  # pragma: no cover - each report defines it
        raise NotImplementedError

    def _render(self, change=None):
        for w, name in self._inputs:
            if (w.value or "") != getattr(self, name):
                w.value = getattr(self, name)
        self.report_html.value = f'<div aria-live="polite">{self.report}</div>' if self.report else ""
