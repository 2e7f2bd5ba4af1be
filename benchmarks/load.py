"""25 learners at once: each opens the self-checks page and completes the SHARENOW self-check.

One course server (``resilience-course serve``, the repository's settings, a throw-away learner
data folder) on 127.0.0.1; one headless Chromium with a browser context per learner, all started
together (``--concurrency`` bounds how many run at once). Only the loopback server is contacted:
any other request is blocked and counted as an error.

Reported: errors (goal 0), p50 and p95 time to interactive (navigation start to the first answer
button usable; goal p95 <= 3 s), p50 and p95 time to a saved result, and memory per kernel
(psutil on the kernel processes while every learner's page is still open: RSS, and USS, the memory
only that kernel uses).

Usage: ``python benchmarks/load.py [--learners 25] [--concurrency 25] [--out FILE]``
Writes ``benchmarks/results/load.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, stop_on_sigterm  # noqa: E402

PAGE = "course/self-checks.ipynb"
GOAL_P95 = 3.0
TIMEOUT_MS = 180_000

CONTROL_JS = """() => {
    const cells = document.querySelector('#rendered_cells');
    if (!cells || cells.style.display === 'none') return false;
    const b = cells.querySelector('.rc-selfcheck .widget-toggle-buttons button');
    if (!b || b.disabled) return false;
    const r = b.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
}"""


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 3)


async def learner(n: int, browser, server: Server, gate: asyncio.Semaphore, release: asyncio.Event,
                  done: list) -> dict:
    """One learner's visit; returns timings and any errors."""
    record = {"learner": n, "errors": []}
    async with gate:
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        origin = urlsplit(server.base)

        def foreign(url: str) -> bool:
            parts = urlsplit(url)
            return parts.scheme not in ("data", "blob", "about") and (parts.hostname, parts.port) != (
                origin.hostname, origin.port)

        # other hosts are unreachable (CHROMIUM_ARGS: a closed proxy port); requests to them are counted
        # (no request interception: it pauses every request and loses the shutdown sent as a page is left)
        context.on("request", lambda r: record["errors"].append(f"request to another host: {r.url}")
                   if foreign(r.url) else None)
        response = await context.request.get(f"{server.base}/?token={server.token}", max_redirects=0)
        if response.status != 302:
            record["errors"].append(f"signing in with the printed address gave {response.status}")
        page = await context.new_page()
        page.on("pageerror", lambda e: record["errors"].append(f"page error: {e}"))
        page.on("console", lambda m: record["errors"].append(f"console: {m.text[:200]}")
                if m.type == "error" else None)
        try:
            t0 = time.perf_counter()
            await page.goto(f"{server.base}/voila/render/{PAGE}", wait_until="commit", timeout=TIMEOUT_MS)
            await page.wait_for_function(CONTROL_JS, timeout=TIMEOUT_MS, polling="raf")
            record["tti"] = time.perf_counter() - t0
            widget = page.locator(".rc-selfcheck").filter(has=page.locator("h2", has_text="SHARENOW")).first
            groups = widget.locator(".widget-toggle-buttons")
            count = await groups.count()
            for i in range(count):
                await groups.nth(i).locator("button").nth((i + n) % 4).click(timeout=TIMEOUT_MS)
            await widget.locator(".widget-button", has_text="See my result").click(timeout=TIMEOUT_MS)
            await widget.locator("section[aria-label='Your result']").wait_for(timeout=TIMEOUT_MS)
            text = await widget.inner_text()
            if "saved to your own record" not in text:
                record["errors"].append("the result was shown but not saved")
            record["completed"] = time.perf_counter() - t0
        except Exception as exc:  # the run goes on; the learner's error is counted
            record["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        done.append(n)
        await release.wait()  # keep every page open until memory has been measured
        try:  # leave the page as a learner would, so Voila stops its kernel
            await page.goto("about:blank", timeout=10_000)
        except Exception:
            pass
        await context.close()
    return record


async def run(args, server: Server) -> tuple[list[dict], dict]:
    from playwright.async_api import async_playwright

    peak = {"kernels": 0, "rss_mb": 0.0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            kernels = server.kernels()
            rss = 0
            for k in kernels:
                try:
                    rss += k.memory_info().rss
                except Exception:
                    pass
            peak["kernels"] = max(peak["kernels"], len(kernels))
            peak["rss_mb"] = max(peak["rss_mb"], round(rss / 2**20, 1))
            stop.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        gate = asyncio.Semaphore(args.concurrency)
        release = asyncio.Event()
        done: list[int] = []
        tasks = [asyncio.create_task(learner(n, browser, server, gate, release, done))
                 for n in range(args.learners)]
        while len(done) < min(args.learners, args.concurrency) and not all(t.done() for t in tasks):
            await asyncio.sleep(0.2)
        memory = kernel_memory(server)
        release.set()
        records = await asyncio.gather(*tasks)
        await browser.close()
    stop.set()
    sampler.join()
    memory["peak_kernels"] = peak["kernels"]
    memory["peak_kernel_rss_total_mb"] = peak["rss_mb"]
    return records, memory


def kernel_memory(server: Server) -> dict:
    rss, uss = [], []
    for k in server.kernels():
        try:
            info = k.memory_full_info()
            rss.append(info.rss / 2**20)
            uss.append(info.uss / 2**20)
        except Exception:
            pass
    def med(xs):
        return round(statistics.median(xs), 1) if xs else None

    def top(xs):
        return round(max(xs), 1) if xs else None

    return {"kernels_measured": len(rss), "rss_mb_median": med(rss), "rss_mb_max": top(rss),
            "uss_mb_median": med(uss), "uss_mb_max": top(uss), "server_rss_mb": server.memory_mb()["rss_mb"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=25)
    ap.add_argument("--concurrency", type=int, default=25, help="at most this many learners at once")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "load.json"))
    args = ap.parse_args(argv)
    stop_on_sigterm()
    server = Server("load")
    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    try:
        server.wait_started()
        server.wait_idle(timeout=90)
        log_start = len(server.log_path.read_text(encoding="utf-8", errors="replace"))
        t0 = time.perf_counter()
        records, memory = asyncio.run(run(args, server))
        wall = time.perf_counter() - t0
        log = server.log_path.read_text(encoding="utf-8", errors="replace")[log_start:]
    finally:
        server.stop()
    server_errors = [line for line in log.splitlines() if re.search(r"\bERROR\b|Traceback", line)]
    tti = [r["tti"] for r in records if "tti" in r]
    completed = [r["completed"] for r in records if "completed" in r]
    errors = [e for r in records for e in r["errors"]]
    result = {
        "generated": started.isoformat(timespec="seconds"),
        "learners": args.learners, "concurrency": args.concurrency, "page": PAGE,
        "wall_seconds": round(wall, 1),
        "machine": {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "errors": len(errors) + len(server_errors),
        "learner_errors": errors[:50],
        "server_errors": server_errors[:50],
        "completed": len(completed),
        "time_to_interactive": {"p50": percentile(tti, 0.5), "p95": percentile(tti, 0.95),
                                "max": round(max(tti), 3) if tti else None},
        "time_to_saved_result": {"p50": percentile(completed, 0.5), "p95": percentile(completed, 0.95)},
        "memory_per_kernel": memory,
        "goal": {"errors": 0, "p95_time_to_interactive_seconds": GOAL_P95},
        "meets_goal": not errors and not server_errors and (percentile(tti, 0.95) or 1e9) <= GOAL_P95,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("errors", "completed", "time_to_interactive",
                                             "time_to_saved_result", "memory_per_kernel", "wall_seconds")},
                     indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
