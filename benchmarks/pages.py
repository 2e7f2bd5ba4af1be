"""Time to interactive of every published Voila page, against Voila's own tree page (the floor).

Two course servers run side by side, each with its own empty learner data folder:

* ``preheated``: ``resilience-course serve`` with the repository's settings (kernels kept ready);
* ``no_preheat``: the same with ``--no-preheat`` (every page starts its own kernel).

For each page (course/**/*.ipynb and modules/*/*.ipynb, found when the script runs) the browser
first loads it once on each server, unmeasured, to warm its cache and see whether the page has
controls; then, ``--loads`` times, it loads the floor (Voila's own tree page, ``/voila/tree``: its
file list visible), the page on the preheated server and the page on the other, in turn, so that
all three meet the same conditions on a shared machine. Time to interactive runs from the start
of navigation to the first control (button, drop-down, text box) being visible and enabled, or,
on a page with no controls, to its content being drawn (its h1 visible and every output
rendered). Before each load the script waits until both servers and their kernels are idle, as
they would be while a learner reads (and, on the preheated server, until the kernels it keeps
ready have been replaced).

Goal: every page's median <= 1.0 s and <= 2x the floor (preheated server).

Each load opens a new tab by default; ``--same-tab`` opens every page in one tab per server instead, as
a learner moving through the course by "Next" does (the tab's renderer process stays warm).

The browser has a profile of its own (a throw-away user-data folder), as a learner's everyday browser
does: its disk cache keeps the scripts' compiled code (Chromium's code cache) between loads, as it would
between a learner's visits. ``--private`` measures a private window instead (Playwright's default
context: nothing kept on disk, so every load compiles Voila's scripts again; about 0.3-0.4 s more for
every page and, less, for the floor).

Usage: ``python benchmarks/pages.py [--loads 5] [--match TEXT] [--same-tab] [--private] [--out FILE]``
Writes ``benchmarks/results/pages.json`` and prints a table.

``python benchmarks/pages.py --walk 100``: one long session of 100 page loads by "Next"; reports the
kernel count and the server's memory at the end against the start (``benchmarks/results/walk.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("RC_CHROMIUM", "/usr/bin/chromium")
# other hosts go to a closed local port (loopback, the course server, bypasses the proxy)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--proxy-server=http://127.0.0.1:9"]
GOAL_SECONDS = 1.0
GOAL_RATIO = 2.0

# the page is usable: a control can be used, or (no controls) everything is drawn
READY_JS = """(needControl) => {
    const cells = document.querySelector('#rendered_cells');
    if (!cells || cells.style.display === 'none') return false;
    for (const el of cells.querySelectorAll('.jupyter-widgets button, .jupyter-widgets select, '
                                            + '.jupyter-widgets textarea, .jupyter-widgets input')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && !el.disabled) return true;
    }
    if (needControl) return false;
    if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
    const h = cells.querySelector('main h1');
    return !!(h && h.getBoundingClientRect().height > 0);
}"""
TREE_JS = """() => {
    const items = document.querySelectorAll('.jp-DirListing-item, a[href*="voila/render"]');
    return [...items].some(el => el.getBoundingClientRect().height > 0);
}"""
HAS_CONTROL_JS = """() => !!document.querySelector('#rendered_cells .jupyter-widgets button, '
    + '#rendered_cells .jupyter-widgets select, #rendered_cells .jupyter-widgets textarea, '
    + '#rendered_cells .jupyter-widgets input')"""


def published_pages() -> list[str]:
    found = [*ROOT.glob("course/**/*.ipynb"), *ROOT.glob("modules/*/*.ipynb")]
    return sorted(str(p.relative_to(ROOT)).replace(os.sep, "/") for p in found
                  if ".ipynb_checkpoints" not in p.parts)


def stop_on_sigterm() -> None:
    """Make ``kill`` (SIGTERM) end the script like Ctrl+C, so that its servers are stopped too."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``resilience-course serve`` in a subprocess, with a throw-away learner data folder."""

    def __init__(self, name: str, extra: list[str] | None = None):
        self.name = name
        self.keeps_kernels_ready = "--no-preheat" not in (extra or [])
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix=f"rc-bench-{name}-"))
        self.log_path = self.tmp / "voila.log"
        self.token = ""
        env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")}
        env.update({"RESILIENCE_COURSE_DATA_DIR": str(self.tmp / "data"), "RESILIENCE_COURSE_ROOT": str(ROOT),
                    "MPLBACKEND": "Agg"})
        cmd = [sys.executable, "-m", "resilience_course.cli", "serve", "--port", str(self.port)]
        cmd += extra or []
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def wait_started(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited:\n{self.log_path.read_text()[-2000:]}")
            printed = re.search(rf"^\s*http://127\.0\.0\.1:{self.port}/\?token=([0-9a-f]+)\s*$",
                                self.log_path.read_text(encoding="utf-8", errors="replace"), re.M)
            if printed:
                self.token = printed.group(1)
                try:
                    with urllib.request.urlopen(f"{self.base}/voila/tree?token={self.token}", timeout=5) as r:
                        if r.status == 200:
                            return
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} server did not start")

    def sign_in(self, context) -> None:
        """Sign a browser context in with the address the server printed (sets its login cookie)."""
        response = context.request.get(f"{self.base}/?token={self.token}", max_redirects=0)
        if response.status != 302:
            raise RuntimeError(f"signing in to {self.name} gave {response.status}")

    def processes(self):
        import psutil

        try:
            me = psutil.Process(self.proc.pid)
            return [me, *me.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernels(self):
        out = []
        for p in self.processes()[1:]:
            try:
                if "ipykernel_launcher" in " ".join(p.cmdline()):
                    out.append(p)
            except Exception:
                pass
        return out

    def kernels_ready(self) -> bool:
        """Every kernel the server keeps ready has been replaced since it was last used (from the log)."""
        if not self.keeps_kernels_ready:
            return True
        log = self.log_path.read_text(encoding="utf-8", errors="replace")
        spares = len(re.findall(r"Spare kernel \S+ is ready", log))
        if spares <= len(re.findall(r"Using a spare kernel", log)):
            return False
        for page in re.findall(r"Kernel pool of (\S+) is filled", log):
            fills = len(re.findall(rf"Kernel pool of {re.escape(page)} is filled", log))
            uses = len(re.findall(rf"Using pre-heated kernel: \S+ for {re.escape(page)}", log))
            if fills <= uses:
                return False
        return True

    def wait_idle(self, threshold: float = 8.0, settle: int = 3, timeout: float = 30.0) -> float:
        """Wait until the kernels kept ready are ready again, and the server and its kernels use under
        *threshold* % CPU for *settle* samples in a row (a learner reading the page)."""
        import psutil

        t0 = time.monotonic()
        while not self.kernels_ready() and time.monotonic() - t0 < timeout:
            time.sleep(0.2)
        quiet = 0
        while time.monotonic() - t0 < timeout:
            procs = self.processes()
            for p in procs:
                try:
                    p.cpu_percent(None)
                except psutil.Error:
                    pass
            time.sleep(0.3)
            busy = 0.0
            for p in procs:
                try:
                    busy += p.cpu_percent(None)
                except psutil.Error:
                    pass
            quiet = quiet + 1 if busy < threshold else 0
            if quiet >= settle:
                break
        return time.monotonic() - t0

    def memory_mb(self) -> dict:
        rss = uss = 0
        for p in self.processes():
            try:
                info = p.memory_full_info()
                rss += info.rss
                uss += info.uss
            except Exception:
                pass
        return {"processes": len(self.processes()), "kernels": len(self.kernels()),
                "rss_mb": round(rss / 2**20, 1), "uss_mb": round(uss / 2**20, 1)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def leave(page, close: bool = True) -> None:
    """Leave the page as a learner would, so Voila stops its kernel (on "beforeunload"), then close it."""
    try:
        page.goto("about:blank", timeout=10_000)
    except Exception:
        pass
    if close:
        page.close()


class Browser:
    """Chromium with a profile of its own (a learner's everyday browser: a disk cache that keeps compiled
    scripts), or, with *private*, a private window (nothing kept on disk); :meth:`context` gives one
    browser context per server (a profile of its own each, when not private), each with a window open."""

    def __init__(self, pw, private: bool = False):
        self.pw = pw
        self.private = private
        self.folders: list[Path] = []
        self.opened: list = []
        self.browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS) if private else None

    def context(self, viewport: dict):
        """A browser context with one window open (blank), as a learner's browser has while they open
        the course's pages: each load's tab is opened beside it."""
        if self.private:
            context = self.browser.new_context(viewport=viewport)
        else:
            folder = Path(tempfile.mkdtemp(prefix="rc-bench-profile-"))
            self.folders.append(folder)
            context = self.pw.chromium.launch_persistent_context(
                str(folder), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=viewport)
            self.opened.append(context)
        if not context.pages:
            context.new_page()
        return context

    def close(self) -> None:
        import shutil

        for context in self.opened:
            try:
                context.close()
            except Exception:
                pass
        self.opened = []
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)


class LoadFailed(Exception):
    """A page did not become usable in time (recorded, and the run goes on)."""


class Tabs:
    """Where each load opens: a new tab each time (closed after it), or, with *same*, one tab kept open
    for every load (``--same-tab``), as a learner moving through the course opens each page from the last
    (its renderer process and caches stay warm; a new tab starts a renderer of its own). Either way the
    page is left for ``about:blank`` after the load (the page asks for its kernel to end)."""

    def __init__(self, context, same: bool = False):
        self.context = context
        self.page = context.new_page() if same else None

    def new_page(self):
        return self.page or self.context.new_page()

    def leave(self, page) -> None:
        leave(page, close=self.page is None)


def load_once(tabs: Tabs, url: str, predicate: str, arg=None, timeout_ms: int = 60_000) -> float:
    """Seconds from the start of navigation to *predicate*."""
    page = tabs.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        try:
            page.wait_for_function(predicate, arg=arg, timeout=timeout_ms, polling="raf")
        except Exception as exc:
            shown = page.evaluate("() => (document.querySelector('main') || document.body).innerText")[:300]
            raise LoadFailed(f"{url}: not usable after {timeout_ms / 1000:g} s ({type(exc).__name__}); "
                             f"page shows: {shown!r}") from None
        return time.perf_counter() - t0
    finally:
        tabs.leave(page)


def has_controls(tabs: Tabs, url: str) -> bool:
    page = tabs.new_page()
    try:
        page.goto(url, timeout=120_000)
        page.wait_for_function(READY_JS, arg=False, timeout=120_000)
        page.wait_for_load_state("networkidle")
        return bool(page.evaluate(HAS_CONTROL_JS))
    finally:
        tabs.leave(page)


def summary(runs: list[float]) -> dict:
    if not runs:
        return {"median": None, "min": None, "max": None, "runs": []}
    return {"median": round(statistics.median(runs), 3), "min": round(min(runs), 3),
            "max": round(max(runs), 3), "runs": [round(r, 3) for r in runs]}


def walk(loads: int, out: Path, private: bool = False) -> int:
    """A long session: *loads* pages opened one after another by "Next" (back to the first module page
    after the last), each usable before the next click. Reports the kernel count and the server's
    memory at the start and at the end (after a few seconds for the last page's kernel to end)."""
    from playwright.sync_api import sync_playwright

    stop_on_sigterm()
    server = Server("walk")
    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    times: list[float] = []
    failures: list[str] = []
    browser = None
    try:
        server.wait_started()
        server.wait_idle(timeout=90)
        start = server.memory_mb()
        first = next(p for p in published_pages() if p.startswith("modules/"))
        with sync_playwright() as pw:
            browser = Browser(pw, private=private)
            context = browser.context({"width": 1280, "height": 900})
            server.sign_in(context)
            page = context.new_page()
            url = f"{server.base}/voila/render/{first}"
            page.goto(url, wait_until="commit")
            for n in range(loads):
                t0 = time.perf_counter()
                try:
                    if n:
                        nxt = page.locator("nav.rc-nav a[rel=next]")
                        if nxt.count():
                            nxt.first.click()
                        else:
                            page.goto(url, wait_until="commit")
                    page.wait_for_function(READY_JS, arg=False, timeout=60_000, polling="raf")
                    times.append(time.perf_counter() - t0)
                except Exception as exc:
                    failures.append(f"load {n + 1} ({page.url}): {type(exc).__name__}: {str(exc)[:200]}")
                    page.goto(url, wait_until="commit")
                page.wait_for_load_state("networkidle")
                server.wait_idle(timeout=15)  # the learner reads the page
            leave(page)
            time.sleep(5)
            server.wait_idle(timeout=30)
            end = server.memory_mb()
            browser.close()
    finally:
        if browser is not None:
            browser.close()
        server.stop()
    result = {
        "generated": started.isoformat(timespec="seconds"), "loads": loads, "failures": failures,
        "machine": {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "browser": "a private window" if private else "a profile of its own (disk and code cache)",
        "start": start, "end": end,
        "kernels_added": end["kernels"] - start["kernels"],
        "server_rss_mb_added": round(end["rss_mb"] - start["rss_mb"], 1),
        "time_to_interactive": summary(times),
    }
    result["time_to_interactive"].pop("runs")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", type=int, default=5, help="measured loads per page and server (default 5)")
    ap.add_argument("--match", default="", help="only pages whose path contains this text")
    ap.add_argument("--no-cold", action="store_true",
                    help="measure only the course's own settings (skip the server started with --no-preheat)")
    ap.add_argument("--every", type=int, default=1, metavar="K",
                    help="measure every K-th page only (a sample of the course, for a busy machine)")
    ap.add_argument("--walk", type=int, default=0, metavar="N",
                    help="instead: one long session of N page loads by 'Next'; report kernels and memory "
                         "at the end against the start (writes walk.json)")
    ap.add_argument("--same-tab", action="store_true",
                    help="open every page in one tab per server, as a learner moving through the course does "
                         "(default: a new tab for each load)")
    ap.add_argument("--private", action="store_true",
                    help="measure in a private window (nothing kept on disk, so no compiled-code cache) "
                         "instead of a browser profile of its own")
    ap.add_argument("--out", default=None, help="the JSON file to write (default benchmarks/results/pages.json)")
    args = ap.parse_args(argv)
    results_dir = ROOT / "benchmarks" / "results"
    if args.walk:
        return walk(args.walk, Path(args.out or results_dir / "walk.json"), private=args.private)
    args.out = args.out or str(results_dir / "pages.json")

    from playwright.sync_api import sync_playwright

    stop_on_sigterm()
    pages = [p for p in published_pages() if args.match in p][:: max(1, args.every)]
    servers = {"preheated": Server("preheated")}
    if not args.no_cold:
        servers["no_preheat"] = Server("no-preheat", ["--no-preheat"])
    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    results: dict = {"pages": []}
    browser = None
    try:
        for s in servers.values():
            s.wait_started()
        for s in servers.values():
            s.wait_idle(timeout=90)
        results["idle_memory"] = {name: s.memory_mb() for name, s in servers.items()}
        with sync_playwright() as pw:
            browser = Browser(pw, private=args.private)
            viewport = {"width": 1280, "height": 900}
            contexts = {name: browser.context(viewport) for name in servers}
            for name, server in servers.items():
                server.sign_in(contexts[name])
            tabs = {name: Tabs(context, same=args.same_tab) for name, context in contexts.items()}
            floor_server = servers["preheated"]
            tree = f"{floor_server.base}/voila/tree"

            def quiet():
                for server in servers.values():
                    server.wait_idle()

            def measure(label, tab, url, predicate, arg, runs, failures):
                quiet()
                try:
                    runs[label].append(load_once(tab, url, predicate, arg=arg))
                except LoadFailed as exc:
                    failures[label].append(str(exc))
                    print(f"  FAILED ({label}): {exc}", flush=True)

            quiet()
            try:
                load_once(tabs["preheated"], tree, TREE_JS)  # warms the browser cache
            except LoadFailed as exc:
                print(f"  the first tree page load failed: {exc}", flush=True)
            all_floor: list[float] = []
            for page in pages:
                row = {"page": page}
                runs = {"floor": [], **{name: [] for name in servers}}
                failures = {key: [] for key in runs}
                controls = {}
                for name, server in servers.items():
                    quiet()
                    url = f"{server.base}/voila/render/{page}"
                    try:
                        controls[name] = has_controls(tabs[name], url)
                    except Exception as exc:
                        failures[name].append(f"first load: {type(exc).__name__}: {exc}"[:300])
                        controls[name] = False
                row["has_controls"] = controls["preheated"]
                # rounds: the floor, then the page on each server, so all three see the same conditions
                for _ in range(args.loads):
                    measure("floor", tabs["preheated"], tree, TREE_JS, None, runs, failures)
                    for name, server in servers.items():
                        url = f"{server.base}/voila/render/{page}"
                        measure(name, tabs[name], url, READY_JS, controls[name], runs, failures)
                all_floor += runs["floor"]
                for key in runs:
                    row[key] = {**summary(runs[key]), "failures": failures[key]}
                med, floor = row["preheated"]["median"], row["floor"]["median"]
                cold = row.get("no_preheat", {}).get("median")
                row["ratio_to_floor"] = round(med / floor, 2) if med is not None and floor else None
                row["meets_goal"] = (med is not None and floor is not None and not failures["preheated"]
                                     and med <= GOAL_SECONDS and med <= GOAL_RATIO * floor)
                results["pages"].append(row)
                ratio = row["ratio_to_floor"]
                shown = f"{med:5.2f} s (x{ratio:.1f} floor" if ratio else "FAILED ("
                cold_shown = f"{cold:.2f} s" if cold is not None else ("FAILED" if "no_preheat" in servers else "-")
                floor_shown = f"{floor:.2f} s" if floor is not None else "FAILED"
                print(f"{page:80s} {shown} {floor_shown}; no preheat {cold_shown})", flush=True)
            results["floor"] = {"page": "voila/tree", **summary(all_floor)}
            results["busy_memory"] = {name: s.memory_mb() for name, s in servers.items()}
            browser.close()
    finally:
        if browser is not None:
            browser.close()
        for s in servers.values():
            s.stop()
    meds = [r["preheated"]["median"] for r in results["pages"] if r["preheated"]["median"] is not None]
    cold = [r["no_preheat"]["median"] for r in results["pages"] if r.get("no_preheat", {}).get("median") is not None]
    results.update({
        "generated": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.now(timezone.utc) - started).total_seconds()),
        "loads_per_page": args.loads, "every_kth_page": args.every, "servers": list(servers),
        "tabs": "one per server, every load in it" if args.same_tab else "a new tab for each load",
        "browser": "a private window" if args.private else "a profile of its own (disk and code cache)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "goal": {"median_seconds": GOAL_SECONDS, "times_floor": GOAL_RATIO},
        "summary": {
            "pages": len(meds),
            "median_of_medians": round(statistics.median(meds), 3) if meds else None,
            "worst_median": round(max(meds), 3) if meds else None,
            "median_of_medians_no_preheat": round(statistics.median(cold), 3) if cold else None,
            "pages_meeting_goal": sum(1 for r in results["pages"] if r["meets_goal"]),
            "failed_loads": sum(len(r[n]["failures"]) for r in results["pages"] for n in ("floor", *servers)),
            "floor_median": results.get("floor", {}).get("median"),
            "pages_within_2x_floor": sum(1 for r in results["pages"]
                                         if r["ratio_to_floor"] and r["ratio_to_floor"] <= GOAL_RATIO),
            "pages_within_1s": sum(1 for m in meds if m <= GOAL_SECONDS),
        },
    })
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results["summary"], indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
