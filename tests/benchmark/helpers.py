"""What the benchmarking tests share: the tool, valid responses and files of them."""

from __future__ import annotations

import json
import secrets

from resilience_course.benchmark import model as bm

TOOL = bm.load_factors()
FIDS = list(TOOL.factor_ids)
IIDS = list(TOOL.indicator_ids)


def resp(ratings=3, indicators=None, team="north-hv", cycle="2025 spring", comments=None, rid=None, revision=1):
    """A valid response dict; ``ratings`` is one value for every factor or a dict."""
    if not isinstance(ratings, dict):
        ratings = {f: ratings for f in FIDS}
    return {"format": bm.FORMAT, "format_version": bm.FORMAT_VERSION, "tool_version": TOOL.version,
            "response_id": rid or secrets.token_hex(16), "revision": revision, "team": team, "cycle": cycle,
            "ratings": dict(ratings), "indicators": dict(indicators or {}), "comments": dict(comments or {})}


def raw(r) -> bytes:
    return json.dumps(r).encode("utf-8")


def files_of(responses, prefix="r"):
    return [(f"{prefix}{n:03d}.json", raw(r)) for n, r in enumerate(responses)]


def write_team(folder, n, team="north-hv", cycle="2025 spring", low="culture"):
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        r = resp({**{f: 4 for f in FIDS}, low: 1}, {"7c": "not_in_place", "7a": "in_place"}, team=team,
                 cycle=cycle, comments={"culture": "<b>bold</b> idea"})
        (folder / f"r{k}.json").write_bytes(bm.response_bytes(bm.check_response(r)))
