"""Comparing two cycles of one team, each a report.json or a folder of response files."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
from traitlets import Dict, Unicode

from ..ui.controls import button
from ..ui.download import SaveOrDownload
from ..ui.style import message_html
from .comparison import compare, comparison_csv, comparison_document, comparison_html
from .report import ReportError, load_report
from .tool import Tool, load_factors

__all__ = ["CycleComparison"]


# -- comparing two cycles ---------------------------------------------------------------------------
class CycleComparison(widgets.VBox):
    """Compare two cycles of the same team: each a ``report.json`` or a folder of response files.

    Parameters
    ----------
    tool : Tool, optional
    """

    earlier = Unicode("", help="Path of the earlier report.json or response folder")
    later = Unicode("", help="Path of the later report.json or response folder")
    comparison = Dict(help="The latest comparison (see engine.benchmark.compare)")
    message = Unicode("", help="A status or error message")

    def __init__(self, tool: Tool | None = None, **kwargs):
        self.tool = tool or load_factors()
        super().__init__(**kwargs)
        self.add_class("rc-benchmark")
        st = {"description_width": "initial"}
        wide = widgets.Layout(width="40rem")
        self.earlier_text = widgets.Text(
            description="Earlier cycle",
            style=st,
            layout=wide,
            placeholder="a report.json file, or a folder of response files",
        )
        self.later_text = widgets.Text(
            description="Later cycle",
            style=st,
            layout=wide,
            placeholder="a report.json file, or a folder of response files",
        )
        self.team_text = widgets.Text(description="Team code (optional)", style=st)
        self.compare_button = button("Compare the two cycles", button_style="primary")
        self.compare_button.on_click(lambda _b: self.run())
        self.earlier_text.observe(lambda ch: setattr(self, "earlier", ch["new"]), names="value")
        self.later_text.observe(lambda ch: setattr(self, "later", ch["new"]), names="value")
        self.message_html = widgets.HTML()
        self.result_html = widgets.HTML()
        self.save_title = widgets.HTML()
        self.html_file = SaveOrDownload()  # the comparison, to print or forward, and as a spreadsheet
        self.csv_file = SaveOrDownload()
        intro = (
            "<h3>Compare two cycles</h3><p>After the team has worked on its plan, run the tool again and "
            "compare. For each factor you see the change in the median rating, and for each indicator the "
            "change in the share answering in place, marked improved, the same or worse.</p>"
        )
        self.children = [
            widgets.HTML(intro),
            self.earlier_text,
            self.later_text,
            self.team_text,
            self.compare_button,
            self.message_html,
            self.result_html,
            self.save_title,
            self.html_file,
            self.csv_file,
        ]
        self.observe(self._render, names=["comparison", "message"])
        self._render()

    def run(self) -> dict:
        """Load both cycles and compare them; returns the comparison ({} with a message if not possible)."""
        paths = []
        for label, text in (
            ("earlier", self.earlier or self.earlier_text.value),
            ("later", self.later or self.later_text.value),
        ):
            text = (text or "").strip().strip('"').strip("'")
            if not text:
                self.message = f"Type the path of the {label} cycle's report.json or response folder."
                return {}
            path = Path(text).expanduser()
            if not path.exists():
                self.message = f"The {label} cycle's path cannot be found: {text}"
                return {}
            paths.append(path)
        team = self.team_text.value.strip() or None
        try:
            cmp = compare(load_report(paths[0], team), load_report(paths[1], team), self.tool)
        except ReportError as exc:
            self.comparison = {}
            self.message = f"These cannot be compared: {exc}."
            return {}
        self.message = ""
        self.comparison = cmp
        return cmp

    def _render(self, change=None):
        self.message_html.value = message_html(self.message, "warn")
        if change is None or change["name"] == "comparison":
            self.result_html.value = comparison_html(self.comparison, level=3) if self.comparison else ""
            if self.comparison:
                stem = "comparison-" + "".join(ch if ch.isalnum() else "-" for ch in
                                               f"{self.comparison['team']}-{self.comparison['later']}").lower()
                self.save_title.value = "<h4>Save the comparison</h4>"
                self.html_file.offer(f"{stem}.html", comparison_document(self.comparison))
                self.csv_file.offer(f"{stem}.csv", comparison_csv(self.comparison))
            else:
                self.save_title.value = ""
                self.html_file.clear()
                self.csv_file.clear()
