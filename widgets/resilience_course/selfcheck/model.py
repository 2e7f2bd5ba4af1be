"""Self-check definitions and scoring (pure functions, no widgets).

A self-check is a short reflective scale written for this course. Its definition is a YAML
file validated against ``schemas/selfcheck.schema.json`` plus the checks below that a schema
cannot express (duplicate ids, bands that overlap or leave gaps, reverse scoring on a scale
with no numeric values, signposting that names unknown items).

An organisation that holds a licence for a published instrument can load its own definition
file from any path with :func:`load_definition`; the course never ships such items.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..core.content import ContentError, load_yaml, package_data, validate

__all__ = [
    "Definition", "Result", "AnswerError", "load_definition", "builtin_definitions",
    "definition_from_dict", "score", "achievable_scores",
]

BUILTIN_DIR = ("selfchecks",)


class AnswerError(ValueError):
    """Answers that cannot be scored. ``missing`` and ``invalid`` list the item ids concerned."""

    def __init__(self, message: str, missing: list[str] | None = None, invalid: list[str] | None = None):
        self.missing = list(missing or [])
        self.invalid = list(invalid or [])
        super().__init__(message)


@dataclass(frozen=True)
class Definition:
    """A validated self-check definition (see the schema for the meaning of each field)."""

    id: str
    title: str
    version: int
    introduction: str
    note: str
    citation: str
    options: tuple[dict, ...]
    items: tuple[dict, ...]
    subscales: tuple[dict, ...]
    method: str
    bands: tuple[dict, ...]
    signposting: dict | None
    instruction: str = ""
    higher_means: str = ""
    decimals: int = 1
    licence: str = ""
    source: str = "<data>"

    @property
    def item_ids(self) -> list[str]:
        return [i["id"] for i in self.items]

    @property
    def values(self) -> list[float | None]:
        return [o.get("value") for o in self.options]

    @property
    def scored(self) -> bool:
        return self.method != "none"

    def item(self, item_id: str) -> dict:
        for i in self.items:
            if i["id"] == item_id:
                return i
        raise KeyError(item_id)

    def label_for(self, value) -> str:
        for o in self.options:
            if o.get("value") == value:
                return o["label"]
        return str(value)

    def subscale_title(self, sid: str) -> str:
        for s in self.subscales:
            if s["id"] == sid:
                return s["title"]
        return sid


@dataclass(frozen=True)
class Result:
    """The outcome of scoring one complete set of answers."""

    definition_id: str
    definition_version: int
    answers: dict
    overall: float | None
    subscales: dict = field(default_factory=dict)
    band: dict | None = None
    signpost: bool = False

    def to_dict(self) -> dict:
        return {
            "overall": self.overall,
            "subscales": dict(self.subscales),
            "band": self.band["label"] if self.band else None,
            "signpost": self.signpost,
        }


def _num(x) -> Fraction:
    return Fraction(str(x)) if isinstance(x, float) else Fraction(x)


def _item_scores(defn: Definition, item_ids: list[str]) -> list[set[Fraction]]:
    values = [_num(v) for v in defn.values]
    lo, hi = min(values), max(values)
    out = []
    for iid in item_ids:
        rev = defn.item(iid).get("reverse", False)
        out.append({(lo + hi - v) if rev else v for v in values})
    return out


def achievable_scores(defn: Definition, item_ids: list[str] | None = None) -> set[Fraction]:
    """Every score the overall (or a subscale) can take, computed exactly."""
    item_ids = item_ids if item_ids is not None else defn.item_ids
    sums = {Fraction(0)}
    for options in _item_scores(defn, item_ids):
        sums = {s + v for s in sums for v in options}
    if defn.method == "mean":
        return {s / len(item_ids) for s in sums}
    return sums


def _check(defn: Definition) -> None:
    f = defn.source
    seen: set[str] = set()
    for n, item in enumerate(defn.items):
        if item["id"] in seen:
            raise ContentError(f, f"items[{n}].id", f"duplicate item id {item['id']!r}")
        seen.add(item["id"])
    labels = [o["label"] for o in defn.options]
    if len(set(labels)) != len(labels):
        raise ContentError(f, "response_options", "two response options have the same label")
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in defn.values)
    if defn.scored and not numeric:
        raise ContentError(f, "scoring.method",
                           f"method {defn.method!r} needs a numeric value for every response option")
    if numeric and len(set(defn.values)) != len(defn.values):
        raise ContentError(f, "response_options", "two response options have the same value")
    for n, item in enumerate(defn.items):
        if item.get("reverse") and not numeric:
            raise ContentError(f, f"items[{n}].reverse",
                               "reverse scoring needs numeric response values, and this scale has none")
    sub_ids = [s["id"] for s in defn.subscales]
    if len(set(sub_ids)) != len(sub_ids):
        raise ContentError(f, "subscales", "duplicate subscale id")
    for n, item in enumerate(defn.items):
        sub = item.get("subscale")
        if sub is not None and sub not in sub_ids:
            raise ContentError(f, f"items[{n}].subscale", f"unknown subscale {sub!r}; declare it under 'subscales'")
    for n, s in enumerate(defn.subscales):
        if not any(i.get("subscale") == s["id"] for i in defn.items):
            raise ContentError(f, f"subscales[{n}]", f"subscale {s['id']!r} has no items")
    if defn.bands and not defn.scored:
        raise ContentError(f, "bands", "bands need a scored scale (method 'sum' or 'mean')")
    if defn.scored and not defn.bands:
        raise ContentError(f, "bands", "a scored scale needs bands with an interpretation")
    if defn.bands:
        bands = list(defn.bands)
        for n, b in enumerate(bands):
            if b["min"] > b["max"]:
                raise ContentError(f, f"bands[{n}]", f"min {b['min']} is above max {b['max']}")
        order = sorted(range(len(bands)), key=lambda k: bands[k]["min"])
        for a, b in zip(order, order[1:]):
            if bands[b]["min"] <= bands[a]["max"]:
                raise ContentError(f, f"bands[{b}]", f"band {bands[b]['label']!r} overlaps band {bands[a]['label']!r}")
        scores = achievable_scores(defn)
        for s in sorted(scores):
            if not any(_num(b["min"]) <= s <= _num(b["max"]) for b in bands):
                below = [bands[k] for k in order if _num(bands[k]["max"]) < s]
                where = f"after band {below[-1]['label']!r}" if below else "before the first band"
                raise ContentError(f, "bands", f"gap: a score of {float(s):g} falls in no band ({where})")
    if defn.signposting:
        for n, cond in enumerate(defn.signposting["when_any"]):
            if "score" in cond:
                if not defn.scored:
                    raise ContentError(f, f"signposting.when_any[{n}]", "a score rule needs a scored scale")
                if cond["score"] != "overall" and cond["score"] not in sub_ids:
                    raise ContentError(f, f"signposting.when_any[{n}].score", f"unknown score {cond['score']!r}")
            for iid in cond.get("items", []):
                if iid not in seen:
                    raise ContentError(f, f"signposting.when_any[{n}].items", f"unknown item {iid!r}")
                if not numeric:
                    raise ContentError(f, f"signposting.when_any[{n}]", "an item rule needs numeric response values")


def definition_from_dict(data: Mapping[str, Any], source: str = "<data>") -> Definition:
    """Validate a parsed definition and return a :class:`Definition`."""
    validate(data, "selfcheck", source)
    scoring = data["scoring"]
    defn = Definition(
        id=data["id"], title=data["title"], version=data["version"], introduction=data["introduction"],
        note=data["note"], citation=data["citation"], options=tuple(data["response_options"]),
        items=tuple(data["items"]), subscales=tuple(data.get("subscales", ())), method=scoring["method"],
        bands=tuple(data.get("bands", ())), signposting=data.get("signposting"),
        instruction=data.get("instruction", ""), higher_means=scoring.get("higher_means", ""),
        decimals=scoring.get("decimals", 1), licence=data.get("licence", ""), source=source,
    )
    _check(defn)
    return defn


def builtin_definitions() -> dict[str, Path]:
    """The self-checks shipped with the course, by id."""
    folder = package_data(*BUILTIN_DIR)
    return {p.stem: p for p in sorted(folder.glob("*.yml"))}


def load_definition(path_or_id: str | Path) -> Definition:
    """Load a self-check by built-in id (``"sharenow"``) or from a YAML file at any path.

    Raises
    ------
    ContentError
        Naming the file, the entry and the reason when the definition is not usable.
    """
    builtins = builtin_definitions()
    if isinstance(path_or_id, str) and path_or_id in builtins:
        path = builtins[path_or_id]
    else:
        path = Path(path_or_id)
        if not path.exists() and not str(path_or_id).endswith((".yml", ".yaml")):
            raise ContentError(str(path_or_id), "(file)",
                               f"no built-in self-check has this id; built-ins are {', '.join(builtins)}")
    data = load_yaml(path, "selfcheck")
    defn = definition_from_dict(data, str(path))
    return defn


def _round(x: Fraction, decimals: int) -> float:
    return round(float(x), decimals)


def score(defn: Definition, answers: Mapping[str, Any]) -> Result:
    """Score one set of answers.

    Parameters
    ----------
    defn : Definition
    answers : mapping of item id to the chosen option's value
        (or label, for a scale with no numeric values).

    Raises
    ------
    AnswerError
        When an item is unanswered, an answer is not one of the options, or an item id is unknown.
        The message names the items.
    """
    allowed = set(defn.values) if defn.scored else {o["label"] for o in defn.options} | set(defn.values)
    unknown = sorted(set(answers) - set(defn.item_ids))
    if unknown:
        raise AnswerError(f"These answers are for items this self-check does not have: {', '.join(unknown)}.",
                          invalid=unknown)
    missing = [i for i in defn.item_ids if answers.get(i) is None]
    invalid = [i for i in defn.item_ids if answers.get(i) is not None
               and (isinstance(answers[i], bool) or answers[i] not in allowed)]
    if invalid:
        raise AnswerError("These answers are not one of the choices offered: "
                          + ", ".join(invalid) + ".", missing=missing, invalid=invalid)
    if missing:
        numbers = [str(defn.item_ids.index(i) + 1) for i in missing]
        raise AnswerError(f"Please answer question{'s' if len(missing) > 1 else ''} {', '.join(numbers)} "
                          "before you see your result.", missing=missing)
    clean = {i: answers[i] for i in defn.item_ids}
    if not defn.scored:
        return Result(defn.id, defn.version, clean, None)
    values = [_num(v) for v in defn.values]
    lo, hi = min(values), max(values)

    def item_score(iid):
        v = _num(clean[iid])
        return (lo + hi - v) if defn.item(iid).get("reverse") else v

    def combine(ids):
        total = sum((item_score(i) for i in ids), Fraction(0))
        return total / len(ids) if defn.method == "mean" else total

    overall_exact = combine(defn.item_ids)
    subs = {s["id"]: _round(combine([i["id"] for i in defn.items if i.get("subscale") == s["id"]]), defn.decimals)
            for s in defn.subscales}
    band = next((b for b in defn.bands if _num(b["min"]) <= overall_exact <= _num(b["max"])), None)
    sub_exact = {s["id"]: combine([i["id"] for i in defn.items if i.get("subscale") == s["id"]])
                 for s in defn.subscales}
    signpost = False
    if defn.signposting:
        for cond in defn.signposting["when_any"]:
            if "score" in cond:
                vals = [overall_exact if cond["score"] == "overall" else sub_exact[cond["score"]]]
            else:
                vals = [_num(clean[i]) for i in cond["items"]]
            for v in vals:
                low_ok = "at_least" not in cond or v >= _num(cond["at_least"])
                high_ok = "at_most" not in cond or v <= _num(cond["at_most"])
                if low_ok and high_ok:
                    signpost = True
    return Result(defn.id, defn.version, clean, _round(overall_exact, defn.decimals), subs, band, signpost)
