"""The support finder: the needs a learner chooses become recommendations built only from the menu's data
(no widgets).

Each recommendation says why the model fits (citing its own benefits), how often and with whom (its
practicalities, as the guide gives them), how to ask (a short script) and where to read more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.dates import now_iso as _now
from .menu import MODULE, PRACTICALITIES, WHEN_KEYS, WHO_KEYS, Entry, Menu, Need, load_models

__all__ = ["PLAN_KIND", "NO_WHEN", "NO_WHO", "Reason", "Recommendation", "ask_script", "find_support", "save_plan"]

NO_WHEN = "The guide does not say how often. Agree a rhythm that suits you with your manager or supervisor."
NO_WHO = "The guide does not say who provides it or in what group: ask what is available where you work."

PLAN_KIND = "support-plan"


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
    return store.add_record(PLAN_KIND, payload, MODULE)
