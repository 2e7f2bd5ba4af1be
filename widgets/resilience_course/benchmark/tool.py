"""The organisational benchmarking tool's factors (iHV, 2015, Appendix 2), loaded and checked (no widgets).

``data/benchmark-factors.yml`` (schema ``benchmark``): seven factors, each from poor to best
practice, with lettered indicators (60 in all). :func:`load_factors` checks numbering, letters and
counts. The formats and limits every part of the tool shares are here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..core.content import ContentError, load_yaml, package_data

__all__ = ["FORMAT", "FORMAT_VERSION", "REPORT_FORMAT", "REPORT_FORMAT_VERSION", "MAX_FILE_BYTES", "MAX_COMMENT",
           "MAX_REVISION", "ANSWERS", "EXPECTED_INDICATORS", "RESPONSE_KEYS", "Indicator", "Factor", "Tool",
           "load_factors"]

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
    definitions: tuple[dict, ...] = ()  # the words the tool uses: {term, definition, source?}

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
        tuple({k: str(v).strip() for k, v in d.items()} for d in data.get("definitions", [])),
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
