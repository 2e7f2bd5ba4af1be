"""The team's action plan: indicators of the weakest factors, owners (roles), dates; CSV and HTML files."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
from traitlets import Dict, Instance, List, TraitError, Unicode, validate

from ..core.html import esc, table
from ..core.store import Store
from ..ui.controls import button
from ..ui.download import download_link_html
from ..ui.guard import guarded
from ..ui.session import get_store, latest_record, log
from ..ui.style import message_html, pre_html
from .action_plan import PlanError, check_action, plan_csv, plan_html
from .base_widgets import PLAN_KIND, BenchmarkSession, default_folder, session_or_default, typed_folder
from .report import Report, weakest_factors
from .responses import _slug, write_bytes
from .tool import Tool, load_factors

__all__ = ["ActionPlan", "ROLES", "OTHER_ROLE"]

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
        self.session = session_or_default(session)
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
        self.due_text = widgets.Text(description="Due date", placeholder="31/03/2027", style=st)
        self.review_text = widgets.Text(description="Review date", placeholder="30/06/2027", style=st)
        self.add_button = button("Add to the plan", button_style="primary", icon="plus")
        self.add_button.on_click(lambda _b: self.add())
        self.plan_html = widgets.HTML()
        self.remove_dropdown = widgets.Dropdown(description="Action to remove", style=st)
        self.remove_button = button("Remove it", icon="trash")
        self.remove_button.on_click(lambda _b: self.remove(self.remove_dropdown.value))
        self.preview_button = button("Preview the CSV and HTML files")
        self.preview_button.on_click(lambda _b: self.make_preview())
        self.preview_html = widgets.HTML()
        self.folder_text = widgets.Text(
            value=str(folder or default_folder()),
            description="Save the files in folder",
            style=st,
            layout=wide,
        )
        self.write_button = button("Write the files", icon="download", disabled=True)
        self.write_button.on_click(lambda _b: self.write())
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
        ranked_now = report is not None and getattr(self, "_ranked_by", None) is not report
        self._ranked_by = report
        self.factor_dropdown.options = opts
        # a new report puts the weakest factor first and starts there; otherwise keep the learner's choice
        self.factor_dropdown.value = order[0] if ranked_now or keep not in order else keep
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
        def store_it() -> str:
            if self._record_id:
                self.store.update_record(self._record_id, self._plan())
                return self._record_id
            return self.store.add_record(PLAN_KIND, self._plan(), "benchmark")

        rid = guarded(store_it, self, "The plan could not be saved just now; it is still on screen.",
                      what="saving the action plan")
        if rid is not None:
            self._record_id = rid

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
        stem = f"action-plan-{_slug(self.team or 'team')}-{_slug(self.cycle or 'cycle')}"
        return f"{stem}.csv", f"{stem}.html"

    def write(self, folder: str | Path | None = None) -> list[Path]:
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
            path, problem = typed_folder(self.folder_text.value)
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
                f'<p class="rc-download-row">{download_link_html(html_name, self.preview["html"])} '
                f'{download_link_html(csv_name, self.preview["csv"])}</p>'
                f"<h5>{esc(csv_name)}</h5>"
                f"{pre_html(self.preview['csv'])}"
                f"<details><summary>{esc(html_name)} (the page's HTML text)</summary>"
                f"{pre_html(self.preview['html'])}"
                "</details></div>"
            )
        else:
            self.preview_html.value = ""
        self.write_button.disabled = not self.preview
