"""The menu of models of support, the support finder and the After Action Review (no widgets).

* :func:`load_models` reads ``data/models-of-support.yml`` (schema ``models``) and checks what a
  schema cannot: every need points at models, variants and benefits that exist, and every model
  and variant can be reached from at least one need.
* :func:`find_support` turns the needs a learner chooses into recommendations built only from the
  data: why each model fits (citing the model's own benefits), how often and with whom (the
  model's practicalities, as the guide gives them), how to ask (a short script) and resources.
* :func:`menu_figure` draws the framework's picture (compassion at the centre, the models around it
  against a grey night sky) as a PNG with real alt text and a table that compares the models.
* After Action Review: :func:`aar_payload`, :func:`save_aar`, :func:`list_aars`,
  :func:`export_text` (HTML or Markdown, learner text escaped) and :func:`write_export` (the exact
  previewed text, to a private file that never overwrites another).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from ..core.charts import Chart
from ..core.content import ContentError, load_yaml, package_data
from ..core.exports import EXPORT_ENV, export_dir, write_new_file
from ..core.html import esc, paragraphs, table

__all__ = [
    "MODELS_FILE",
    "PRACTICALITIES",
    "AAR_KIND",
    "AAR_MODULE",
    "AAR_QUESTIONS",
    "PLAN_KIND",
    "EXPORT_ENV",
    "Entry",
    "Need",
    "Menu",
    "Recommendation",
    "AARError",
    "load_models",
    "find_support",
    "ask_script",
    "cite",
    "resource_html",
    "practicalities_rows",
    "comparison_rows",
    "menu_figure",
    "aar_payload",
    "save_aar",
    "list_aars",
    "export_text",
    "aar_markdown",
    "aar_html",
    "default_filename",
    "export_dir",
    "write_export",
    "privacy_warnings",
    "save_plan",
]

MODELS_FILE = "models-of-support.yml"

#: The practicalities a model can have, in display order, with their labels.
PRACTICALITIES: tuple[tuple[str, str], ...] = (
    ("frequency", "How often"),
    ("duration", "How long"),
    ("group_size", "Group size"),
    ("who", "Who with"),
    ("facilitation", "Facilitation"),
    ("format", "Format"),
)
WHEN_KEYS = ("frequency", "duration")
WHO_KEYS = ("group_size", "who", "facilitation", "format")
NO_WHEN = "The guide does not say how often. Agree a rhythm that suits you with your manager or supervisor."
NO_WHO = "The guide does not say who provides it or in what group: ask what is available where you work."

AAR_KIND = "after-action-review"
AAR_MODULE = "05"
PLAN_KIND = "support-plan"

#: The four After Action Review questions (iHV, 2015), each with the payload field it fills
#: and a hint written for this course.
AAR_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("expected", "What did you expect to happen?", "Your plan, hopes or worries before it began."),
    (
        "happened",
        "What happened?",
        "The facts as you saw them. Leave out names and anything that could identify a family or colleague.",
    ),
    (
        "difference",
        "What was the difference?",
        "Where did things differ from what you expected, and what might explain it?",
    ),
    (
        "learned",
        "What did you learn?",
        "What will you keep doing, and what will you try differently next time?",
    ),
)
AAR_FIELDS = tuple(q[0] for q in AAR_QUESTIONS)
MAX_TITLE = 200
MAX_ANSWER = 20000
PRIVACY_NOTE = (
    "Keep this record free of anything that could identify a patient, a family or a colleague: "
    "no names, initials, addresses, dates of birth or NHS numbers."
)


# -- the menu ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """A model of support, or a variant of one (for example Schwartz Rounds within interagency groups)."""

    id: str
    name: str
    short: str
    description: str
    benefits: dict
    practicalities: dict
    ask: str
    resources: tuple = ()
    features: tuple = ()
    notes: tuple = ()
    body: str = "star"
    parent: str = ""  # the model id, for a variant
    variants: tuple = ()  # of Entry, for a model

    @property
    def is_variant(self) -> bool:
        return bool(self.parent)


@dataclass(frozen=True)
class Need:
    id: str
    label: str
    situation: str
    context: str
    recommendations: tuple
    signpost: bool = False
    also: str = ""


@dataclass(frozen=True)
class Menu:
    """The whole menu: the centre, the sky, the models and the needs of the support finder."""

    title: str
    source: str
    centre: dict
    sky: dict
    models: tuple
    needs: tuple
    file: str = ""

    def model(self, model_id: str) -> Entry:
        for m in self.models:
            if m.id == model_id:
                return m
        raise KeyError(
            f"no model of support {model_id!r}; the models are {', '.join(m.id for m in self.models)}"
        )

    def entry(self, model_id: str, variant_id: str = "") -> Entry:
        """A model, or one of its variants."""
        m = self.model(model_id)
        if not variant_id:
            return m
        for v in m.variants:
            if v.id == variant_id:
                return v
        raise KeyError(f"model {model_id!r} has no variant {variant_id!r}")

    def need(self, need_id: str) -> Need:
        for n in self.needs:
            if n.id == need_id:
                return n
        raise KeyError(f"no need {need_id!r}; the needs are {', '.join(n.id for n in self.needs)}")

    def entries(self) -> list[Entry]:
        """Every model followed by its variants."""
        return [e for m in self.models for e in (m, *m.variants)]


def _entry(raw: dict, parent: str = "", parent_benefits: dict | None = None) -> Entry:
    variants = tuple(_entry(v, raw["id"], raw["benefits"]) for v in raw.get("variants", ()))
    return Entry(
        id=raw["id"],
        name=raw["name"],
        short=raw["short"],
        description=raw["description"],
        benefits=dict(raw.get("benefits") or parent_benefits or {}),
        practicalities=dict(raw.get("practicalities") or {}),
        ask=raw["ask"],
        resources=tuple(raw.get("resources", ())),
        features=tuple(raw.get("features", ())),
        notes=tuple(raw.get("notes", ())),
        body=raw.get("body", "star"),
        parent=parent,
        variants=variants,
    )


def _check(data: dict, f: str) -> None:
    """Cross-reference checks the schema cannot express."""
    seen: dict[str, str] = {}
    for i, m in enumerate(data["models"]):
        where = f"models[{i}]"
        if m["id"] in seen:
            raise ContentError(f, f"{where}.id", f"duplicate id {m['id']!r} (also used at {seen[m['id']]})")
        seen[m["id"]] = where
        for j, v in enumerate(m.get("variants", ())):
            vwhere = f"{where}.variants[{j}]"
            if v["id"] in seen:
                raise ContentError(
                    f, f"{vwhere}.id", f"duplicate id {v['id']!r} (also used at {seen[v['id']]})"
                )
            seen[v["id"]] = vwhere
    models = {m["id"]: m for m in data["models"]}
    reached: set[tuple[str, str]] = set()
    need_ids: set[str] = set()
    for n, need in enumerate(data["needs"]):
        nwhere = f"needs[{n}]"
        if need["id"] in need_ids:
            raise ContentError(f, f"{nwhere}.id", f"duplicate need id {need['id']!r}")
        need_ids.add(need["id"])
        pairs: set[tuple[str, str]] = set()
        for k, rec in enumerate(need["recommendations"]):
            rwhere = f"{nwhere}.recommendations[{k}]"
            model = models.get(rec["model"])
            if model is None:
                raise ContentError(
                    f,
                    f"{rwhere}.model",
                    f"{rec['model']!r} is not a model in this file; the models are {', '.join(models)}",
                )
            target = model
            if rec.get("variant"):
                variants = {v["id"]: v for v in model.get("variants", ())}
                if rec["variant"] not in variants:
                    have = ", ".join(variants) or "none"
                    raise ContentError(
                        f,
                        f"{rwhere}.variant",
                        f"{rec['variant']!r} is not a variant of model "
                        f"{rec['model']!r} (its variants: {have})",
                    )
                target = variants[rec["variant"]]
            pair = (rec["model"], rec.get("variant", ""))
            if pair in pairs:
                raise ContentError(
                    f, rwhere, f"{'/'.join(p for p in pair if p)} is recommended twice for this need"
                )
            pairs.add(pair)
            benefits = target.get("benefits") or model["benefits"]
            for b in rec["benefits"]:
                if b not in benefits:
                    raise ContentError(
                        f,
                        f"{rwhere}.benefits",
                        f"{b!r} is not a benefit of "
                        f"{'/'.join(p for p in pair if p)} (its benefits: {', '.join(benefits)})",
                    )
            reached.add(pair)
    reached_models = {m for m, _v in reached}
    for i, m in enumerate(data["models"]):
        if m["id"] not in reached_models:
            raise ContentError(
                f,
                f"models[{i}]",
                f"no need leads to model {m['id']!r}: add it to the recommendations of at least one need",
            )
        for j, v in enumerate(m.get("variants", ())):
            if (m["id"], v["id"]) not in reached:
                raise ContentError(
                    f,
                    f"models[{i}].variants[{j}]",
                    f"no need leads to {m['id']}/{v['id']}: add "
                    "it to the recommendations of at least one need",
                )


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Menu:
    data = load_yaml(path, "models")
    _check(data, path)
    models = tuple(_entry(m) for m in data["models"])
    needs = tuple(
        Need(
            n["id"],
            n["label"],
            n["situation"],
            n["context"],
            tuple(n["recommendations"]),
            bool(n.get("signpost", False)),
            n.get("also", ""),
        )
        for n in data["needs"]
    )
    return Menu(data["title"], data["source"], dict(data["centre"]), dict(data["sky"]), models, needs, path)


def load_models(path: str | Path | None = None) -> Menu:
    """Load and check the menu of models of support (default: the one shipped with the course).

    Raises
    ------
    ContentError
        Naming the file, the entry and the reason, for a schema problem or a broken cross-reference.
    """
    path = Path(path) if path else package_data(MODELS_FILE)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise ContentError(str(path), "(file)", "the file does not exist") from None
    return _load(str(path), mtime)


# -- the support finder ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    need_id: str
    need_label: str
    why: str
    benefits: tuple  # the cited benefit texts, from the model's (or variant's) data


@dataclass(frozen=True)
class Recommendation:
    """One model (or variant) recommended for the needs chosen, built only from the data."""

    model_id: str
    variant_id: str
    name: str
    parent_name: str
    short: str
    reasons: tuple  # of Reason
    practicalities: dict
    script: str
    resources: tuple

    @property
    def key(self) -> str:
        return f"{self.model_id}/{self.variant_id}" if self.variant_id else self.model_id

    @property
    def needs(self) -> tuple[str, ...]:
        return tuple(r.need_id for r in self.reasons)

    @property
    def when(self) -> list[tuple[str, str]]:
        """How often and how long, as (label, text), from the model's practicalities."""
        return [
            (lab, self.practicalities[k])
            for k, lab in PRACTICALITIES
            if k in WHEN_KEYS and k in self.practicalities
        ]

    @property
    def with_whom(self) -> list[tuple[str, str]]:
        """Group size, who with, facilitation and format, as (label, text)."""
        return [
            (lab, self.practicalities[k])
            for k, lab in PRACTICALITIES
            if k in WHO_KEYS and k in self.practicalities
        ]


def ask_script(needs: Sequence[Need], entry: Entry) -> str:
    """A short, kind script: what is going on for you (from the needs), then the model's request."""
    opening = " ".join(n.context for n in needs)
    return f"{opening} {entry.ask}".strip()


def find_support(needs: Iterable[str], menu: Menu | None = None) -> list[Recommendation]:
    """The models that fit the chosen needs, those fitting most needs first.

    Raises
    ------
    ValueError
        For a need id the menu does not have.
    """
    menu = menu or load_models()
    chosen = list(dict.fromkeys(needs))
    known = {n.id for n in menu.needs}
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise ValueError(f"Unknown need(s): {', '.join(unknown)}. Choose from: {', '.join(sorted(known))}.")
    order: list[tuple[str, str]] = []
    reasons: dict[tuple[str, str], list[Reason]] = {}
    needs_for: dict[tuple[str, str], list[Need]] = {}
    for nid in chosen:
        need = menu.need(nid)
        for rec in need.recommendations:
            pair = (rec["model"], rec.get("variant", ""))
            entry = menu.entry(*pair)
            if pair not in reasons:
                order.append(pair)
                reasons[pair], needs_for[pair] = [], []
            reasons[pair].append(
                Reason(need.id, need.label, rec["why"], tuple(entry.benefits[b] for b in rec["benefits"]))
            )
            needs_for[pair].append(need)
    out = []
    for pair in sorted(order, key=lambda p: (-len(reasons[p]), order.index(p))):
        entry = menu.entry(*pair)
        parent = menu.model(pair[0])
        resources = tuple(entry.resources) + (tuple(parent.resources) if entry.is_variant else ())
        out.append(
            Recommendation(
                pair[0],
                pair[1],
                entry.name,
                parent.name if entry.is_variant else "",
                entry.short,
                tuple(reasons[pair]),
                dict(entry.practicalities),
                ask_script(needs_for[pair], entry),
                resources,
            )
        )
    return out


def save_plan(store, needs: Sequence[str], recommendations: Sequence[Recommendation]) -> str:
    """Save the needs chosen and the models found to the learner's record (kind ``support-plan``)."""
    payload = {
        "needs": list(needs),
        "models": [{"model": r.model_id, "variant": r.variant_id, "name": r.name} for r in recommendations],
        "created": _now(),
    }
    return store.add_record(PLAN_KIND, payload, AAR_MODULE)


# -- resources and tables -----------------------------------------------------------------------------
def cite(resource: dict) -> str:
    """A resource as one line of plain text: ``Authors (year) Title: subtitle. Where, issue. (note)``."""
    title = resource["title"] + (f": {resource['subtitle']}" if resource.get("subtitle") else "")
    parts = []
    if resource.get("authors"):
        year = f" ({resource['year']})" if resource.get("year") is not None else ""
        parts.append(f"{resource['authors']}{year} {title}.")
    else:
        parts.append(f"{title}" + (f" ({resource['year']})." if resource.get("year") is not None else "."))
    where = ", ".join(x for x in (resource.get("where"), resource.get("issue")) if x)
    if where:
        parts.append(f"{where}.")
    if resource.get("note"):
        parts.append(f"({resource['note']})")
    return " ".join(parts)


def resource_html(resource: dict) -> str:
    """A resource as HTML; a link opens in a new tab and says it is external."""
    text = esc(cite(resource))
    url = resource.get("url")
    if not url:
        return text
    return (
        f'{text} <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(url)}'
        '<span class="rc-muted"> (external link, opens in a new tab)</span></a>'
    )


def practicalities_rows(entry: Entry | Recommendation) -> list[tuple[str, str]]:
    """(label, text) for every practicality the guide gives, in display order."""
    p = entry.practicalities
    return [(lab, p[k]) for k, lab in PRACTICALITIES if k in p]


def _join(p: dict, keys: Sequence[str], empty: str) -> str:
    vals = [p[k] for k in keys if k in p]
    return "; ".join(vals) if vals else empty


def comparison_rows(menu: Menu | None = None) -> list[list[str]]:
    """One row per model and variant: name, drawn as, in brief, how often, group/who/facilitation."""
    menu = menu or load_models()
    rows = []
    for m in menu.models:
        rows.append(
            [
                m.name,
                m.body,
                m.short,
                _join(m.practicalities, WHEN_KEYS, "Not set in the guide"),
                _join(m.practicalities, WHO_KEYS, "Not set in the guide"),
            ]
        )
        for v in m.variants:
            rows.append(
                [
                    f"{v.name} (part of {m.name.lower()})",
                    f"with its group ({m.body})",
                    v.short,
                    _join(v.practicalities, WHEN_KEYS, "Not set in the guide"),
                    _join(v.practicalities, WHO_KEYS, "Not set in the guide"),
                ]
            )
    return rows


# -- the figure ----------------------------------------------------------------------------------------
SKY = "#3b4048"
CENTRE = "#f6c9b5"
STAR = "#ffe27a"
PLANET = "#8ec5e8"
MOON = "#f3f0e0"
LABEL = "#ffffff"


def _draw_body(ax, kind: str, x: float, y: float) -> None:
    from matplotlib.patches import Circle, Ellipse

    if kind == "planet":
        ax.add_patch(
            Ellipse((x, y), 0.26, 0.07, angle=-18, fill=False, edgecolor="#d8e9f5", linewidth=1.6, zorder=4)
        )
        ax.add_patch(Circle((x, y), 0.075, color=PLANET, zorder=3))
    elif kind == "moon":
        ax.add_patch(Circle((x, y), 0.08, color=MOON, zorder=3))
        ax.add_patch(Circle((x + 0.04, y + 0.025), 0.07, color=SKY, zorder=4))
    else:
        ax.scatter([x], [y], marker="*", s=650, color=STAR, edgecolors="#b38f00", linewidths=0.8, zorder=3)


def menu_figure(menu: Menu | None = None) -> Chart:
    """The framework's picture as an accessible figure (PNG, alt text and a comparison table)."""
    import math
    import random

    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    from ..core.charts import _png

    menu = menu or load_models()
    n = len(menu.models)
    with matplotlib.rc_context({"font.size": 11}):
        fig = Figure(figsize=(9, 9), dpi=100, facecolor=SKY)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_facecolor(SKY)
        ax.set_xlim(-1.75, 1.75)
        ax.set_ylim(-1.75, 1.75)
        ax.set_aspect("equal")
        ax.axis("off")
        rng = random.Random(2015)  # the same faint background stars every time
        xs = [rng.uniform(-1.7, 1.7) for _ in range(90)]
        ys = [rng.uniform(-1.7, 1.7) for _ in range(90)]
        ax.scatter(xs, ys, s=[rng.uniform(1, 6) for _ in xs], color="#d9dde3", alpha=0.55, zorder=1)
        ax.add_patch(Circle((0, 0), 0.46, color=CENTRE, alpha=0.25, zorder=2))
        ax.add_patch(Circle((0, 0), 0.37, color=CENTRE, zorder=3))
        ax.text(
            0,
            0,
            menu.centre["name"],
            ha="center",
            va="center",
            fontsize=19,
            fontweight="bold",
            color="#3b1f1a",
            zorder=5,
        )
        for i, m in enumerate(menu.models):
            angle = math.radians(90 - i * 360 / n)
            x, y = 1.0 * math.cos(angle), 1.0 * math.sin(angle)
            ax.plot(
                [0.4 * math.cos(angle), 0.88 * math.cos(angle)],
                [0.4 * math.sin(angle), 0.88 * math.sin(angle)],
                color="#aab2bc",
                linewidth=0.9,
                alpha=0.7,
                zorder=2,
            )
            _draw_body(ax, m.body, x, y)
            lx, ly = 1.2 * math.cos(angle), 1.2 * math.sin(angle)
            ha = "center" if abs(lx) < 0.3 else ("left" if lx > 0 else "right")
            va = "center" if abs(ly) < 0.9 else ("bottom" if ly > 0 else "top")
            ax.text(
                lx,
                ly,
                textwrap.fill(m.name, 17, break_on_hyphens=False, break_long_words=False),
                ha=ha,
                va=va,
                color=LABEL,
                fontsize=13,
                zorder=5,
                linespacing=1.15,
                bbox={"facecolor": SKY, "edgecolor": "none", "pad": 2},
            )
        ax.text(
            -1.72,
            -1.72,
            "The grey night sky: the stresses of practice",
            ha="left",
            va="bottom",
            color="#e4e7eb",
            fontsize=12,
            style="italic",
        )
        png = _png(fig)
    title = "The menu of models of support, with compassion at the centre"
    bodies = "; ".join(f"{m.name} ({m.body})" for m in menu.models)
    alt = (
        f"Illustration: {title}. A grey night sky, scattered with faint stars, stands for the stresses "
        f"of health visiting practice. In the middle is a glowing circle labelled {menu.centre['name']}. "
        f"Around it, each joined to the centre by a thin line, are the {n} models of support drawn as "
        f"stars, moons and planets. Clockwise from the top: {bodies}. The table that follows lists each "
        "model with what it is and its practicalities."
    )
    tbl = table(
        [
            "Model of support",
            "Drawn as",
            "In brief",
            "How often or how long",
            "Group size, who with and facilitation",
        ],
        comparison_rows(menu),
        caption=title,
    )
    return Chart(png, alt, tbl, title)


# -- After Action Review ----------------------------------------------------------------------------
class AARError(ValueError):
    """An After Action Review that cannot be saved, explained in plain words."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _local(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y %H:%M")
    except (TypeError, ValueError):
        return str(stamp)


def aar_payload(
    title: str = "",
    expected: str = "",
    happened: str = "",
    difference: str = "",
    learned: str = "",
    created: str | None = None,
) -> dict:
    """Check and tidy an After Action Review; returns the payload stored in the learner's record.

    Raises
    ------
    AARError
        When all four answers are empty, or a text is too long.
    """
    answers = {"expected": expected, "happened": happened, "difference": difference, "learned": learned}
    answers = {k: (v or "").strip() for k, v in answers.items()}
    if not any(answers.values()):
        raise AARError("There is nothing to save yet: answer at least one of the four questions.")
    for k, q, _hint in AAR_QUESTIONS:
        if len(answers[k]) > MAX_ANSWER:
            raise AARError(f"Your answer to '{q}' is longer than {MAX_ANSWER} characters; please shorten it.")
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE:
        raise AARError(f"The title can be at most {MAX_TITLE} characters.")
    created = created or _now()
    if not title:
        title = f"After Action Review, {_local(created)}"
    return {"title": title, **answers, "created": created}


def save_aar(store, **fields) -> str:
    """Save an After Action Review to the learner's record; returns its id (see :func:`aar_payload`)."""
    return store.add_record(AAR_KIND, aar_payload(**fields), AAR_MODULE)


def list_aars(store) -> list[dict]:
    """The learner's After Action Reviews (store records, oldest first)."""
    return store.records(AAR_KIND, AAR_MODULE)


def _payloads(reviews: Sequence[dict]) -> list[dict]:
    return [r["payload"] if "payload" in r else r for r in reviews]


def _md(text: str) -> str:
    """Learner text made safe for Markdown: HTML characters escaped, no accidental headings."""
    out = []
    for line in str(text or "").splitlines():
        line = esc(line)
        if line.lstrip().startswith("#"):
            line = line.replace("#", "\\#", 1)
        out.append(line)
    return "\n".join(out).strip()


def aar_markdown(reviews: Sequence[dict]) -> str:
    """After Action Reviews as a Markdown document (learner text escaped)."""
    items = _payloads(reviews)
    if not items:
        raise AARError("There is no After Action Review to export yet.")
    lines = ["# My After Action Reviews" if len(items) > 1 else f"# {_md(items[0]['title'])}", ""]
    lines += [
        f"_Exported {_local(_now())} from the course Resilience with Compassion. The four questions "
        "come from the After Action Review model described in iHV (2015)._",
        "",
        f"> {PRIVACY_NOTE}",
        "",
    ]
    for p in items:
        level = "###" if len(items) > 1 else "##"
        if len(items) > 1:
            lines += [f"## {_md(p['title'])}", ""]
        lines += [f"_Written {_local(p.get('created', ''))}_", ""]
        for n, (k, q, _hint) in enumerate(AAR_QUESTIONS, start=1):
            lines += [f"{level} {n}. {q}", "", _md(p.get(k, "")) or "_(left blank)_", ""]
    return "\n".join(lines).rstrip() + "\n"


_HTML_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:44rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.6;color:#1d1d1f}h1{font-size:1.8rem}h2{font-size:1.4rem;"
    "margin-top:2rem}h3{font-size:1.1rem}.note{border-left:4px solid #1b5e7a;background:#f2f8fb;"
    "padding:.5rem 1rem}.muted{color:#4a4a4f}"
)


def aar_html(reviews: Sequence[dict]) -> str:
    """After Action Reviews as a stand-alone, accessible HTML page (every piece of learner text escaped)."""
    items = _payloads(reviews)
    if not items:
        raise AARError("There is no After Action Review to export yet.")
    heading = "My After Action Reviews" if len(items) > 1 else items[0]["title"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(heading)}</title>",
        f"<style>{_HTML_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{esc(heading)}</h1>",
        f'<p class="muted">Exported {esc(_local(_now()))} from the course Resilience with Compassion. '
        "The four questions come from the After Action Review model described in iHV (2015).</p>",
        f'<p class="note">{esc(PRIVACY_NOTE)}</p>',
    ]
    for p in items:
        tag = "h3" if len(items) > 1 else "h2"
        parts.append("<article>")
        if len(items) > 1:
            parts.append(f"<h2>{esc(p['title'])}</h2>")
        parts.append(f'<p class="muted">Written {esc(_local(p.get("created", "")))}</p>')
        for n, (k, q, _hint) in enumerate(AAR_QUESTIONS, start=1):
            body = paragraphs(p.get(k, "")) or "<p><em>(left blank)</em></p>"
            parts.append(f"<section><{tag}>{n}. {esc(q)}</{tag}>{body}</section>")
        parts.append("</article>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def export_text(reviews: Sequence[dict], fmt: str) -> str:
    """The exact text an export will write: ``fmt`` is ``"html"`` or ``"markdown"``."""
    if fmt == "html":
        return aar_html(reviews)
    if fmt == "markdown":
        return aar_markdown(reviews)
    raise ValueError(f"Unknown export format {fmt!r}: choose 'html' or 'markdown'.")


def default_filename(fmt: str, when: datetime | None = None) -> str:
    """A file name with the date and time only (never a title, which might identify someone)."""
    when = when or datetime.now()
    ext = {"html": "html", "markdown": "md"}[fmt]
    return f"after-action-review-{when.strftime('%Y-%m-%d-%H%M')}.{ext}"


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}$")


def write_export(text: str, filename: str, folder: str | Path | None = None) -> Path:
    """Write *text* exactly to a new private file (0600) in *folder*; never overwrites a file.

    If the name is taken, ``-2``, ``-3``... is added before the extension.

    Raises
    ------
    ValueError
        For an unsafe file name (a path, or a name not ending in .html or .md).
    OSError
        When the folder cannot be written.
    """
    filename = (filename or "").strip()
    if not _SAFE_NAME.match(filename) or ".." in filename or not filename.endswith((".html", ".md")):
        raise ValueError(
            "Use a plain file name ending in .html or .md, with letters, numbers, spaces, dots, "
            "dashes or underscores (no folders)."
        )
    return write_new_file(folder, filename, text)


_NHS_NUMBER = re.compile(r"(?<![\d-])(?:\d[ -]?){9}\d(?![\d-])")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b")


_CHECKS: tuple[tuple[re.Pattern, str], ...] = (
    (_NHS_NUMBER, "a 10-digit number that could be an NHS number"),
    (_POSTCODE, "something that looks like a postcode"),
    (_EMAIL, "an email address"),
    (_DATE, "a full date that could be a date of birth"),
)


def privacy_warnings(*texts: str) -> list[str]:
    """Gentle warnings when text looks as if it could identify someone (a safety net, not a guarantee)."""
    joined = "\n".join(t or "" for t in texts)
    return [
        f"Your text contains {message}. Please remove it if it could identify anyone."
        for pattern, message in _CHECKS
        if pattern.search(joined)
    ]
