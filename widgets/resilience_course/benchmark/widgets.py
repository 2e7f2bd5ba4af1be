"""Widgets for the organisational benchmarking tool: a team member's response, the team report,
the action plan and the comparison of two cycles.

The engine (:mod:`resilience_course.benchmark.model`) does all the checking and counting; these
classes only show it. Paths are typed into text boxes: in Voila, or in JupyterLab on your own
computer, a path means a folder on the computer running the course.
"""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
from traitlets import Any, Dict, HasTraits, Instance, Int, List, TraitError, Unicode, validate

from ..core.html import esc, table
from ..core.store import Store
from ..ui.common import get_store, latest_record, log, message_html
from .model import (
    ANSWERS,
    MAX_COMMENT,
    MIN_GROUP,
    PlanError,
    Report,
    ReportError,
    ResponseError,
    Tool,
    check_action,
    check_label,
    check_response,
    compare,
    comparison_html,
    load_factors,
    load_report,
    plan_csv,
    plan_html,
    read_folder,
    report_html,
    response_bytes,
    response_filename,
    weakest_factors,
    write_bytes,
    write_report,
)

__all__ = [
    "BenchmarkSession",
    "BenchmarkResponse",
    "TeamReport",
    "ActionPlan",
    "CycleComparison",
    "benchmark_overview",
    "benchmark_response",
    "benchmark_team_report",
    "benchmark_action_plan",
    "benchmark_compare",
    "default_folder",
]

RESPONSE_KIND = "benchmark-response"
PLAN_KIND = "benchmark-action-plan"
ROLES = [
    "Team leader",
    "Practice teacher",
    "Clinical lead",
    "Safeguarding lead",
    "Service manager",
    "Practice educator",
    "Wellbeing lead",
    "The whole team",
]
OTHER_ROLE = "__other__"


def default_folder() -> Path:
    """Where files are offered to be saved: the Downloads folder if there is one, else the home folder."""
    home = Path.home()
    return home / "Downloads" if (home / "Downloads").is_dir() else home


def _button(**kwargs) -> widgets.Button:
    """A button wide enough for its whole label."""
    kwargs.setdefault("layout", widgets.Layout(width="max-content"))
    return widgets.Button(**kwargs)


def _pre(text: str, height: str = "16rem") -> str:
    """Text shown exactly as it is (escaped), in a scrolling box."""
    return f'<pre style="white-space:pre-wrap;max-height:{height};overflow:auto">{esc(text)}</pre>'


def _folder(text: str) -> tuple[Path | None, str]:
    """A typed folder path, checked: (path, "") or (None, message)."""
    text = (text or "").strip().strip('"').strip("'")
    if not text:
        return None, "Type the path of a folder first."
    path = Path(text).expanduser()
    if not path.exists():
        return None, (
            f"The folder {text} cannot be found. Check the spelling; a full path is safest, for example "
            "C:\\Users\\you\\Documents\\benchmark or /home/you/benchmark."
        )
    if not path.is_dir():
        return None, f"{text} is a file. Type the folder that holds the files instead."
    return path, ""


class BenchmarkSession(HasTraits):
    """Shares the latest team report between the widgets on one page (report -> action plan)."""

    report = Any(None, allow_none=True, help="The latest team report made on this page")


_SESSION = BenchmarkSession()


def _session(session: BenchmarkSession | None) -> BenchmarkSession:
    return session if session is not None else _SESSION


def benchmark_overview(tool: Tool | None = None) -> widgets.HTML:
    """The seven factors at a glance: poor and best practice, and how many indicators each has."""
    tool = tool or load_factors()
    rows = [
        [f"{f.number}. {f.title}", f.poor_practice, f.best_practice, str(len(f.indicators))]
        for f in tool.factors
    ]
    return widgets.HTML(
        f'<div class="rc-page"><p><strong>Overall outcome:</strong> {esc(tool.outcome)}</p>'
        + table(
            ["Factor", "Poor practice", "Best practice", "Indicators"],
            rows,
            caption=f"The seven factors ({len(tool.indicators)} indicators in all)",
        )
        + f'<div class="rc-note"><p>{esc(tool.introduction)}</p><p>{esc(tool.note)}</p>'
        f'<p class="rc-muted">{esc(tool.citation)}</p></div></div>'
    )


# -- a team member's response ----------------------------------------------------------------------
class BenchmarkResponse(widgets.VBox):
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
        self._callbacks: list = []
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
        self.team_text = widgets.Text(
            description="Team code",
            placeholder="as given by your team lead",
            style={"description_width": "initial"},
        )
        self.cycle_text = widgets.Text(
            description="Cycle", placeholder="for example 2025 spring", style={"description_width": "initial"}
        )
        self.factor_dropdown = widgets.Dropdown(
            options=[(f.label, f.id) for f in t.factors],
            value=t.factors[0].id,
            description="Factor to answer",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.rating_buttons: dict[str, widgets.ToggleButtons] = {}
        self.indicator_buttons: dict[str, widgets.ToggleButtons] = {}
        self.comment_boxes: dict[str, widgets.Textarea] = {}
        self.panels: dict[str, widgets.VBox] = {}
        answer_opts = [(a["label"], a["id"]) for a in t.answers]
        for f in t.factors:
            head = widgets.HTML(
                f'<div class="rc-card"><h4>{esc(f.label)}</h4><p><strong>Poor practice:</strong> '
                f"{esc(f.poor_practice)}</p><p><strong>Best practice:</strong> {esc(f.best_practice)}"
                "</p></div>"
            )
            rb = widgets.ToggleButtons(
                options=[(s["label"], s["value"]) for s in t.scale],
                value=None,
                tooltips=[s.get("description", s["label"]) for s in t.scale],
                style={"button_width": "auto"},
            )
            rb.add_class("rc-options")
            rb.observe(self._control_changed, names="value")
            self.rating_buttons[f.id] = rb
            rows = [
                head,
                widgets.HTML(
                    f'<p class="rc-item-text">Where is your workplace between poor and best '
                    f"practice for {esc(f.title.lower())}?</p>"
                ),
                rb,
                widgets.HTML(f"<h5>Indicators of best practice ({len(f.indicators)})</h5>"),
            ]
            for ind in f.indicators:
                ib = widgets.ToggleButtons(
                    options=answer_opts,
                    value=None,
                    style={"button_width": "auto"},
                    tooltips=[f"{lab}: indicator {ind.id}" for lab, _ in answer_opts],
                )
                ib.add_class("rc-options")
                ib.observe(self._control_changed, names="value")
                self.indicator_buttons[ind.id] = ib
                rows += [widgets.HTML(f'<p class="rc-item-text">{esc(ind.id)}. {esc(ind.text)}</p>'), ib]
            cb = widgets.Textarea(
                description="Comment",
                placeholder="Optional: what would help most? Please do not name anyone, yourself included.",
                style={"description_width": "initial"},
            )
            cb.add_class("rc-textarea")
            cb.observe(self._control_changed, names="value")
            self.comment_boxes[f.id] = cb
            rows.append(cb)
            self.panels[f.id] = widgets.VBox(rows)
        self.factor_dropdown.observe(lambda ch: setattr(self, "factor", ch["new"]), names="value")
        self.team_text.observe(self._control_changed, names="value")
        self.cycle_text.observe(self._control_changed, names="value")
        self.prev_button = _button(description="Previous factor", icon="arrow-left")
        self.prev_button.on_click(lambda _b: self.step(-1))
        self.next_button = _button(description="Next factor", icon="arrow-right")
        self.next_button.on_click(lambda _b: self.step(1))
        self.progress_html = widgets.HTML()
        self.save_button = _button(
            description="Save on this computer",
            icon="save",
            tooltip="Keep your answers so far in your own record",
        )
        self.save_button.on_click(lambda _b: self.save())
        self.preview_button = _button(
            description="Preview the response file",
            button_style="primary",
            tooltip="Show exactly what the file will hold",
        )
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.folder_text = widgets.Text(
            value=str(folder or default_folder()),
            description="Save the file in folder",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="40rem"),
        )
        self.write_button = _button(
            description="Write the file",
            icon="download",
            tooltip="Write the previewed file into the folder above",
        )
        self.write_button.on_click(lambda _b: self.write_file())
        self.new_button = _button(
            description="Start a new response",
            tooltip="Clear the answers and start again with a new response id",
        )
        self.new_button.on_click(lambda _b: self.start_new())
        self.message_html = widgets.HTML()
        self.preview_html = widgets.HTML()
        self.children = [
            widgets.HTML(intro),
            widgets.HBox([self.team_text, self.cycle_text]),
            self.factor_dropdown,
            *self.panels.values(),
            widgets.HBox([self.prev_button, self.next_button]),
            self.progress_html,
            widgets.HBox([self.save_button, self.preview_button, self.new_button]),
            self.message_html,
            self.preview_html,
            self.folder_text,
            self.write_button,
        ]
        self.factor = t.factors[0].id
        self._load_saved()
        if not self.response_id:
            from .model import new_response

            self.response_id = new_response(t)["response_id"]
        self.observe(
            self._render,
            names=[
                "team",
                "cycle",
                "factor",
                "ratings",
                "answers",
                "comments",
                "preview",
                "message",
                "saved_id",
                "written_path",
                "revision",
            ],
        )
        self._render()

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

    def on_submit(self, callback, remove: bool = False):
        """Call ``callback(widget, path)`` after the response file is written."""
        (self._callbacks.remove if remove else self._callbacks.append)(callback)

    # -- actions --------------------------------------------------------------------------------
    def _control_changed(self, change):
        if self._syncing:
            return
        self.team = self.team_text.value
        self.cycle = self.cycle_text.value
        self.ratings = {f: b.value for f, b in self.rating_buttons.items() if b.value is not None}
        self.answers = {i: b.value for i, b in self.indicator_buttons.items() if b.value is not None}
        self.comments = {f: box.value for f, box in self.comment_boxes.items() if box.value.strip()}
        if self.message and not self.message.startswith("Your saved"):
            self.message = ""  # an old message no longer fits the changed answers

    def step(self, by: int) -> None:
        """Show the previous (-1) or next (+1) factor."""
        ids = list(self.tool.factor_ids)
        self.factor = ids[(ids.index(self.factor) + by) % len(ids)]

    def _content(self) -> dict:
        return {
            "team": self.team,
            "cycle": self.cycle,
            "ratings": dict(self.ratings),
            "indicators": dict(self.answers),
            "comments": dict(self.comments),
        }

    def _draft(self) -> dict:
        return {
            "response_id": self.response_id,
            "revision": self.revision,
            **self._content(),
            "written": self._written,
            "written_revision": self._written_revision,
        }

    def save(self) -> str | None:
        """Save the answers so far (complete or not) in the learner's store; returns the store id."""
        try:
            if self.saved_id:
                try:
                    self.store.update_record(self.saved_id, self._draft())
                except Exception:
                    self.saved_id = self.store.add_record(RESPONSE_KIND, self._draft(), "benchmark")
            else:
                self.saved_id = self.store.add_record(RESPONSE_KIND, self._draft(), "benchmark")
        except Exception:
            log.exception("saving a benchmarking response failed")
            self.message = (
                "Your answers could not be saved just now. They are still on screen; please try again."
            )
            return None
        self.message = "Saved on this computer. You can come back and carry on later."
        return self.saved_id

    def _load_saved(self) -> None:
        rec = latest_record(self.store, RESPONSE_KIND)
        if rec is None:
            return
        p = rec.get("payload") or {}
        try:
            t = self.tool
            rid = p.get("response_id", "")
            self.response_id = rid if isinstance(rid, str) and len(rid) == 32 else ""
            self.revision = int(p.get("revision", 1))
            self.team, self.cycle = str(p.get("team", "")), str(p.get("cycle", ""))
            self.ratings = {
                k: v
                for k, v in (p.get("ratings") or {}).items()
                if k in t.factor_ids and v in [s["value"] for s in t.scale]
            }
            self.answers = {
                k: v for k, v in (p.get("indicators") or {}).items() if k in t.indicator_ids and v in ANSWERS
            }
            self.comments = {
                k: v for k, v in (p.get("comments") or {}).items() if k in t.factor_ids and isinstance(v, str)
            }
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
        from .model import new_response

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
        data = {
            "format": "resilience-course-benchmark-response",
            "format_version": 1,
            "tool_version": self.tool.version,
            "response_id": self.response_id,
            "revision": revision,
            "team": team,
            "cycle": cycle,
            **{k: content[k] for k in ("ratings", "indicators", "comments")},
        }
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

    def write_file(self, folder: str | Path | None = None) -> Path | None:
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
        if folder is None:
            path, problem = _folder(self.folder_text.value)
            if path is None:
                self.message = problem
                return None
        else:
            path = Path(folder)
        try:
            written = write_bytes(data, path / response_filename(resp))
        except OSError as exc:
            self.message = f"The file could not be written: {exc}. Your answers are safe on screen."
            return None
        self._written, self._written_revision = self._content(), resp["revision"]
        self.written_path = str(written)
        self.save()
        self.message = (
            f"Written to {written}. Send this file to your team lead in the way your team has agreed "
            "(for example a shared folder)."
        )
        for cb in list(self._callbacks):
            cb(self, written)
        return written

    # -- rendering: one observer ------------------------------------------------------------------
    def _render(self, change=None):
        name = change["name"] if change else None
        if name in self._CONTENT and self.preview:
            self.preview = ""  # an old preview would no longer be what is written
            return
        self._syncing = True
        try:
            if self.team_text.value != self.team:
                self.team_text.value = self.team
            if self.cycle_text.value != self.cycle:
                self.cycle_text.value = self.cycle
            if self.factor_dropdown.value != self.factor:
                self.factor_dropdown.value = self.factor
            for f, b in self.rating_buttons.items():
                if b.value != self.ratings.get(f):
                    b.value = self.ratings.get(f)
            for i, b in self.indicator_buttons.items():
                if b.value != self.answers.get(i):
                    b.value = self.answers.get(i)
            for f, box in self.comment_boxes.items():
                want = self.comments.get(f, "")
                if box.value.strip() != want.strip():
                    box.value = want
        finally:
            self._syncing = False
        for f, panel in self.panels.items():
            panel.layout.display = None if f == self.factor else "none"
        t = self.tool
        rows = []
        for f in t.factors:
            done = sum(1 for i in f.indicators if i.id in self.answers)
            rating = t.rating_label(self.ratings[f.id]) if f.id in self.ratings else "not rated yet"
            rows.append([f.label, rating, f"{done} of {len(f.indicators)}"])
        rated = sum(1 for f in t.factor_ids if f in self.ratings)
        self.progress_html.value = (
            f'<p aria-live="off"><strong>{rated} of {len(t.factors)} factors rated; '
            f"{len(self.answers)} of {len(t.indicators)} indicators answered.</strong></p>"
            "<details><summary>Your progress, factor by factor</summary>"
            + table(["Factor", "Your rating", "Indicators answered"], rows, caption="Progress")
            + "</details>"
        )
        long = [t.factor(f).title for f, c in self.comments.items() if len(c) > MAX_COMMENT]
        msg = self.message
        if long and not msg:
            msg = f"Please shorten your comment on {', '.join(long)} to {MAX_COMMENT} characters or fewer."
        kind = "ok" if msg.startswith(("Saved", "Written", "Your saved", "A new")) else "warn"
        self.message_html.value = message_html(msg, kind)
        if self.preview:
            try:
                name = response_filename(json.loads(self.preview))
            except (ValueError, KeyError):
                name = "response file"
            self.preview_html.value = (
                f'<div class="rc-card" role="region" aria-label="Preview of your response file"><h4>Preview: '
                f"{esc(name)}</h4><p>This is exactly what the file will hold, character for character. "
                "It has no name in it. Check your comments name nobody, then choose Write the file.</p>"
                f"{_pre(self.preview, '24rem')}</div>"
            )
        else:
            self.preview_html.value = ""
        self.write_button.disabled = not self.preview


# -- the team report -------------------------------------------------------------------------------
class TeamReport(widgets.VBox):
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
        self.session = _session(session)
        self._callbacks: list = []
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
        self.make_button = _button(
            description="Make the team report", button_style="primary", icon="table"
        )
        self.make_button.on_click(lambda _b: self.make())
        self.out_text = widgets.Text(
            description="Save the report in folder",
            style=st,
            layout=wide,
            placeholder="a folder for report.html and report.json",
        )
        self.save_button = _button(description="Save the report files", icon="save", disabled=True)
        self.save_button.on_click(lambda _b: self.save())
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
        self.observe(self._render, names=["folder", "team", "cycle", "report", "message", "written"])
        self._render()

    def _typed(self, change):
        self.folder, self.team, self.cycle = (
            self.folder_text.value,
            self.team_text.value,
            self.cycle_text.value,
        )

    def on_submit(self, callback, remove: bool = False):
        """Call ``callback(widget, report)`` after each report is made."""
        (self._callbacks.remove if remove else self._callbacks.append)(callback)

    def make(self) -> Report | None:
        """Read the folder and build the report (shown below the button)."""
        path, problem = _folder(self.folder or self.folder_text.value)
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
        from .model import aggregate

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
        for cb in list(self._callbacks):
            cb(self, report)
        return report

    def save(self, folder: str | Path | None = None) -> list[Path]:
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
                self.report_html.value = (
                    report_html(self.report, self.tool, level=3)
                    + "<details><summary>Show report.json as it will be saved</summary>"
                    f'<pre style="white-space:pre-wrap;max-height:20rem;overflow:auto">'
                    f"{esc(preview)}</pre></details>"
                )
        self.save_button.disabled = self.report is None


# -- the action plan -------------------------------------------------------------------------------
class ActionPlan(widgets.VBox):
    """For the team: pick indicators of the weakest factors to work on, with an owner (a role), a due
    date and a review date; preview and write the plan as CSV and HTML.

    Parameters
    ----------
    tool : Tool, optional
    store : Store, optional
        Where the plan is kept between visits.
    session : BenchmarkSession, optional
        When a team report is made on the same page, its weakest factors are offered first.
    folder : path-like, optional
        The folder first offered for the plan files.
    """

    actions = List(help="The plan: dicts with factor, indicator, action, owner, due, review")
    team = Unicode("", help="Team code shown on the plan")
    cycle = Unicode("", help="Cycle label shown on the plan")
    message = Unicode("", help="A status or error message")
    preview = Dict(
        help="The exact text of the files to be written: {'csv': ..., 'html': ...} (empty until previewed)"
    )
    written = List(help="Paths of the plan files last written")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(
        self,
        tool: Tool | None = None,
        store: Store | None = None,
        session: BenchmarkSession | None = None,
        folder: str | Path | None = None,
        **kwargs,
    ):
        self.tool = tool or load_factors()
        self.session = _session(session)
        self._record_id = ""
        super().__init__(**kwargs)
        self.store = get_store(store)
        self.add_class("rc-benchmark")
        st = {"description_width": "initial"}
        wide = widgets.Layout(width="40rem")
        self.team_text = widgets.Text(description="Team code", style=st)
        self.cycle_text = widgets.Text(description="Cycle", style=st)
        self.factor_dropdown = widgets.Dropdown(
            description="Factor", style=st, layout=widgets.Layout(width="auto")
        )
        self.indicator_dropdown = widgets.Dropdown(description="Indicator", style=st, layout=wide)
        self.indicator_html = widgets.HTML()
        self.action_text = widgets.Textarea(
            description="What will be done",
            style=st,
            placeholder="One clear step, for example: book restorative supervision "
            "training for two supervisors",
        )
        self.action_text.add_class("rc-textarea")
        self.owner_dropdown = widgets.Dropdown(
            description="Owner (a role)",
            style=st,
            options=[*((r, r) for r in ROLES), ("Another role (type it below)", OTHER_ROLE)],
        )
        self.owner_text = widgets.Text(
            description="Other role", placeholder="a role, not a person's name", style=st
        )
        self.due_text = widgets.Text(description="Due date", placeholder="YYYY-MM-DD", style=st)
        self.review_text = widgets.Text(description="Review date", placeholder="YYYY-MM-DD", style=st)
        self.add_button = _button(description="Add to the plan", button_style="primary", icon="plus")
        self.add_button.on_click(lambda _b: self.add())
        self.plan_html = widgets.HTML()
        self.remove_dropdown = widgets.Dropdown(description="Action to remove", style=st)
        self.remove_button = _button(description="Remove it", icon="trash")
        self.remove_button.on_click(lambda _b: self.remove(self.remove_dropdown.value))
        self.preview_button = _button(description="Preview the CSV and HTML files")
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.preview_html = widgets.HTML()
        self.folder_text = widgets.Text(
            value=str(folder or default_folder()),
            description="Save the files in folder",
            style=st,
            layout=wide,
        )
        self.write_button = _button(description="Write the files", icon="download", disabled=True)
        self.write_button.on_click(lambda _b: self.write_files())
        self.message_html = widgets.HTML()
        self.factor_dropdown.observe(lambda _c: self._fill_indicators(), names="value")
        self.indicator_dropdown.observe(lambda _c: self._describe_indicator(), names="value")
        self.team_text.observe(lambda ch: setattr(self, "team", ch["new"]), names="value")
        self.cycle_text.observe(lambda ch: setattr(self, "cycle", ch["new"]), names="value")
        intro = (
            "<h3>Action plan</h3><p>Start with the weakest factors. For each, choose an indicator the team "
            "will work on, say what will be done, who owns it (a role, such as team leader, not a person's "
            "name), when it is due and when you will review it.</p>"
        )
        self.children = [
            widgets.HTML(intro),
            widgets.HBox([self.team_text, self.cycle_text]),
            self.factor_dropdown,
            self.indicator_dropdown,
            self.indicator_html,
            self.action_text,
            self.owner_dropdown,
            self.owner_text,
            widgets.HBox([self.due_text, self.review_text]),
            self.add_button,
            self.message_html,
            self.plan_html,
            widgets.HBox([self.remove_dropdown, self.remove_button]),
            self.preview_button,
            self.preview_html,
            self.folder_text,
            self.write_button,
        ]
        self._load()
        self._report_changed()  # a report already made on this page is used straight away
        self.session.observe(self._report_changed, names="report")
        self.observe(self._render, names=["actions", "team", "cycle", "message", "preview", "written"])
        self._render()

    @validate("actions")
    def _valid_actions(self, proposal):
        try:
            return [check_action(a, self.tool) for a in proposal["value"]]
        except (PlanError, AttributeError) as exc:
            raise TraitError(f"an action is not valid: {exc}") from None

    # -- choices ------------------------------------------------------------------------------------
    def _report(self) -> Report | None:
        r = self.session.report
        return r if isinstance(r, Report) and r.enough else None

    def _fill_factors(self) -> None:
        t = self.tool
        report = self._report()
        order = weakest_factors(report, t, k=0)
        opts = []
        for n, fid in enumerate(order, start=1):
            f = t.factor(fid)
            opts.append((f"{f.label} (weakest {n})" if report and n <= 3 else f.label, fid))
        keep = self.factor_dropdown.value
        self.factor_dropdown.options = opts
        self.factor_dropdown.value = keep if keep in order else order[0]
        self._fill_indicators()

    def _fill_indicators(self) -> None:
        fid = self.factor_dropdown.value
        if not fid:
            return
        inds = self.tool.factor(fid).indicators
        report = self._report()
        if report:
            fr = next(f for f in report.factors if f.id == fid)
            share = {i.id: i.share_in_place for i in fr.indicators}
            inds = sorted(inds, key=lambda i: (share[i.id], i.id))
        self.indicator_dropdown.options = [
            (f"{i.id}: {i.text[:70]}{'...' if len(i.text) > 70 else ''}", i.id) for i in inds
        ]
        self.indicator_dropdown.value = inds[0].id
        self._describe_indicator()

    def _describe_indicator(self) -> None:
        iid = self.indicator_dropdown.value
        if not iid:
            self.indicator_html.value = ""
            return
        ind = self.tool.indicator(iid)
        extra = ""
        report = self._report()
        if report:
            ir = next(i for f in report.factors for i in f.indicators if i.id == iid)
            extra = (
                f' <span class="rc-muted">In the team report: {ir.counts["in_place"]} of {ir.n} said in '
                f"place, {ir.counts['not_in_place']} not in place.</span>"
            )
        self.indicator_html.value = f"<p><strong>{esc(ind.id)}.</strong> {esc(ind.text)}{extra}</p>"

    def _report_changed(self, change=None) -> None:
        report = self._report()
        if report is not None:
            if not self.team:
                self.team = report.team or ""
            if not self.cycle:
                self.cycle = report.cycle or ""
        self._fill_factors()

    # -- actions --------------------------------------------------------------------------------------
    def add(self, **values) -> dict | None:
        """Add the action typed in the form (or given as keyword arguments) to the plan."""
        owner = self.owner_dropdown.value
        if owner == OTHER_ROLE:
            owner = self.owner_text.value
        item = {
            "factor": self.factor_dropdown.value,
            "indicator": self.indicator_dropdown.value,
            "action": self.action_text.value,
            "owner": owner,
            "due": self.due_text.value,
            "review": self.review_text.value,
            **values,
        }
        try:
            clean = check_action(item, self.tool)
        except PlanError as exc:
            self.message = f"Not added yet: {exc}."
            return None
        self.actions = [*self.actions, clean]
        self.action_text.value = ""
        self.message = "Added to the plan."
        self._save()
        return clean

    def remove(self, index) -> None:
        """Remove the action at *index* (0-based)."""
        if index is None or not 0 <= int(index) < len(self.actions):
            self.message = "Choose an action to remove."
            return
        acts = list(self.actions)
        acts.pop(int(index))
        self.actions = acts
        self.message = "Removed from the plan."
        self._save()

    def _plan(self) -> dict:
        return {"team": self.team.strip(), "cycle": self.cycle.strip(), "actions": list(self.actions)}

    def _save(self) -> None:
        try:
            if self._record_id:
                self.store.update_record(self._record_id, self._plan())
            else:
                self._record_id = self.store.add_record(PLAN_KIND, self._plan(), "benchmark")
        except Exception:
            log.exception("saving the action plan failed")
            self.message = "The plan could not be saved just now; it is still on screen."

    def _load(self) -> None:
        rec = latest_record(self.store, PLAN_KIND)
        if rec is None:
            return
        p = rec.get("payload") or {}
        try:
            self.actions = list(p.get("actions") or [])
            self.team, self.cycle = str(p.get("team", "")), str(p.get("cycle", ""))
            self.team_text.value, self.cycle_text.value = self.team, self.cycle
            self._record_id = rec["id"]
        except (TraitError, TypeError):
            log.exception("a saved action plan could not be loaded")
            self.message = (
                "Your saved plan could not be read, so a new one has been started. Nothing was deleted."
            )

    def make_preview(self) -> dict:
        """Show exactly what the CSV and HTML files will hold."""
        if not self.actions:
            self.message = "Add at least one action first."
            self.preview = {}
            return {}
        plan = self._plan()
        self.message = ""
        self.preview = {
            "csv": plan_csv(plan, self.tool).decode("utf-8"),
            "html": plan_html(plan, self.tool).decode("utf-8"),
        }
        return dict(self.preview)

    def _names(self) -> tuple[str, str]:
        from .model import _slug

        stem = f"action-plan-{_slug(self.team or 'team')}-{_slug(self.cycle or 'cycle')}"
        return f"{stem}.csv", f"{stem}.html"

    def write_files(self, folder: str | Path | None = None) -> list[Path]:
        """Write the previewed CSV and HTML (exactly the text shown) into *folder* (default: folder box)."""
        if not self.preview:
            self.message = "Preview the files first, so you can see what they hold."
            return []
        plan = self._plan()
        csv_bytes, html_bytes = self.preview["csv"].encode("utf-8"), self.preview["html"].encode("utf-8")
        if csv_bytes != plan_csv(plan, self.tool) or html_bytes != plan_html(plan, self.tool):
            self.preview = {}
            self.message = "The plan changed after the preview. Preview it again, then write the files."
            return []
        if folder is None:
            path, problem = _folder(self.folder_text.value)
            if path is None:
                self.message = problem
                return []
        else:
            path = Path(folder)
        csv_name, html_name = self._names()
        try:
            paths = [
                write_bytes(csv_bytes, path / csv_name, replace=True),
                write_bytes(html_bytes, path / html_name, replace=True),
            ]
        except OSError as exc:
            self.message = f"The files could not be written: {exc}"
            return []
        self.written = [str(p) for p in paths]
        self.message = "Written: " + ", ".join(self.written)
        return paths

    def _render(self, change=None):
        name = change["name"] if change else None
        if name in ("actions", "team", "cycle") and self.preview:
            self.preview = {}
            return
        if self.team_text.value != self.team:
            self.team_text.value = self.team
        if self.cycle_text.value != self.cycle:
            self.cycle_text.value = self.cycle
        t = self.tool
        if self.actions:
            rows = [
                [
                    str(n),
                    t.factor(a["factor"]).title,
                    a["indicator"],
                    a["action"],
                    a["owner"],
                    a["due"],
                    a["review"],
                ]
                for n, a in enumerate(self.actions, start=1)
            ]
            self.plan_html.value = table(
                ["No.", "Factor", "Indicator", "Action", "Owner (role)", "Due", "Review"],
                rows,
                caption=f"The plan: {len(rows)} action(s)",
            )
        else:
            self.plan_html.value = '<p class="rc-muted">No actions yet.</p>'
        self.remove_dropdown.options = [
            (f"{n}. {a['indicator']}: {a['action'][:50]}", n - 1) for n, a in enumerate(self.actions, start=1)
        ]
        self.remove_button.disabled = not self.actions
        ok = self.message.startswith(("Added", "Written", "Removed"))
        self.message_html.value = message_html(self.message, "ok" if ok else "warn")
        if self.preview:
            csv_name, html_name = self._names()
            self.preview_html.value = (
                '<div class="rc-card" role="region" aria-label="Preview of the plan files"><h4>Preview</h4>'
                "<p>These are exactly the files that will be written. Owners are roles; check no one is "
                "named.</p>"
                f"<h5>{esc(csv_name)}</h5>"
                f"{_pre(self.preview['csv'])}"
                f"<details><summary>{esc(html_name)} (the page's HTML text)</summary>"
                f"{_pre(self.preview['html'])}"
                "</details></div>"
            )
        else:
            self.preview_html.value = ""
        self.write_button.disabled = not self.preview


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
        self.compare_button = _button(description="Compare the two cycles", button_style="primary")
        self.compare_button.on_click(lambda _b: self.run())
        self.earlier_text.observe(lambda ch: setattr(self, "earlier", ch["new"]), names="value")
        self.later_text.observe(lambda ch: setattr(self, "later", ch["new"]), names="value")
        self.message_html = widgets.HTML()
        self.result_html = widgets.HTML()
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


# -- page helpers (one line each in the notebook) -----------------------------------------------------
def benchmark_response(**kwargs) -> BenchmarkResponse:
    """A team member's response form (see :class:`BenchmarkResponse`)."""
    return BenchmarkResponse(**kwargs)


def benchmark_team_report(**kwargs) -> TeamReport:
    """The team lead's report from a folder of response files (see :class:`TeamReport`)."""
    return TeamReport(**kwargs)


def benchmark_action_plan(**kwargs) -> ActionPlan:
    """The team's action plan (see :class:`ActionPlan`)."""
    return ActionPlan(**kwargs)


def benchmark_compare(**kwargs) -> CycleComparison:
    """Two cycles of one team compared (see :class:`CycleComparison`)."""
    return CycleComparison(**kwargs)
