"""The team report: any pile of response files in, results per factor and indicator out (no widgets).

:func:`aggregate` never crashes on a bad file: each file that cannot be used is listed with its
reason and skipped. Nothing at all is computed for fewer than :data:`MIN_GROUP` valid responses.
A saved ``report.json`` is read back by :func:`load_report` (for comparing two cycles).
"""

from __future__ import annotations

import gc
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.limits import LimitError, loads_json
from ..core.privacy import MIN_GROUP  # no result of any kind is shown for fewer valid responses
from ..core.responses import Skipped, keep_one_per_id
from .responses import ResponseError, _norm, read_folder, read_response, response_bytes
from .tool import ANSWERS, MAX_FILE_BYTES, REPORT_FORMAT, REPORT_FORMAT_VERSION, Tool, load_factors

__all__ = ["IndicatorResult", "FactorResult", "Report", "aggregate", "aggregate_folder", "weakest_factors",
           "ReportError", "check_report", "load_report"]


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
    def _only(rows: list, field: str, wanted) -> tuple[str, list]:
        chosen = _pick(Counter(_norm(r[field]) for _n, r in rows), wanted)
        for name, r in rows:
            if _norm(r[field]) != chosen:
                out_skipped.append(Skipped(name, f"for {field} {r[field]!r}, not {field} {chosen!r}"))
        return chosen, [(name, r) for name, r in rows if _norm(r[field]) == chosen]

    chosen_team, kept = _only(valid, "team", team)
    chosen_cycle, in_cycle = _only(kept, "cycle", cycle)
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
        data = loads_json(raw, str(path), max_bytes=20 * MAX_FILE_BYTES, max_depth=16)
    except (LimitError, UnicodeDecodeError, ValueError, RecursionError):
        raise ReportError(f"{path} is not a JSON team report") from None
    return check_report(data, str(path))
