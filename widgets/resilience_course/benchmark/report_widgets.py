"""For a team lead: the team report from a folder of response files."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
from traitlets import Instance, List, Unicode

from ..core.privacy import MIN_GROUP
from ..hub import drop as hub_drop
from ..ui.controls import button
from ..ui.download import download_link_html
from ..ui.style import message_html, pre_html
from ..ui.submit import Submits
from .base_widgets import BenchmarkSession, session_or_default, typed_folder
from .report import Report, aggregate
from .report_document import report_document, report_html, write_report
from .responses import read_folder
from .tool import Tool, load_factors

__all__ = ["TeamReport"]


# -- the team report -------------------------------------------------------------------------------
class TeamReport(Submits, widgets.VBox):
    """For a team lead: the team report from a folder of response files.

    Type the path of the folder that holds the team's response files (``.json``). Files that cannot
    be used are listed with the reason; nothing is shown for fewer than five valid responses.

    Parameters
    ----------
    tool : Tool, optional
    session : BenchmarkSession, optional
        Shares the report with an :class:`ActionPlan` on the same page.
    """

    folder = Unicode("", help="The folder of response files")
    team = Unicode("", help="The team code to report on (empty: the most common one)")
    cycle = Unicode("", help="The cycle to report on (empty: the most common one)")
    report = Instance(Report, allow_none=True, help="The latest report")
    message = Unicode("", help="A status or error message")
    written = List(help="Paths of the report files last written")

    def __init__(self, tool: Tool | None = None, session: BenchmarkSession | None = None, **kwargs):
        self.tool = tool or load_factors()
        self.session = session_or_default(session)
        self._auto_out = ""
        super().__init__(**kwargs)
        self.add_class("rc-benchmark")
        wide = widgets.Layout(width="40rem")
        st = {"description_width": "initial"}
        self.folder_text = widgets.Text(
            description="Folder of response files",
            placeholder="for example C:\\Users\\you\\Documents\\benchmark-spring",
            style=st,
            layout=wide,
        )
        self.team_text = widgets.Text(description="Team code (optional)", style=st)
        self.cycle_text = widgets.Text(description="Cycle (optional)", style=st)
        self.make_button = button("Make the team report", button_style="primary", icon="table"
        )
        self.make_button.on_click(lambda _b: self.make())
        self.out_text = widgets.Text(
            description="Save the report in folder",
            style=st,
            layout=wide,
            placeholder="a folder for report.html and report.json",
        )
        self.save_button = button("Save the report files", icon="save", disabled=True)
        self.save_button.on_click(lambda _b: self.write())
        self.message_html = widgets.HTML()
        self.report_html = widgets.HTML()
        intro = (
            "<h3>Make the team report</h3><p>Put the response files your team sends you in one "
            "folder on this computer, type that folder's path below, and make the report. The report shows, "
            "per factor, the median rating and how widely ratings spread, the share of indicators in place, "
            "the factors ranked weakest first and the indicators most often missing.</p>"
            f'<div class="rc-note"><p>Nothing is shown until at least {MIN_GROUP} valid responses are in '
            "the folder, so that nobody's answers can be picked out. Files that cannot be used are listed "
            "with the reason and left out.</p></div>"
        )
        for box in (self.folder_text, self.team_text, self.cycle_text):
            box.observe(self._typed, names="value")
        self.children = [
            widgets.HTML(intro),
            self.folder_text,
            widgets.HBox([self.team_text, self.cycle_text]),
            self.make_button,
            self.message_html,
            self.report_html,
            self.out_text,
            self.save_button,
        ]
        drop_folder = hub_drop.folder("benchmark")
        if drop_folder is not None:  # the cohort server: the team's responses are in its drop folder
            self.folder_text.layout = widgets.Layout(display="none")
            self.folder = str(drop_folder)
        self.observe(self._render, names=["folder", "team", "cycle", "report", "message", "written"])
        self._render()

    def _typed(self, change):
        self.folder, self.team, self.cycle = (
            self.folder_text.value,
            self.team_text.value,
            self.cycle_text.value,
        )

    def make(self) -> Report | None:
        """Read the folder and build the report (shown below the button)."""
        path, problem = typed_folder(self.folder or self.folder_text.value)
        if path is None:
            self.message = problem
            return None
        try:
            files, skipped = read_folder(path)
        except OSError as exc:
            self.message = f"The folder could not be read ({exc.__class__.__name__}). Check you may open it."
            return None
        if not files and not skipped:
            self.message = f"The folder {path} is empty. Put the team's response files (.json) in it first."
            return None
        report = aggregate(
            files,
            self.tool,
            team=self.team.strip() or None,
            cycle=self.cycle.strip() or None,
            skipped=skipped,
        )
        if self.out_text.value.strip() in ("", self._auto_out):  # offer a folder unless one was typed
            self._auto_out = str(path.parent / f"{path.name}-report")
            self.out_text.value = self._auto_out
        self.written = []
        self.message = ""
        self.report = report
        self.session.report = report
        self._submitted(self, report)  # on_submit callbacks get (widget, report)
        return report

    def write(self, folder: str | Path | None = None) -> list[Path]:
        """Write report.html and report.json into *folder* (default: the folder box)."""
        if self.report is None:
            self.message = "Make the report first."
            return []
        target = Path(folder) if folder is not None else None
        if target is None:
            text = self.out_text.value.strip()
            if not text:
                self.message = "Type a folder to save the report in."
                return []
            target = Path(text).expanduser()
        if target.exists() and not target.is_dir():
            self.message = f"{target} is a file; choose a folder."
            return []
        try:
            paths = write_report(self.report, target, self.tool)
        except OSError as exc:
            self.message = f"The report could not be saved: {exc}"
            return []
        self.written = [str(p) for p in paths]
        self.message = "Saved: " + ", ".join(self.written)
        return paths

    def _render(self, change=None):
        for box, value in ((self.folder_text, self.folder), (self.team_text, self.team),
                           (self.cycle_text, self.cycle)):
            if box.value != value:
                box.value = value
        kind = "ok" if self.message.startswith("Saved") else "warn"
        self.message_html.value = message_html(self.message, kind)
        if change is None or change["name"] == "report":
            if self.report is None:
                self.report_html.value = ""
            else:
                preview = json.dumps(self.report.to_dict(), indent=2, ensure_ascii=False)
                # the printable report and its data, as browser downloads too (a team lead on a shared
                # server cannot open its folders)
                links = (f'<p class="rc-download-row">'
                         f'{download_link_html("report.html", report_document(self.report, self.tool))} '
                         f'{download_link_html("report.json", preview + chr(10))}</p>')
                self.report_html.value = (
                    links
                    + report_html(self.report, self.tool, level=3)
                    + "<details><summary>Show report.json as it will be saved</summary>"
                    f"{pre_html(preview, '20rem')}</details>"
                )
        self.save_button.disabled = self.report is None
