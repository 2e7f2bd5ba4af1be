"""Module activities (sort, explore, form) as data: loading, checking and marking (no widgets)."""

from __future__ import annotations

from pathlib import Path

from ..core.content import ContentError, load_yaml
from ..core.course import course_root, load_outline

__all__ = ["load_activities", "activity", "mark_sort", "activities_path"]


def activities_path(module_id: str, root: Path | None = None) -> Path:
    root = root or course_root()
    return root / load_outline(root).module(module_id).folder / "activities.yml"


def load_activities(path_or_module: str | Path) -> dict[str, dict]:
    """All activities of a module (by module id ``"01"`` or file path), keyed by activity id."""
    if isinstance(path_or_module, str) and len(path_or_module) == 2 and path_or_module.isdigit():
        path = activities_path(path_or_module)
    else:
        path = Path(path_or_module)
    data = load_yaml(path, "activities")
    f = str(path)
    out: dict[str, dict] = {}
    for n, act in enumerate(data["activities"]):
        where = f"activities[{n}]"
        if act["id"] in out:
            raise ContentError(f, f"{where}.id", f"duplicate activity id {act['id']!r}")
        key = {"sort": "items", "explore": "entries", "form": "fields"}[act["type"]]
        ids = [x["id"] for x in act[key]]
        if len(set(ids)) != len(ids):
            raise ContentError(f, f"{where}.{key}", "duplicate id")
        if act["type"] == "sort":
            cats = [c["id"] for c in act["categories"]]
            if len(set(cats)) != len(cats):
                raise ContentError(f, f"{where}.categories", "duplicate category id")
            for k, item in enumerate(act["items"]):
                if item["category"] not in cats:
                    raise ContentError(f, f"{where}.items[{k}].category",
                                       f"{item['category']!r} is not one of the categories {', '.join(cats)}")
        out[act["id"]] = act
    return out


def activity(module_id: str, activity_id: str) -> dict:
    acts = load_activities(module_id)
    if activity_id not in acts:
        raise ContentError(str(activities_path(module_id)), activity_id,
                           f"no activity with this id; the module has {', '.join(acts)}")
    return acts[activity_id]


def mark_sort(act: dict, answers: dict[str, str]) -> dict[str, bool]:
    """Which sort items are placed in the right category. Unanswered items are left out."""
    right = {i["id"]: i["category"] for i in act["items"]}
    unknown = set(answers) - set(right)
    if unknown:
        raise ValueError(f"unknown item(s): {', '.join(sorted(unknown))}")
    return {iid: answers[iid] == right[iid] for iid in right if answers.get(iid)}
