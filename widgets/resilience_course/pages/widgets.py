"""Page furniture generated from ``course/course.yml``: header, footer navigation, home page, tools."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Bool, Instance, Unicode

from ..core.course import Outline, load_outline
from ..core.html import esc
from ..core.store import Store
from ..ui.controls import button
from ..ui.guard import guarded
from ..ui.session import get_store
from ..ui.style import css_html, message_html
from ..ui.submit import Submits

__all__ = ["header", "footer", "SectionFooter", "home", "tool_header", "tool_link"]


def _minutes(n: int) -> str:
    if n < 60:
        return f"about {n} minutes"
    h, m = divmod(n, 60)
    return f"about {h} hour{'s' if h > 1 else ''}" + (f" {m} minutes" if m else "")


def header(section_id: str, outline: Outline | None = None, store: Store | None = None) -> widgets.HTML:
    """The top of a section page: styles, breadcrumb, the title (h1), time, and outcomes on overviews."""
    outline = outline or load_outline()
    sec = outline.section(section_id)
    mod = outline.module(sec.module_id)
    home = outline.link(sec.path, outline.home)
    parts = [css_html(), '<div class="rc-page">',
             f'<nav aria-label="Breadcrumb" class="rc-breadcrumb"><a href="{esc(home)}">Course home</a> &rsaquo; '
             f"Module {mod.number}: {esc(mod.title)}</nav>",
             f"<h1 id=\"rc-content\">{esc(sec.title if not sec.id.endswith('.00') else mod.title)}</h1>"]
    if sec.id.endswith(".00"):
        parts.append(f"<p>{esc(mod.summary)}</p>")
        if mod.audience:
            parts.append(f"<p><strong>Written for:</strong> {esc(mod.audience)}.</p>")
        parts.append(f"<p><strong>Time:</strong> {_minutes(mod.minutes)} in all, in {len(mod.sections)} "
                     "short sections you can take one at a time.</p>")
        parts.append("<h2>By the end of this module you will be able to</h2><ul>")
        parts += [f"<li>{esc(o['text'])}</li>" for o in mod.outcomes]
        parts.append("</ul><h2>Sections</h2><ol>")
        for s in mod.sections:
            if s.exists:
                parts.append(f'<li><a href="{esc(outline.link(sec.path, s.path))}">{esc(s.title)}</a> '
                             f'<span class="rc-muted">({s.minutes} min)</span></li>')
            else:
                parts.append(f'<li>{esc(s.title)} <span class="rc-badge rc-badge-soon">coming soon</span></li>')
        parts.append("</ol>")
    else:
        # counted as the overview counts them ("in 5 short sections"), the overview being the first
        position = next((n for n, s in enumerate(mod.sections, start=1) if s.id == sec.id), 0)
        parts.append(f'<p class="rc-muted">Module {mod.number}, section {position} of '
                     f"{len(mod.sections)} &middot; {_minutes(sec.minutes)}</p>")
    parts.append("</div>")
    return widgets.HTML("".join(parts))


def tool_header(tool_id: str, outline: Outline | None = None) -> widgets.HTML:
    """The top of a course tool page (self-checks, my record, benchmarking...)."""
    outline = outline or load_outline()
    tool = outline.tool(tool_id)
    home = outline.link(tool["path"], outline.home)
    return widgets.HTML(f'{css_html()}<div class="rc-page"><nav aria-label="Breadcrumb" class="rc-breadcrumb">'
                        f'<a href="{esc(home)}">Course home</a> &rsaquo; {esc(tool["title"])}</nav>'
                        f"<h1 id=\"rc-content\">{esc(tool['title'])}</h1><p>{esc(tool['description'])}</p></div>")


def tool_link(tool_id: str, from_section: str, outline: Outline | None = None) -> widgets.HTML:
    """A link from a section page to a course tool, or "coming soon" while the tool's notebook is missing.

    Parameters
    ----------
    tool_id : str
        A tool id from ``tools:`` in ``course/course.yml`` (for example ``"benchmark"``).
    from_section : str
        The section the link appears in (``"06.03"``); the link is relative to its notebook.
    outline : Outline, optional
    """
    outline = outline or load_outline()
    tool = outline.tool(tool_id)
    section = outline.section(from_section)
    title, desc = esc(tool["title"]), esc(tool["description"])
    if (outline.root / tool["path"]).is_file():
        href = esc(outline.link(section.path, tool["path"]))
        body = f'<p><a href="{href}"><strong>Open the {title}</strong></a>: {desc}</p>'
    else:
        body = (f'<p><strong>{title}</strong> <span class="rc-badge rc-badge-soon">coming soon</span></p>'
                f"<p>{desc}</p>")
    return widgets.HTML(f'<div class="rc-page rc-card">{body}</div>')


class SectionFooter(Submits, widgets.VBox):
    """Mark a section complete, and links to the previous and next sections and home.

    Parameters
    ----------
    section_id : str
    outline : Outline, optional
    store : Store, optional
    """

    section_id = Unicode(help="The section this footer belongs to")
    complete = Bool(False, help="Whether the learner has marked the section complete")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, section_id: str, outline: Outline | None = None, store: Store | None = None, **kwargs):
        super().__init__(**kwargs)
        self.outline = outline or load_outline()
        self.store = get_store(store)
        self.section_id = section_id
        self.button = button("", tooltip="Record this section as done in your progress")
        self.button.on_click(lambda _b: self.toggle())
        self.status_html = widgets.HTML()
        self.nav_html = widgets.HTML(self._nav())
        self.children = [self.button, self.status_html, self.nav_html]
        self.complete = self.store.is_complete(section_id)
        self.observe(self._render, names=["complete"])
        self._render()

    def toggle(self) -> None:
        def keep() -> bool:
            if self.complete:
                self.store.mark_incomplete(self.section_id)
            else:
                self.store.mark_complete(self.section_id)
            return True

        def say(text: str) -> None:
            self.status_html.value = message_html(text, "warn")

        if guarded(keep, say, "Your progress could not be saved just now; please try again.",
                   what="saving progress") is None:
            return
        self.complete = not self.complete
        self._submitted(self, self.complete)  # on_submit callbacks get (footer, complete)

    def _nav(self) -> str:
        o = self.outline
        sec = o.section(self.section_id)
        prev, nxt = o.neighbours(self.section_id)
        links = []
        if prev:
            href = esc(o.link(sec.path, prev.path))
            links.append(f'<a href="{href}" rel="prev">&larr; Previous: {esc(prev.title)}</a>')
        links.append(f'<a href="{esc(o.link(sec.path, o.home))}">Course home</a>')
        if nxt:
            label = nxt.title if nxt.module_id == sec.module_id else \
                f"Module {int(nxt.module_id)}: {o.module(nxt.module_id).title}"
            links.append(f'<a href="{esc(o.link(sec.path, nxt.path))}" rel="next">Next: {esc(label)} &rarr;</a>')
        return f'<nav class="rc-nav rc-page" aria-label="Course sections">{"".join(links)}</nav>'

    def _render(self, change=None):
        if self.complete:
            self.button.description = "Completed (select to undo)"
            self.button.button_style = "success"
            self.button.icon = "check"
        else:
            self.button.description = "Mark this section complete"
            self.button.button_style = ""
            self.button.icon = ""
        if change is not None:
            text = "Marked complete. Well done." if self.complete else "Marked as not complete."
            self.status_html.value = message_html(text, "ok")


def footer(section_id: str, outline: Outline | None = None, store: Store | None = None) -> SectionFooter:
    """The bottom of a section page (see :class:`SectionFooter`)."""
    return SectionFooter(section_id, outline, store)


def home(outline: Outline | None = None, store: Store | None = None) -> widgets.HTML:
    """The course home page: modules with links, progress, and course tools."""
    outline = outline or load_outline()
    store = get_store(store)
    done = store.completed()
    me = outline.home
    total = [s for s in outline.sections() if s.exists]
    finished = sum(1 for s in total if s.id in done)
    parts = [css_html(), '<div class="rc-page">', f'<h1 id="rc-content">{esc(outline.title)}</h1>']
    if outline.subtitle:
        parts.append(f'<p class="rc-muted">{esc(outline.subtitle)}</p>')
    if store.notice:
        parts.append(message_html(store.notice, "warn"))
    parts.append(f'<p class="rc-progress"><strong>Your progress:</strong> {finished} of {len(total)} available '
                 "sections complete. Your progress and answers are kept only on this computer.</p>")
    parts.append("<h2>Modules</h2>")
    for m in outline.modules:
        parts.append('<section class="rc-card">')
        title = f"Module {m.number}: {esc(m.title)}"
        if m.available:
            first = m.sections[0]
            n_done, n_all = outline.module_progress(m.id, done)
            badge = ' <span class="rc-badge rc-badge-done">complete</span>' if n_all and n_done == n_all else ""
            parts.append(f'<h3><a href="{esc(outline.link(me, first.path))}">{title}</a>{badge}</h3>')
            parts.append(f"<p>{esc(m.summary)}</p>")
            parts.append(f'<p class="rc-muted">{_minutes(m.minutes)} &middot; {n_done} of {n_all} sections done</p>')
        else:
            parts.append(f'<h3>{title} <span class="rc-badge rc-badge-soon">coming soon</span></h3>')
            parts.append(f"<p>{esc(m.summary)}</p>")
        parts.append("</section>")
    if outline.tools:
        parts.append("<h2>Tools</h2><ul>")
        for t in outline.tools:
            aud = f' <span class="rc-muted">({esc(t["audience"])})</span>' if t.get("audience") else ""
            if (outline.root / t["path"]).is_file():
                parts.append(f'<li><a href="{esc(outline.link(me, t["path"]))}">{esc(t["title"])}</a>{aud}: '
                             f"{esc(t['description'])}</li>")
            else:
                parts.append(f'<li>{esc(t["title"])}{aud}: {esc(t["description"])} '
                             '<span class="rc-badge rc-badge-soon">coming soon</span></li>')
        parts.append("</ul>")
    if outline.citation:
        parts.append(f'<p class="rc-muted">{esc(outline.citation)}</p>')
    parts.append("</div>")
    return widgets.HTML("".join(parts))
