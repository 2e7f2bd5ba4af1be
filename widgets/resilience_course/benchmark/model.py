"""The organisational benchmarking tool (iHV, 2015, Appendix 2) as a working tool: no widgets here.

* **Factors** (``data/benchmark-factors.yml``, schema ``benchmark``): seven factors, each from poor
  to best practice, with lettered indicators (60 in all). :func:`load_factors` checks numbering,
  letters and counts.
* **Responses**: one team member rates each factor on the tool's scale and answers each indicator
  (in place, partly, not in place, don't know), with optional comments. A response file carries a
  team code, a cycle label, a random response id, a revision number and a format version, and
  never a name. :func:`response_bytes` gives the exact bytes that are previewed and written.
* **Team report**: :func:`aggregate` reads any pile of files and never crashes on a bad one: each
  file that cannot be used is listed with its reason and skipped. Nothing at all is reported for
  fewer than :data:`MIN_GROUP` valid responses.
* **Action plan** (CSV and HTML) and **cycle comparison** (change per factor and per indicator).

Nothing here sends data anywhere.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import secrets
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..core.content import ContentError, load_yaml, package_data
from ..core.exports import write_atomic
from ..core.html import esc, table
from ..core.privacy import MIN_GROUP  # no result of any kind is shown for fewer valid responses
from ..core.responses import ResponseFileError, Skipped, keep_one_per_id, parse_json
from ..core.responses import read_folder as read_response_folder

__all__ = [
    "MIN_GROUP",
    "FORMAT",
    "FORMAT_VERSION",
    "REPORT_FORMAT",
    "ANSWERS",
    "MAX_FILE_BYTES",
    "MAX_COMMENT",
    "Tool",
    "Factor",
    "Indicator",
    "load_factors",
    "ResponseError",
    "new_response",
    "check_label",
    "check_response",
    "response_bytes",
    "response_filename",
    "write_bytes",
    "read_response",
    "read_folder",
    "Skipped",
    "IndicatorResult",
    "FactorResult",
    "Report",
    "aggregate",
    "aggregate_folder",
    "report_html",
    "report_document",
    "write_report",
    "load_report",
    "PlanError",
    "check_action",
    "plan_csv",
    "plan_html",
    "compare",
    "comparison_html",
    "weakest_factors",
]

FORMAT = "resilience-course-benchmark-response"
FORMAT_VERSION = 1
REPORT_FORMAT = "resilience-course-benchmark-report"
REPORT_FORMAT_VERSION = 1
MAX_FILE_BYTES = 256 * 1024
MAX_COMMENT = 1000
MAX_REVISION = 100_000
ANSWERS = ("in_place", "partly", "not_in_place", "dont_know")
#: The number of indicators each factor has in the source (factors 1 to 7).
EXPECTED_INDICATORS = (11, 9, 6, 7, 9, 9, 9)
RESPONSE_KEYS = {
    "format",
    "format_version",
    "tool_version",
    "response_id",
    "revision",
    "team",
    "cycle",
    "ratings",
    "indicators",
    "comments",
}
_LABEL_RE = {
    "team": re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}"),
    "cycle": re.compile(r"[A-Za-z0-9][A-Za-z0-9 _./-]{0,39}"),
}
_ID_RE = re.compile(r"[0-9a-f]{32}")


# -- the factors ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Indicator:
    id: str  # factor number + letter, e.g. "5e"
    factor_id: str
    letter: str
    text: str


@dataclass(frozen=True)
class Factor:
    number: int
    id: str
    title: str
    poor_practice: str
    best_practice: str
    indicators: tuple[Indicator, ...]

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class Tool:
    """The loaded benchmarking tool: factors, indicators, the rating scale and the indicator answers."""

    id: str
    version: int
    title: str
    outcome: str
    introduction: str
    note: str
    citation: str
    scale: tuple[dict, ...]
    answers: tuple[dict, ...]
    factors: tuple[Factor, ...]

    # computed once per loaded tool (the dataclass is frozen, so these never go stale)
    @cached_property
    def factor_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.factors)

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for f in self.factors for i in f.indicators)

    @cached_property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    @cached_property
    def indicator_set(self) -> frozenset[str]:
        return frozenset(self.indicator_ids)

    @property
    def scale_min(self) -> int:
        return self.scale[0]["value"]

    @property
    def scale_max(self) -> int:
        return self.scale[-1]["value"]

    def factor(self, factor_id: str) -> Factor:
        for f in self.factors:
            if f.id == factor_id:
                return f
        raise KeyError(f"no factor {factor_id!r}")

    def indicator(self, indicator_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(f"no indicator {indicator_id!r}")

    def rating_label(self, value) -> str:
        for s in self.scale:
            if s["value"] == value:
                return s["label"]
        return f"{value:g}" if isinstance(value, (int, float)) else str(value)

    def answer_label(self, answer_id: str) -> str:
        return next((a["label"] for a in self.answers if a["id"] == answer_id), answer_id)


def _build_tool(data: dict, file: str) -> Tool:
    factors = data["factors"]
    if len(factors) != len(EXPECTED_INDICATORS):
        raise ContentError(
            file, "factors", f"the tool has {len(EXPECTED_INDICATORS)} factors; found {len(factors)}"
        )
    seen: set[str] = set()
    built = []
    for n, f in enumerate(factors):
        where = f"factors[{n}]"
        if f["number"] != n + 1:
            raise ContentError(
                file,
                f"{where}.number",
                f"factors are numbered in order: expected {n + 1}, found {f['number']}",
            )
        if f["id"] in seen:
            raise ContentError(file, f"{where}.id", f"duplicate factor id {f['id']!r}")
        seen.add(f["id"])
        inds = []
        for k, ind in enumerate(f["indicators"]):
            expected = "abcdefghijklmnopqrstuvwxyz"[k] if k < 26 else "?"
            if ind["letter"] != expected:
                raise ContentError(
                    file,
                    f"{where}.indicators[{k}].letter",
                    f"letters run a, b, c... in order: expected {expected!r}, found {ind['letter']!r}",
                )
            inds.append(
                Indicator(f"{f['number']}{ind['letter']}", f["id"], ind["letter"], ind["text"].strip())
            )
        if len(inds) != EXPECTED_INDICATORS[n]:
            raise ContentError(
                file,
                f"{where}.indicators",
                f"factor {n + 1} has {EXPECTED_INDICATORS[n]} indicators in the source; found {len(inds)}",
            )
        built.append(
            Factor(
                f["number"],
                f["id"],
                f["title"],
                f["poor_practice"].strip(),
                f["best_practice"].strip(),
                tuple(inds),
            )
        )
    total = sum(len(f.indicators) for f in built)
    if total != sum(EXPECTED_INDICATORS):
        raise ContentError(
            file, "factors", f"expected {sum(EXPECTED_INDICATORS)} indicators in all; found {total}"
        )
    values = [s["value"] for s in data["rating_scale"]]
    if values != list(range(1, len(values) + 1)):
        raise ContentError(
            file, "rating_scale", "values must run 1, 2, 3... in order, from poor to best practice"
        )
    answer_ids = [a["id"] for a in data["indicator_answers"]]
    if sorted(answer_ids) != sorted(ANSWERS):
        raise ContentError(file, "indicator_answers", f"the answers must be exactly {', '.join(ANSWERS)}")
    answers = tuple(sorted(data["indicator_answers"], key=lambda a: ANSWERS.index(a["id"])))
    return Tool(
        data["id"],
        data["version"],
        data["title"],
        data["outcome"].strip(),
        data["introduction"].strip(),
        data["note"].strip(),
        data["citation"].strip(),
        tuple(data["rating_scale"]),
        answers,
        tuple(built),
    )


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Tool:
    return _build_tool(load_yaml(path, "benchmark"), path)


def load_factors(path: str | Path | None = None) -> Tool:
    """Load and check the benchmarking tool (default: the one shipped with the course).

    Raises
    ------
    ContentError
        When the file does not match the schema, or the factors, letters or counts are wrong.
    """
    path = Path(path) if path else package_data("benchmark-factors.yml")
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _load_cached(str(path), mtime)


# -- responses ----------------------------------------------------------------------------------
class ResponseError(ValueError):
    """A response (or a response file) that cannot be used; ``str(exc)`` is the reason in plain words."""


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_label(value: Any, kind: str) -> str:
    """Check a team code (``kind="team"``) or cycle label (``"cycle"``); return it tidied.

    Letters, digits, spaces and ``_ . -`` (cycles also ``/``), 1 to 40 characters, starting with a
    letter or digit. Labels are compared without regard to case or repeated spaces.
    """
    if not isinstance(value, str):
        raise ResponseError(f"the {kind} should be text, not {type(value).__name__}")
    tidy = " ".join(value.split())
    if not tidy:
        raise ResponseError(f"the {kind} is empty" if kind == "team" else f"the {kind} label is empty")
    if not _LABEL_RE[kind].fullmatch(tidy):
        extra = " and /" if kind == "cycle" else ""
        raise ResponseError(
            f"the {kind} {_short(tidy)} should be 1 to 40 letters, digits, spaces, _ . -{extra}, "
            "starting with a letter or digit"
        )
    return tidy


@lru_cache(maxsize=4096)
def _norm(label: str) -> str:
    return " ".join(label.split()).casefold()


def new_response(tool: Tool, team: str = "", cycle: str = "") -> dict:
    """An empty response with a fresh random id (team and cycle are checked when the file is made)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": tool.version,
        "response_id": secrets.token_hex(16),
        "revision": 1,
        "team": team,
        "cycle": cycle,
        "ratings": {},
        "indicators": {},
        "comments": {},
    }


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_response(data: Any, tool: Tool | None = None) -> dict:
    """Check a response (as read from a file, or built by the form) and return a tidy copy.

    Raises
    ------
    ResponseError
        With the first reason the response cannot be used.
    """
    tool = tool or load_factors()
    if not isinstance(data, dict):
        raise ResponseError(f"not a response: the file holds a JSON {type(data).__name__}, not an object")
    fmt = data.get("format")
    if fmt == REPORT_FORMAT:
        raise ResponseError("this is a team report, not a team member's response")
    if fmt != FORMAT:
        raise ResponseError(f"not a benchmarking response file ('format' should be {FORMAT!r})")
    version = data.get("format_version")
    if not _is_int(version):
        raise ResponseError("the format version is missing or is not a whole number")
    if version != FORMAT_VERSION:
        raise ResponseError(
            f"written in response format version {_short(version)}; this course reads version "
            f"{FORMAT_VERSION}"
        )
    tool_version = data.get("tool_version")
    if not _is_int(tool_version) or tool_version != tool.version:
        raise ResponseError(
            f"answered against version {_short(tool_version)} of the tool; this report uses "
            f"version {tool.version}"
        )
    unknown = set(data) - RESPONSE_KEYS
    if unknown:
        raise ResponseError(f"unknown field(s) {', '.join(sorted(_short(k, 30) for k in unknown))}")
    rid = data.get("response_id")
    if not isinstance(rid, str) or not _ID_RE.fullmatch(rid):
        raise ResponseError("the response id is missing or is not 32 lower-case hexadecimal characters")
    revision = data.get("revision")
    if not _is_int(revision) or not 1 <= revision <= MAX_REVISION:
        raise ResponseError(f"the revision should be a whole number from 1 to {MAX_REVISION}")
    team = check_label(data.get("team"), "team")
    cycle = check_label(data.get("cycle"), "cycle")
    ratings = data.get("ratings")
    if not isinstance(ratings, dict):
        raise ResponseError("'ratings' should be an object of factor id -> rating")
    ids = tool.factor_ids
    unknown = set(ratings) - set(ids)
    if unknown:
        raise ResponseError(
            f"unknown factor id(s) in the ratings: {', '.join(sorted(_short(k) for k in unknown))}"
        )
    missing = [f for f in ids if f not in ratings]
    if missing:
        raise ResponseError(f"not every factor is rated (missing: {', '.join(missing)})")
    lo, hi = tool.scale_min, tool.scale_max
    for fid in ids:
        value = ratings[fid]
        if not _is_int(value) or not lo <= value <= hi:
            raise ResponseError(
                f"the rating for {fid} is {_short(value)}; ratings are whole numbers from {lo} to {hi}"
            )
    indicators = data.get("indicators")
    if not isinstance(indicators, dict):
        raise ResponseError("'indicators' should be an object of indicator id -> answer")
    known = tool.indicator_set
    if not indicators.keys() <= known:
        bad = sorted(_short(k) for k in set(indicators) - known)
        raise ResponseError(f"unknown indicator id(s): {', '.join(bad[:5])}{' ...' if len(bad) > 5 else ''}")
    try:
        values = set(indicators.values())
    except TypeError:  # a list or an object where an answer should be
        raise ResponseError(f"an indicator answer is not one of {', '.join(ANSWERS)}") from None
    if not values <= _ANSWER_SET:
        bad = sorted(_short(v) for v in values - _ANSWER_SET)
        raise ResponseError(f"unknown indicator answer(s) {', '.join(bad[:5])}; answers are {', '.join(ANSWERS)}")
    comments = data.get("comments", {})
    if not isinstance(comments, dict):
        raise ResponseError("'comments' should be an object of factor id -> text")
    clean_comments = {}
    for key, text in comments.items():
        if key not in ids:
            raise ResponseError(f"a comment is filed under an unknown factor id {_short(key)}")
        if not isinstance(text, str):
            raise ResponseError(f"the comment on {key} should be text")
        if len(text) > MAX_COMMENT:
            raise ResponseError(f"the comment on {key} is longer than {MAX_COMMENT} characters")
        if text.strip():
            clean_comments[key] = text.strip()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": tool.version,
        "response_id": rid,
        "revision": revision,
        "team": team,
        "cycle": cycle,
        "ratings": {f: ratings[f] for f in ids},
        "indicators": dict(indicators),
        "comments": clean_comments,
    }


_ANSWER_SET = frozenset(ANSWERS)


def response_bytes(response: dict) -> bytes:
    """The exact bytes of a response file: what the learner previews is what is written."""
    return (json.dumps(response, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).casefold()).strip("-") or "x"


def response_filename(response: dict) -> str:
    """A file name that says what the file is, without saying who wrote it."""
    return (
        f"benchmark-{_slug(response['team'])}-{_slug(response['cycle'])}-"
        f"{response['response_id'][:8]}-r{response['revision']}.json"
    )


def write_bytes(data: bytes, path: str | Path, replace: bool = False) -> Path:
    """Write *data* to *path* exactly and atomically, mode 0600 (see :func:`~..core.exports.write_atomic`).

    A file already at *path* is replaced only when ``replace`` is true or it holds exactly these bytes.
    """
    return write_atomic(path, data, replace=replace)


def read_response(name: str, raw: bytes, tool: Tool | None = None) -> dict:
    """Read one response file's bytes; raise :class:`ResponseError` with the reason it cannot be used."""
    try:
        data = parse_json(raw, MAX_FILE_BYTES, file=name)
    except ResponseFileError as exc:
        raise ResponseError(str(exc)) from None
    return check_response(data, tool)


def read_folder(folder: str | Path) -> tuple[list[tuple[str, bytes]], list[Skipped]]:
    """The ``.json`` files in *folder* (not its sub-folders) as (name, bytes), and files that were skipped.

    Raises
    ------
    FileNotFoundError, NotADirectoryError, PermissionError
        When the folder itself cannot be used.
    """
    return read_response_folder(folder, MAX_FILE_BYTES)


# -- the team report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorResult:
    id: str
    factor_id: str
    text: str
    counts: dict  # answer id (and "no_answer") -> number of responses
    n: int

    @property
    def share_in_place(self) -> float:
        return self.counts["in_place"] / self.n

    @property
    def share_not_in_place(self) -> float:
        return self.counts["not_in_place"] / self.n


@dataclass(frozen=True)
class FactorResult:
    id: str
    number: int
    title: str
    n: int
    median: float
    q1: float
    q3: float
    low: int
    high: int
    rating_counts: dict  # rating value -> number of responses
    indicators: tuple[IndicatorResult, ...]
    comments: tuple[str, ...]

    @property
    def share_in_place(self) -> float:
        """In-place answers over every (response, indicator) pair of this factor."""
        total = sum(i.counts["in_place"] for i in self.indicators)
        return total / (self.n * len(self.indicators))


@dataclass
class Report:
    """A team's report for one cycle. ``factors`` is empty (nothing is revealed) below :data:`MIN_GROUP`."""

    tool_version: int
    team: str | None
    cycle: str | None
    n_valid: int
    skipped: list[Skipped]
    factors: list[FactorResult] = field(default_factory=list)
    threshold: int = MIN_GROUP

    @property
    def enough(self) -> bool:
        return self.n_valid >= self.threshold

    @property
    def needed(self) -> int:
        """How many more valid responses are needed before results can be shown."""
        return max(0, self.threshold - self.n_valid)

    def ranking(self) -> list[FactorResult]:
        """Factors weakest first: lowest median, then lowest share in place, then factor number."""
        return sorted(self.factors, key=lambda f: (f.median, f.share_in_place, f.number))

    def most_missing(self, limit: int = 10) -> list[IndicatorResult]:
        """Indicators most often answered "not in place" (then "partly"), in tool order on ties."""
        inds = [i for f in self.factors for i in f.indicators]
        order = {i.id: n for n, i in enumerate(inds)}
        hits = [i for i in inds if i.counts["not_in_place"] or i.counts["partly"]]
        hits.sort(key=lambda i: (-i.counts["not_in_place"], -i.counts["partly"], order[i.id]))
        return hits[:limit]

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "format": REPORT_FORMAT,
            "format_version": REPORT_FORMAT_VERSION,
            "tool_version": self.tool_version,
            "team": self.team,
            "cycle": self.cycle,
            "threshold": self.threshold,
            "responses": self.n_valid,
            "enough": self.enough,
            "needed": self.needed,
            "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped],
        }
        if not self.enough:
            return out
        out["factors"] = [
            {
                "id": f.id,
                "number": f.number,
                "title": f.title,
                "n": f.n,
                "median": f.median,
                "q1": f.q1,
                "q3": f.q3,
                "low": f.low,
                "high": f.high,
                "rating_counts": {str(k): v for k, v in f.rating_counts.items()},
                "share_in_place": round(f.share_in_place, 6),
                "comments": list(f.comments),
                "indicators": [
                    {"id": i.id, "counts": dict(i.counts), "share_in_place": round(i.share_in_place, 6)}
                    for i in f.indicators
                ],
            }
            for f in self.factors
        ]
        out["ranking"] = [f.id for f in self.ranking()]
        out["most_missing"] = [i.id for i in self.most_missing()]
        return out


def _quartiles(values: list[int]) -> tuple[float, float, float]:
    q1, med, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return float(q1), float(statistics.median(values)), float(q3)


def _pick(labels: Counter, wanted: str | None) -> str | None:
    """The label asked for, else the most common one (ties: alphabetical)."""
    if wanted is not None:
        return _norm(wanted)
    if not labels:
        return None
    return sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def aggregate(
    files: Iterable[tuple[str, bytes]],
    tool: Tool | None = None,
    team: str | None = None,
    cycle: str | None = None,
    skipped: Iterable[Skipped] = (),
    threshold: int = MIN_GROUP,
) -> Report:
    """Build a team report from response files given as (name, bytes).

    Parameters
    ----------
    files : iterable of (str, bytes)
        The files; the order does not matter.
    team, cycle : str, optional
        Which team and cycle to report on. By default, the most common among the valid files
        (ties: alphabetical); files for any other team or cycle are skipped with that reason.
    skipped : iterable of Skipped
        Files already found unusable (for example unreadable), listed in the report.
    threshold : int
        The smallest group for which anything is shown; never below :data:`MIN_GROUP`.

    Returns
    -------
    Report
        With per-factor results only when there are at least ``threshold`` valid responses.
    """
    tool = tool or load_factors()
    threshold = max(int(threshold), MIN_GROUP)
    out_skipped = list(skipped)
    valid: list[tuple[str, dict]] = []
    # Reading thousands of files makes many small dicts; pausing the cyclic garbage collector while
    # they are made (none of them form cycles) keeps the time in step with the number of files.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name, raw in files:
            try:
                valid.append((name, read_response(name, raw, tool)))
            except ResponseError as exc:
                out_skipped.append(Skipped(name, str(exc)))
    finally:
        if collecting:
            gc.enable()
    # which team and cycle
    chosen_team = _pick(Counter(_norm(r["team"]) for _n, r in valid), team)
    kept = []
    for name, r in valid:
        if _norm(r["team"]) != chosen_team:
            out_skipped.append(Skipped(name, f"for team {r['team']!r}, not team {chosen_team!r}"))
        else:
            kept.append((name, r))
    chosen_cycle = _pick(Counter(_norm(r["cycle"]) for _n, r in kept), cycle)
    in_cycle = []
    for name, r in kept:
        if _norm(r["cycle"]) != chosen_cycle:
            out_skipped.append(Skipped(name, f"for cycle {r['cycle']!r}, not cycle {chosen_cycle!r}"))
        else:
            in_cycle.append((name, r))
    # one response per response id: the highest revision wins (ties: file name, then content)
    def _why(kept: tuple[str, dict], copy: tuple[str, dict]) -> str:
        earlier = copy[1]["revision"] < kept[1]["revision"]
        what = "an earlier revision of" if earlier else "a duplicate of"
        return f"{what} the response in {kept[0]} (same response id)"

    unique, copies = keep_one_per_id(in_cycle, key=lambda r: r["response_id"],
                                     rank=lambda c: (-c[1]["revision"], c[0], response_bytes(c[1])), why=_why)
    out_skipped.extend(copies)
    responses = [r for _name, r in unique]
    report = Report(
        tool.version, chosen_team, chosen_cycle, len(responses), sorted(out_skipped), threshold=threshold
    )
    if not report.enough:
        return report  # nothing about the answers is computed, let alone shown
    n = len(responses)
    ratings: dict[str, list[int]] = {f: [] for f in tool.factor_ids}
    pairs: Counter = Counter()
    comments: dict[str, list[str]] = {f: [] for f in tool.factor_ids}
    for r in responses:
        for fid, value in r["ratings"].items():
            ratings[fid].append(value)
        pairs.update(r["indicators"].items())
        for fid, text in r["comments"].items():
            comments[fid].append(text)
    scale = [s["value"] for s in tool.scale]
    for f in tool.factors:
        values = sorted(ratings[f.id])
        q1, med, q3 = _quartiles(values)
        inds = []
        for ind in f.indicators:
            counts = {a: pairs.get((ind.id, a), 0) for a in ANSWERS}
            counts["no_answer"] = n - sum(counts.values())
            inds.append(IndicatorResult(ind.id, f.id, ind.text, counts, n))
        rc = Counter(values)
        report.factors.append(
            FactorResult(
                f.id,
                f.number,
                f.title,
                n,
                med,
                q1,
                q3,
                values[0],
                values[-1],
                {v: rc.get(v, 0) for v in scale},
                tuple(inds),
                tuple(sorted(comments[f.id])),
            )
        )
    return report


def aggregate_folder(
    folder: str | Path, tool: Tool | None = None, team: str | None = None, cycle: str | None = None
) -> Report:
    """:func:`aggregate` the ``.json`` files of one folder (see :func:`read_folder`)."""
    files, skipped = read_folder(folder)
    return aggregate(files, tool, team, cycle, skipped)


def weakest_factors(report: Report | None, tool: Tool | None = None, k: int = 3) -> list[str]:
    """Factor ids, weakest first when a report with results is given, else in the tool's order."""
    tool = tool or load_factors()
    if report is None or not report.enough:
        return list(tool.factor_ids)[:k] if k else list(tool.factor_ids)
    ranked = [f.id for f in report.ranking()]
    return ranked[:k] if k else ranked


def _pct(share: float) -> str:
    return f"{round(share * 100):d}%"


def _h(level: int, text: str) -> str:
    """A heading at *level* (capped at 6); *text* must already be escaped."""
    n = max(1, min(6, level))
    return f"<h{n}>{text}</h{n}>"


def _skipped_html(skipped: list[Skipped], level: int = 3) -> str:
    if not skipped:
        return ""
    rows = [[s.file, s.reason] for s in skipped]
    return (
        _h(level, "Files that were not used") + "<p>Each file below was left out for the reason given; every "
        "other file was used.</p>"
        + table(["File", "Why it was not used"], rows, caption=f"{len(skipped)} file(s) not used")
    )


def report_html(report: Report, tool: Tool | None = None, charts: bool = True, level: int = 2) -> str:
    """The team report as an HTML fragment, its title a heading at *level*. All file text is escaped."""
    tool = tool or load_factors()
    who = f"team {esc(report.team)}, cycle {esc(report.cycle)}" if report.team is not None else "no team yet"
    parts = ['<section class="rc-page" style="max-width:64rem" aria-label="Team benchmarking report">'
             + _h(level, f"Team report: {who}")]
    if not report.enough:
        more = report.needed
        parts.append(
            f'<div class="rc-warn" role="status"><p><strong>{report.n_valid} valid response(s) so far.'
            f"</strong> Results are shown only when at least {report.threshold} team members have "
            f"responded, so that nobody's answers can be picked out. {more} more valid response(s) "
            "needed.</p></div>"
        )
        parts.append(_skipped_html(report.skipped, level + 1))
        parts.append("</section>")
        return "".join(parts)
    parts.append(f"<p><strong>{report.n_valid} responses</strong> were used. {esc(tool.note)}</p>")
    ranked = report.ranking()
    rows = [
        [
            f"{n}",
            f.title,
            f"{f.median:g}",
            f"{f.q1:g} to {f.q3:g}",
            f"{f.low} to {f.high}",
            _pct(f.share_in_place),
        ]
        for n, f in enumerate(ranked, start=1)
    ]
    parts.append(_h(level + 1, "The seven factors, weakest first"))
    parts.append(
        table(
            ["Rank", "Factor", "Median rating", "Middle half (quartiles)", "Range", "Indicators in place"],
            rows,
            caption="Factors ranked from weakest to strongest",
        )
    )
    if charts:
        from ..core.charts import bar_chart, range_chart

        labels = [f"{f.number}. {f.title}" for f in report.factors]
        lo, hi = tool.scale_min, tool.scale_max
        c1 = bar_chart(
            "Median rating per factor",
            labels,
            [f.median for f in report.factors],
            f"Median rating ({lo} = poor practice, {hi} = best practice)",
            (0, hi),
            alt_summary=f"Based on {report.n_valid} responses.",
        )
        c2 = range_chart(
            "How widely the ratings spread",
            labels,
            [f.low for f in report.factors],
            [f.q1 for f in report.factors],
            [f.median for f in report.factors],
            [f.q3 for f in report.factors],
            [f.high for f in report.factors],
            f"Rating ({lo} = poor practice, {hi} = best practice)",
            (lo - 0.5, hi + 0.5),
        )
        c3 = bar_chart(
            "Share of indicators in place per factor",
            labels,
            [round(f.share_in_place * 100) for f in report.factors],
            "Per cent in place",
            (0, 100),
        )
        parts += [c1.to_html(), c2.to_html(), c3.to_html()]
    missing = report.most_missing()
    parts.append(_h(level + 1, "Indicators most often missing"))
    if missing:
        rows = [
            [i.id, i.text, str(i.counts["not_in_place"]), str(i.counts["partly"]), _pct(i.share_in_place)]
            for i in missing
        ]
        parts.append(
            table(
                ["Indicator", "What it describes", "Not in place", "Partly", "In place"],
                rows,
                caption="Indicators most often answered 'not in place' (then 'partly')",
            )
        )
    else:
        parts.append("<p>No indicator was answered 'not in place' or 'partly'.</p>")
    parts.append(_h(level + 1, "Each factor in detail"))
    for f in report.factors:
        factor = tool.factor(f.id)
        parts.append(
            f"<details><summary>{f.number}. {esc(f.title)}: median {f.median:g}, "
            f"{_pct(f.share_in_place)} of indicators in place</summary>"
        )
        parts.append(
            f"<p><strong>Poor practice:</strong> {esc(factor.poor_practice)}<br>"
            f"<strong>Best practice:</strong> {esc(factor.best_practice)}</p>"
        )
        parts.append(
            table(
                ["Rating", "Responses"],
                [[tool.rating_label(v), str(c)] for v, c in f.rating_counts.items()],
                caption=f"Ratings for {f.title}",
            )
        )
        heads = [
            "Indicator",
            "What it describes",
            *(tool.answer_label(a) for a in ANSWERS),
            "No answer",
            "In place",
        ]
        rows = [
            [i.id, i.text, *(str(i.counts[a]) for a in (*ANSWERS, "no_answer")), _pct(i.share_in_place)]
            for i in f.indicators
        ]
        parts.append(table(heads, rows, caption=f"Indicators for {f.title}"))
        if f.comments:
            items = "".join(f"<li>{esc(c)}</li>" for c in f.comments)
            parts.append(_h(level + 2, f"Comments ({len(f.comments)})") + f"<ul>{items}</ul>")
        parts.append("</details>")
    parts.append(_skipped_html(report.skipped, level + 1))
    parts.append(
        _h(level + 1, "How this was worked out") + '<p class="rc-muted">Each factor: the median of the team\'s '
        "ratings, the middle half of ratings (lower to upper quartile, inclusive method) and the lowest "
        "and highest rating. Indicators in place: the share of all answers that said 'in place' "
        "(partly, not in place, don't know and no answer all count as not in place). Weakest first: "
        "lowest median, then lowest share in place. Comments are listed in alphabetical order, not the "
        "order files arrived. "
        f"{esc(tool.citation)}</p>"
    )
    parts.append("</section>")
    return "".join(parts)


def report_document(report: Report, tool: Tool | None = None) -> str:
    """The report as a stand-alone HTML page (styles included, no external files)."""
    css = package_data("course.css").read_text(encoding="utf-8")
    title = (
        f"Benchmarking report: team {report.team}, cycle {report.cycle}"
        if report.team
        else "Benchmarking report"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{css}</style></head>'
        f'<body><main><h1 class="rc-page">{esc(title)}</h1>{report_html(report, tool, level=2)}</main>'
        "</body></html>\n"
    )


def write_report(report: Report, folder: str | Path, tool: Tool | None = None) -> list[Path]:
    """Write ``report.html`` and ``report.json`` into *folder* (created if needed); returns the paths."""
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    html_path, json_path = folder / "report.html", folder / "report.json"
    html_path.write_text(report_document(report, tool), encoding="utf-8")
    json_path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [html_path, json_path]


class ReportError(ValueError):
    """A report file (``report.json``) that cannot be used for a comparison."""


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def check_report(data: Any, source: str = "the report") -> dict:
    """Check a report dict (from :meth:`Report.to_dict` or a ``report.json``) for a comparison."""
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise ReportError(f"{source} is not a team report (report.json)")
    if data.get("format_version") != REPORT_FORMAT_VERSION:
        raise ReportError(f"{source} was written in another report format version")
    if not data.get("enough"):
        raise ReportError(f"{source} has fewer than {MIN_GROUP} responses, so it holds no results to compare")
    factors = data.get("factors")
    if not isinstance(factors, list) or not factors:
        raise ReportError(f"{source} has no factor results")
    for f in factors:
        if not isinstance(f, dict) or not isinstance(f.get("id"), str) or not _num(f.get("median")):
            raise ReportError(f"{source}: a factor result is incomplete")
        inds = f.get("indicators")
        if not isinstance(inds, list) or any(
            not isinstance(i, dict) or not isinstance(i.get("id"), str) or not _num(i.get("share_in_place"))
            for i in inds
        ):
            raise ReportError(f"{source}: the indicator results of {f['id']!r} are incomplete")
    for key in ("team", "cycle"):
        if not isinstance(data.get(key), str):
            raise ReportError(f"{source} has no {key}")
    return data


def load_report(path: str | Path, team: str | None = None) -> dict:
    """A report dict from a ``report.json`` file, or built from a folder of response files.

    Raises
    ------
    ReportError
        When the path cannot be used, in plain words.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        try:
            return check_report(aggregate_folder(path, team=team).to_dict(), f"the responses in {path}")
        except OSError as exc:
            raise ReportError(f"the folder {path} cannot be read ({exc.__class__.__name__})") from None
    if not path.exists():
        raise ReportError(f"{path} does not exist")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(20 * MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReportError(f"{path} cannot be read ({exc.__class__.__name__})") from None
    if len(raw) > 20 * MAX_FILE_BYTES:
        raise ReportError(f"{path} is too large to be a team report")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReportError(f"{path} is not a JSON team report") from None
    return check_report(data, str(path))


# -- action plans ------------------------------------------------------------------------------------
class PlanError(ValueError):
    """An action that cannot be added to the plan; ``str(exc)`` says why."""


def _date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise PlanError(
            f"the {what} should be a date written as YYYY-MM-DD, for example 2025-03-31"
        ) from None


def check_action(item: dict, tool: Tool | None = None) -> dict:
    """Check one action of an action plan and return it tidied.

    An action names a factor, one of its indicators, what will be done, an owner (a role such as
    "team leader", never a person's name), a due date and a review date on or after it.
    """
    tool = tool or load_factors()
    fid = item.get("factor")
    if fid not in tool.factor_ids:
        raise PlanError("choose a factor")
    iid = item.get("indicator")
    if iid not in [i.id for i in tool.factor(fid).indicators]:
        raise PlanError("choose one of this factor's indicators")
    action = " ".join(str(item.get("action") or "").split())
    if not action:
        raise PlanError("say what will be done")
    if len(action) > 500:
        raise PlanError("keep the action to 500 characters or fewer")
    owner = " ".join(str(item.get("owner") or "").split())
    if not owner:
        raise PlanError("name the owner's role (for example team leader), not a person")
    if len(owner) > 60:
        raise PlanError("keep the owner's role to 60 characters or fewer")
    due = _date(item.get("due"), "due date")
    review = _date(item.get("review"), "review date")
    if review < due:
        raise PlanError("the review date should be on or after the due date")
    return {
        "factor": fid,
        "indicator": iid,
        "action": action,
        "owner": owner,
        "due": due.isoformat(),
        "review": review.isoformat(),
    }


def _cell(value: str) -> str:
    """Stop a spreadsheet treating a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


PLAN_HEADERS = [
    "Team",
    "Cycle",
    "Factor",
    "Indicator",
    "What the indicator describes",
    "Action",
    "Owner (role)",
    "Due date",
    "Review date",
]


def _plan_rows(plan: dict, tool: Tool) -> list[list[str]]:
    rows = []
    for a in plan.get("actions", []):
        f = tool.factor(a["factor"])
        rows.append(
            [
                plan.get("team", ""),
                plan.get("cycle", ""),
                f.label,
                a["indicator"],
                tool.indicator(a["indicator"]).text,
                a["action"],
                a["owner"],
                a["due"],
                a["review"],
            ]
        )
    return rows


def plan_csv(plan: dict, tool: Tool | None = None) -> bytes:
    """The action plan as CSV bytes (UTF-8), one row per action."""
    tool = tool or load_factors()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(PLAN_HEADERS)
    for row in _plan_rows(plan, tool):
        writer.writerow([_cell(str(c)) for c in row])
    return buf.getvalue().encode("utf-8")


def plan_html(plan: dict, tool: Tool | None = None) -> bytes:
    """The action plan as a stand-alone HTML page (escaped), as bytes."""
    tool = tool or load_factors()
    team, cycle = plan.get("team", ""), plan.get("cycle", "")
    title = f"Action plan: team {team}, cycle {cycle}"
    rows = [r[2:] for r in _plan_rows(plan, tool)]
    body = (
        f"<h1>{esc(title)}</h1><p>Actions chosen by the team to move towards best practice on the "
        "organisational benchmarking tool (iHV, 2015, Appendix 2). Owners are roles, not named people.</p>"
        + (
            table(PLAN_HEADERS[2:], rows, caption=f"{len(rows)} action(s)")
            if rows
            else "<p>No actions yet.</p>"
        )
    )
    css = package_data("course.css").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<style>{css}</style></head><body><main class="rc-page">{body}</main></body></html>\n'
    ).encode()


# -- comparing two cycles -----------------------------------------------------------------------------
def _direction(before: float, after: float) -> str:
    diff = round(after - before, 6)
    return "improved" if diff > 0 else "worse" if diff < 0 else "same"


def compare(earlier: dict | Report, later: dict | Report, tool: Tool | None = None) -> dict:
    """Compare two reports of the same team: change per factor (median) and per indicator (share in place).

    Raises
    ------
    ReportError
        When either report holds no results, or they are for different teams or tool versions.
    """
    tool = tool or load_factors()
    a = check_report(earlier.to_dict() if isinstance(earlier, Report) else earlier, "the earlier report")
    b = check_report(later.to_dict() if isinstance(later, Report) else later, "the later report")
    if _norm(a["team"]) != _norm(b["team"]):
        raise ReportError(f"the reports are for different teams ({a['team']!r} and {b['team']!r})")
    if a.get("tool_version") != b.get("tool_version"):
        raise ReportError("the reports used different versions of the tool, so they cannot be compared")
    notes = []
    if _norm(a["cycle"]) == _norm(b["cycle"]):
        notes.append("Both reports are for the same cycle label; check you chose the right files.")
    fa = {f["id"]: f for f in a["factors"]}
    fb = {f["id"]: f for f in b["factors"]}
    factors, indicators = [], []
    for f in tool.factors:
        if f.id not in fa or f.id not in fb:
            continue
        before, after = float(fa[f.id]["median"]), float(fb[f.id]["median"])
        factors.append(
            {
                "id": f.id,
                "number": f.number,
                "title": f.title,
                "before": before,
                "after": after,
                "change": round(after - before, 6),
                "direction": _direction(before, after),
            }
        )
        ia = {i["id"]: float(i["share_in_place"]) for i in fa[f.id]["indicators"]}
        ib = {i["id"]: float(i["share_in_place"]) for i in fb[f.id]["indicators"]}
        for ind in f.indicators:
            if ind.id in ia and ind.id in ib:
                indicators.append(
                    {
                        "id": ind.id,
                        "factor": f.id,
                        "text": ind.text,
                        "before": ia[ind.id],
                        "after": ib[ind.id],
                        "change": round(ib[ind.id] - ia[ind.id], 6),
                        "direction": _direction(ia[ind.id], ib[ind.id]),
                    }
                )
    return {
        "team": b["team"],
        "earlier": a["cycle"],
        "later": b["cycle"],
        "responses": [a["responses"], b["responses"]],
        "factors": factors,
        "indicators": indicators,
        "notes": notes,
    }


_ARROWS = {"improved": "Improved", "worse": "Worse", "same": "Same"}


def comparison_html(cmp: dict, charts: bool = True, level: int = 2) -> str:
    """The comparison of two cycles as an HTML fragment (escaped), its title a heading at *level*."""
    parts = [
        '<section class="rc-page" style="max-width:64rem" aria-label="Comparison of two cycles">'
        + _h(level, f"Team {esc(cmp['team'])}: {esc(cmp['earlier'])} compared with {esc(cmp['later'])}"),
        f"<p>Responses: {cmp['responses'][0]} in {esc(cmp['earlier'])}, {cmp['responses'][1]} in "
        f"{esc(cmp['later'])}. Changes in who answered can move results as much as real change can, so "
        "talk them through as a team.</p>",
    ]
    parts += [f'<div class="rc-note"><p>{esc(n)}</p></div>' for n in cmp["notes"]]
    counts = Counter(f["direction"] for f in cmp["factors"])
    parts.append(
        f"<p><strong>Factors:</strong> {counts['improved']} improved, {counts['same']} the same, "
        f"{counts['worse']} worse (median rating).</p>"
    )
    rows = [
        [
            f"{f['number']}. {f['title']}",
            f"{f['before']:g}",
            f"{f['after']:g}",
            f"{f['change']:+g}",
            _ARROWS[f["direction"]],
        ]
        for f in cmp["factors"]
    ]
    parts.append(
        table(
            ["Factor", f"Median in {cmp['earlier']}", f"Median in {cmp['later']}", "Change", "Direction"],
            rows,
            caption="Change in the median rating per factor",
        )
    )
    if charts and cmp["factors"]:
        from ..core.charts import bar_chart

        chart = bar_chart(
            "Change in median rating per factor",
            [f"{f['number']}. {f['title']}" for f in cmp["factors"]],
            [f["change"] for f in cmp["factors"]],
            "Change in median (positive = better)",
            (-4, 4),
        )
        parts.append(chart.to_html())
    ic = Counter(i["direction"] for i in cmp["indicators"])
    parts.append(
        f"<p><strong>Indicators:</strong> {ic['improved']} improved, {ic['same']} the same, {ic['worse']} "
        "worse (share answered 'in place').</p>"
    )
    rows = [
        [
            i["id"],
            i["text"],
            _pct(i["before"]),
            _pct(i["after"]),
            f"{round(i['change'] * 100):+d} points",
            _ARROWS[i["direction"]],
        ]
        for i in cmp["indicators"]
    ]
    parts.append(
        "<details><summary>Every indicator</summary>"
        + table(
            [
                "Indicator",
                "What it describes",
                f"In place in {cmp['earlier']}",
                f"In place in {cmp['later']}",
                "Change",
                "Direction",
            ],
            rows,
            caption="Change in the share of 'in place' answers per indicator",
        )
        + "</details>"
    )
    parts.append("</section>")
    return "".join(parts)
