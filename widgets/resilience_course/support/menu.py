"""The menu of models of support (no widgets).

:func:`load_models` reads ``data/models-of-support.yml`` (schema ``models``) and checks what a schema
cannot: every need points at models, variants and benefits that exist, and every model and variant can
be reached from at least one need. :func:`cite`, :func:`resource_html`, :func:`practicalities_rows` and
:func:`comparison_rows` present what the menu says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.content import ContentError, load_yaml, package_data
from ..core.html import esc

if TYPE_CHECKING:
    from .finder import Recommendation

__all__ = ["MODELS_FILE", "MODULE", "PRACTICALITIES", "WHEN_KEYS", "WHO_KEYS", "Entry", "Need", "Menu",
           "load_models", "cite", "resource_html", "practicalities_rows", "comparison_rows"]

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

#: The course module these tools belong to (their records are filed under it).
MODULE = "05"


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
