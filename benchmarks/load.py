"""25 learners at once: each opens the self-checks page and completes the SHARENOW self-check.

Each run starts one course server (``resilience-course serve``, a throw-away learner data folder,
127.0.0.1 only), waits until it has started its kernels and is quiet (the **start** figures: wall
time and CPU-seconds), then starts every learner at the same moment (``--spread S``: evenly over S
seconds instead). A learner is one of two clients (``--client``):

* ``protocol``: plain Python doing, without rendering, what the page's browser asks of the server
  (``load_protocol.py``: the page streamed to its end, the kernel's websocket, the widgets' state
  fetched as ipywidgets 8's frontend does, the self-check answered and saved, the page left). Its
  time to interactive is the **server's** time to a usable page;
* ``browser``: a real Chromium browser context per learner (one headless Chromium; contexts made and
  signed in before the start), which opens the page, waits until its first answer button is usable,
  answers, presses "See my result" and waits until the page says the result was saved. Only the
  loopback server is contacted: a request to another host is an error. The browsers run on the same
  cores as the server, which a room's own laptops do not: the CPU-seconds below show how much of the
  machine they took (about 1.3 CPU-s a page, against the server's few tenths).

and one server configuration (``--pool``): ``N`` preheats N kernels for the self-checks page (Voila's
``kernel_pools_config`` passed through ``--voila-arg``, every other setting the repository's; default:
as many as learners), or ``repo``, the repository's own settings (one preheated kernel and one spare
kernel: every other learner waits for a kernel started on request). ``--client`` and ``--pool`` may
be given more than once; each combination runs on a fresh server, one after another.

Reported for each run: errors (goal 0: a learner's failure, a page error, a request to another host,
a result not saved, or an ERROR or traceback in the server's log), p50/p95/max time to interactive
(from the learner's request to the page usable; goal p95 <= 3 s) overall and by where the learner's
kernel came from (preheated, spare, started on request), time to a saved result, the results found
in the learner store afterwards, the CPU-seconds each part of the machine used during the load
(psutil: the server process, the kernels, the browser by process type, Playwright's driver, this
script, and the rest of the machine), the kernels started during the load, memory per kernel (RSS
and USS, with every page still open) and the server's memory, and whether the kernels of the pages
left ended within 15 s.

Usage: ``python benchmarks/load.py [--learners 25] [--client protocol|browser] [--pool N|repo]
[--spread S] [--out FILE]``; ``--table FILE...`` prints the table of earlier runs' files.
Writes ``benchmarks/results/load.json`` and prints a table; exits 1 when a run misses a goal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, stop_on_sigterm  # noqa: E402

PAGE = "course/self-checks.ipynb"
GOAL_P95 = 3.0
TIMEOUT = 180.0  # seconds a learner's step may take
LEAVE_GRACE = 15.0  # seconds the kernels of left pages have to end
ERROR_LINE = r"\bERROR\b|Traceback|\[E "
SHUTDOWN_INTERRUPT = "KeyboardInterrupt caught in kernel"
CONTROL_WAIT = 4.0  # seconds ipywidgets 8's frontend waits for the widgets' state before asking widget by widget



def watch_js(usable: str) -> str:
    """A page's init script: it notes (``window.__rcReadyAt``) the moment the JavaScript function body
    *usable* first returns true. It checks on every change to the page, not by polling every frame: 25
    pages polling at each animation frame would keep the browser's cores busy. Used by hub_load.py too."""
    return """(() => {
    const usable = () => { USABLE };
    const check = () => {
        if (window.__rcReadyAt === undefined && usable()) {
            window.__rcReadyAt = performance.now();
            observer.disconnect();
        }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, {childList: true, subtree: true, attributes: true});
    document.addEventListener('readystatechange', check);
    window.addEventListener('load', check);
})();""".replace("USABLE", usable)


# the self-checks page is usable once its first answer button is
WATCH_JS = watch_js("""
        const cells = document.querySelector('#rendered_cells');
        if (!cells || cells.style.display === 'none') return false;
        const b = cells.querySelector('.rc-selfcheck .widget-toggle-buttons button');
        if (!b || b.disabled) return false;
        const r = b.getBoundingClientRect();
        return r.width > 0 && r.height > 0;""")
READY_JS = "() => window.__rcReadyAt !== undefined"
KERNEL_JS = """() => { try { return JSON.parse(document.getElementById('jupyter-config-data').textContent)
    .kernelId || null; } catch (e) { return null; } }"""


def other_host(url: str, base: str) -> bool:
    """Whether the browser's request for *url* goes anywhere but the server at *base* (an error here)."""
    parts, origin = urlsplit(url), urlsplit(base)
    return parts.scheme not in ("data", "blob", "about") and (parts.hostname, parts.port) != (
        origin.hostname, origin.port)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 3)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 0.5), "p95": percentile(values, 0.95),
            "max": round(max(values), 3) if values else None}


def pool_arguments(pool: int | None) -> list[str]:
    """``serve`` arguments preheating *pool* kernels for the self-checks page, every other pool as the
    repository's settings have it (None: no arguments, the repository's settings as they are)."""
    if pool is None:
        return []
    from resilience_course.publish.server import CONFIG_DIR
    from traitlets.config.loader import PyFileConfigLoader

    saved = os.environ.get("JUPYTER_PATH")
    try:  # (the settings file puts the course template on JUPYTER_PATH: not in this process)
        config = PyFileConfigLoader("voila.py", path=str(CONFIG_DIR)).load_config()
    finally:
        os.environ.pop("JUPYTER_PATH", None) if saved is None else os.environ.update(JUPYTER_PATH=saved)
    pools = {k: dict(v) for k, v in config.VoilaKernelManager.get("kernel_pools_config", {}).items()}
    pools[PAGE] = {**pools.get(PAGE, {}), "pool_size": pool}
    return [f"--voila-arg=--VoilaKernelManager.kernel_pools_config={json.dumps(pools, sort_keys=True)}"]


# -- CPU: which part of the machine used it ------------------------------------------------------------
def part_of(cmdline: list[str], name: str) -> str:
    """The part of the run a process of this script's tree belongs to, from its command line."""
    cmd = " ".join(cmdline)
    if "ipykernel_launcher" in cmd:
        return "kernels"
    if "resilience_course.cli" in cmd and " serve" in cmd:
        return "server"
    if "chrom" in name or "chrom" in (cmdline[:1] or [""])[0]:
        kind = next((a.split("=", 1)[1] for a in cmdline if a.startswith("--type=")), "browser")
        return f"browser:{'renderer' if kind == 'zygote' else kind}"  # the zygote reaps the renderers it forks
    if "playwright" in cmd:
        return "playwright_driver"
    return "other_children"


REAPED_INTO = {"server": "kernels"}  # the CPU of a process that ended is added to its parent's "children"


def cpu_snapshot() -> dict[int, tuple[str, float, float]]:
    """Each process of this script's tree: (part, its own CPU-s, the CPU-s of its children that ended)."""
    import psutil

    me = psutil.Process()
    out = {}
    for p in [me, *me.children(recursive=True)]:
        try:
            with p.oneshot():
                t, cmd, name = p.cpu_times(), p.cmdline(), p.name()
        except psutil.Error:
            continue
        part = "harness_script" if p.pid == me.pid else part_of(cmd, name)
        out[p.pid] = (part, t.user + t.system, t.children_user + t.children_system)
    return out


def machine_cpu() -> float:
    import psutil

    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq


def cpu_used(before: dict, after: dict, machine: float) -> dict:
    """CPU-seconds each part used between two snapshots; *machine* is the whole machine's in that time."""
    used: dict[str, float] = defaultdict(float)
    for snap, sign in ((after, 1), (before, -1)):
        for part, own, reaped in snap.values():
            used[part] += sign * own
            used[REAPED_INTO.get(part, "other_children" if part == "harness_script" else part)] += sign * reaped
    out = {k: round(v, 2) for k, v in sorted(used.items()) if abs(v) >= 0.005}
    out["browser"] = round(sum(v for k, v in used.items() if k.startswith("browser:")), 2)
    out["rest_of_machine"] = round(machine - sum(used.values()), 2)
    out["machine"] = round(machine, 2)
    return out


# -- the server ---------------------------------------------------------------------------------
def start_server(pool: int | None) -> tuple[Server, dict]:
    extra = pool_arguments(pool)
    t0 = time.perf_counter()
    server = Server("load", extra)
    server.wait_started()
    listening = time.perf_counter() - t0
    deadline = time.monotonic() + 600
    while not server.kernels_ready() and time.monotonic() < deadline:
        time.sleep(0.2)
    ready = time.perf_counter() - t0
    server.wait_idle(timeout=120)
    quiet = time.perf_counter() - t0
    cpu = cpu_used({}, cpu_snapshot(), 0.0)  # since the server was started
    kernels = len(server.kernels())
    return server, {"settings": extra, "listening_seconds": round(listening, 1),
                    "kernels_ready_seconds": round(ready, 1), "quiet_seconds": round(quiet, 1), "kernels": kernels,
                    "cpu_seconds_server": cpu.get("server", 0.0), "cpu_seconds_kernels": cpu.get("kernels", 0.0),
                    "cpu_seconds_per_kernel": round(cpu.get("kernels", 0.0) / kernels, 2) if kernels else None}


def kernel_sources(log: str, started: set[str]) -> dict[str, str]:
    """Where each kernel handed to a page came from, from the server's log: preheated or spare (ready before
    the learners came, or *started* during the load: Voila hands out a pool kernel still starting), else
    started on request."""
    out = {}
    for kind, pattern in (("preheated", r"Using pre-heated kernel: ([0-9a-f-]+)"),
                          ("spare", r"Using a spare kernel ([0-9a-f-]+)")):
        for kernel in re.findall(pattern, log):
            out[kernel] = f"{kind}, {'started during the load' if kernel in started else 'ready before'}"
    return out


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

    return {"kernels_measured": len(rss), "rss_mb_median": med(rss), "rss_mb_max": round(max(rss), 1) if rss else None,
            "uss_mb_median": med(uss), "uss_mb_max": round(max(uss), 1) if uss else None,
            "server_and_kernels": server.memory_mb()}


def running_kernel_ids(server: Server) -> set[str]:
    ids = set()
    for k in server.kernels():
        try:
            found = re.search(r"kernel-([0-9a-f-]+)\.json", " ".join(k.cmdline()))
        except Exception:
            continue
        if found:
            ids.add(found.group(1))
    return ids


def saved_results(server: Server) -> int | None:
    """How many SHARENOW results the learner store holds (read directly from its SQLite file)."""
    from resilience_course.core.store_schema import FILENAME

    path = server.tmp / "data" / FILENAME
    if not path.exists():
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM selfcheck_results WHERE definition_id = 'sharenow'").fetchone()[0]


# -- the learners ----------------------------------------------------------------------------------
async def browser_learners(args, server: Server, begin, release: asyncio.Event, records: list) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        prepared = []
        for n in range(args.learners):  # made and signed in before the start (not timed)
            record = {"learner": n, "errors": [], "requests": 0}
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT * 1000)
            await context.add_init_script(WATCH_JS)
            # other hosts are unreachable (CHROMIUM_ARGS: a closed proxy port); requests to them are counted
            # (no request interception: it holds back the request that stops a page's kernel as it is left)
            context.on("request", lambda r, rec=record: rec["errors"].append(f"request to another host: {r.url}")
                       if other_host(r.url, server.base) else rec.__setitem__("requests", rec["requests"] + 1))
            response = await context.request.get(f"{server.base}/?token={server.token}", max_redirects=0)
            if response.status != 302:
                record["errors"].append(f"signing in with the printed address gave {response.status}")
            page = await context.new_page()
            page.on("pageerror", lambda e, rec=record: rec["errors"].append(f"page error: {e}"))
            page.on("console", lambda m, rec=record: rec["errors"].append(f"console: {m.text[:200]}")
                    if m.type == "error" else None)
            prepared.append((record, context, page))
        begin()  # the CPU is counted from here

        async def one(record, context, page):
            n = record["learner"]
            await asyncio.sleep(args.spread * n / max(args.learners - 1, 1))
            record["requests"] = 0
            try:
                t0 = time.time()
                await page.goto(f"{server.base}/voila/render/{PAGE}", wait_until="commit")
                await page.wait_for_function(READY_JS, polling=250)
                ready = await page.evaluate("() => performance.timeOrigin + window.__rcReadyAt")
                record["tti"] = round(ready / 1000 - t0, 3)
                record["kernel_id"] = await page.evaluate(KERNEL_JS)
                widget = page.locator(".rc-selfcheck").filter(has=page.locator("h2", has_text="SHARENOW")).first
                groups = widget.locator(".widget-toggle-buttons")
                for i in range(await groups.count()):
                    await groups.nth(i).locator("button").nth((i + n) % 4).click()
                await widget.locator(".widget-button", has_text="See my result").click()
                await widget.locator("section[aria-label='Your result']").wait_for()
                if "saved to your own record" not in await widget.inner_text():
                    record["errors"].append("the result was shown but not saved")
                else:
                    record["completed"] = round(time.time() - t0, 3)
            except Exception as exc:  # noqa: BLE001 - the run goes on; the learner's error is counted
                record["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            records.append(record)
            await release.wait()  # every page stays open until memory and CPU have been measured
            try:  # leave the page as a learner would: the page asks the server to stop its kernel
                await page.goto("about:blank", timeout=10_000)
            except Exception:
                pass
            await context.close()

        await asyncio.gather(*(one(*p) for p in prepared))
        await browser.close()


async def protocol_learners(args, server: Server, begin, release: asyncio.Event, records: list) -> None:
    from load_protocol import ProtocolLearner

    async def one(n):
        await asyncio.sleep(args.spread * n / max(args.learners - 1, 1))
        learner = ProtocolLearner(n, server.base, server.token, PAGE, TIMEOUT)
        return await learner.visit(release, records)

    begin()
    await asyncio.gather(*(one(n) for n in range(args.learners)))


async def drive(args, client: str, server: Server) -> dict:
    """Run every learner; measure CPU from the start to the last learner done, memory with every page open,
    then let them leave."""
    release, records, start = asyncio.Event(), [], {}

    def begin():  # called by the learners' driver at the moment they start
        start.update(cpu=cpu_snapshot(), machine=machine_cpu(), t0=time.perf_counter(), log=log_size(server))

    learners = (browser_learners if client == "browser" else protocol_learners)(args, server, begin, release, records)
    task = asyncio.ensure_future(learners)
    while (len(records) < args.learners or not start) and not task.done():
        await asyncio.sleep(0.1)
    if not start:
        await task  # failed before starting: its exception says why
    wall = time.perf_counter() - start["t0"]
    cpu = cpu_used(start["cpu"], cpu_snapshot(), machine_cpu() - start["machine"])
    log_end = log_size(server)
    memory = kernel_memory(server)
    release.set()
    await task
    return {"records": records, "wall": wall, "cpu": cpu, "memory": memory, "log": (start["log"], log_end)}


def log_size(server: Server) -> int:
    return len(server.log_path.read_text(encoding="utf-8", errors="replace"))


def run_one(args, client: str, pool: int | None) -> dict:
    server, start = start_server(pool)
    load_before = os.getloadavg()
    try:
        out = asyncio.run(drive(args, client, server))
        page_kernels = {r.get("kernel_id") for r in out["records"]} - {None}
        t0, left = time.monotonic(), page_kernels
        while left and time.monotonic() - t0 < LEAVE_GRACE:
            time.sleep(0.5)
            left = page_kernels & running_kernel_ids(server)
        ended_after = round(time.monotonic() - t0, 1)
        saved = saved_results(server)
        log = server.log_path.read_text(encoding="utf-8", errors="replace")[out["log"][0]:]
    finally:
        server.stop()
    return report(args, client, pool, start, out, log, saved, sorted(left), ended_after, load_before)


def report(args, client, pool, start, out, log, saved, left, ended_after, load_before) -> dict:
    """One run's figures; *log* is the server's log from the learners' start to the end of the run."""
    records, cpu = out["records"], out["cpu"]
    during_load = log[: out["log"][1] - out["log"][0]]
    leaving = log[len(during_load):].splitlines()
    server_errors = [x for x in during_load.splitlines() if re.search(ERROR_LINE, x)]
    # jupyter_client interrupts every kernel (SIGINT) before it stops it; ipykernel logs that as an ERROR
    # when the kernel was handling a message at the time: noted, not counted
    interrupted = [x for x in leaving if SHUTDOWN_INTERRUPT in x]
    server_errors += [x for x in leaving if re.search(ERROR_LINE, x) and SHUTDOWN_INTERRUPT not in x]
    warnings = [x for x in log.splitlines() if re.search(r"\bWARNING\b|\[W ", x)]
    started = set(re.findall(r"Kernel started: ([0-9a-f-]+)", during_load))
    errors = [e for r in records for e in r["errors"]]
    completed = sum(1 for r in records if "completed" in r)
    if saved != completed:  # a page said "saved" but the learner store does not hold it, or the reverse
        errors.append(f"the learner store holds {saved} SHARENOW results; the pages said {completed} were saved")
    sources = kernel_sources(log, started)
    by_source: dict[str, list[float]] = defaultdict(list)
    for r in records:
        if "tti" in r:
            by_source[sources.get(r.get("kernel_id"), "started on request")].append(r["tti"])
    tti = [r["tti"] for r in records if "tti" in r]
    server_cpu = cpu.get("server", 0) + cpu.get("kernels", 0)
    harness_cpu = cpu["browser"] + cpu.get("playwright_driver", 0) + cpu.get("harness_script", 0)
    run = {
        "client": client, "pool": pool if pool is not None else "repo", "learners": args.learners,
        "spread_seconds": args.spread, "page": PAGE, "start": start,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "wall_seconds": round(out["wall"], 1),
        "errors": len(errors) + len(server_errors), "learner_errors": errors[:50], "server_errors": server_errors[:50],
        "server_warnings": sorted(set(warnings))[:30],
        "kernels_interrupted_as_they_were_stopped": len(interrupted),
        "completed": completed, "saved_in_store": saved,
        "time_to_interactive": summary(tti),
        "time_to_interactive_by_kernel": {k: summary(v) for k, v in sorted(by_source.items())},
        "time_to_saved_result": summary([r["completed"] for r in records if "completed" in r]),
        "kernels_started_during_load": len(started),
        "cpu_seconds": cpu,
        "cpu_seconds_per_learner": {"server_and_kernels": round(server_cpu / args.learners, 2),
                                    "harness": round(harness_cpu / args.learners, 2)},
        "memory": out["memory"],
        "kernels_of_left_pages_running": left, "left_pages_kernels_ended_within_seconds": ended_after,
    }
    if client == "protocol":
        steps = ("first_byte", "kernel_id", "kernel_model", "websocket_open", "kernel_info", "request_states_sent",
                 "states", "page_end", "widgets", "saved")
        run["protocol_steps"] = {step: summary([r["times"][step] for r in records if step in r.get("times", {})])
                                 for step in steps}
        late = [r for r in records if "states" in r.get("times", {})
                and r["times"]["states"] - r["times"]["request_states_sent"] > CONTROL_WAIT]
        run["states_later_than_the_frontend_waits"] = len(late)
    else:
        run["requests_per_learner"] = summary([r["requests"] for r in records])
    p95 = run["time_to_interactive"]["p95"]
    run["goal"] = {"errors": 0, "p95_time_to_interactive_seconds": GOAL_P95}
    run["meets"] = {"errors": run["errors"] == 0 and saved == args.learners,
                    "p95": p95 is not None and len(tti) == args.learners and p95 <= GOAL_P95,
                    "kernels_end_with_their_page": not left}
    run["meets_goal"] = run["meets"]["errors"] and run["meets"]["p95"]
    return run


def table(runs: list[dict]) -> str:
    head = ("client", "pool", "errors", "saved", "TTI p50", "p95", "max", "goal", "new kernels", "CPU-s server+kernels",
            "CPU-s browser+harness", "CPU-s rest", "start s")
    rows = [head]
    for r in runs:
        c, t = r["cpu_seconds"], r["time_to_interactive"]
        harness = c["browser"] + c.get("playwright_driver", 0) + c.get("harness_script", 0)
        rows.append((r["client"], str(r["pool"]), str(r["errors"]), f"{r['saved_in_store']}/{r['learners']}",
                     f"{t['p50']}", f"{t['p95']}", f"{t['max']}", "met" if r["meets_goal"] else "MISSED",
                     str(r["kernels_started_during_load"]),
                     f"{c.get('server', 0) + c.get('kernels', 0):.1f}", f"{harness:.1f}", f"{c['rest_of_machine']:.1f}",
                     f"{r['start']['quiet_seconds']}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in rows)


def pool_value(text: str) -> int | None:
    if text == "repo":
        return None
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("the pool is a number of kernels (0 or more) or 'repo'")
    return value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=25)
    ap.add_argument("--client", action="append", choices=["protocol", "browser"],
                    help="protocol (the server's side only) or browser (real Chromium contexts); default both")
    ap.add_argument("--pool", action="append", type=pool_value, metavar="N|repo",
                    help="kernels preheated for the self-checks page, or 'repo' for the repository's settings "
                         "(default: as many as learners)")
    ap.add_argument("--spread", type=float, default=0.0, metavar="S",
                    help="start the learners evenly over S seconds (default 0: all at once)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "load.json"))
    ap.add_argument("--table", nargs="+", metavar="FILE", help="only print the table of these earlier results")
    args = ap.parse_args(argv)
    if args.table:
        runs = [r for f in args.table for r in json.loads(Path(f).read_text(encoding="utf-8"))["runs"]]
        print(table(runs))
        return 0
    stop_on_sigterm()
    started = datetime.now(timezone.utc)
    runs = []
    for client in args.client or ["protocol", "browser"]:
        for pool in args.pool or [args.learners]:
            runs.append(run_one(args, client, pool))
            print(f"{client}, pool {runs[-1]['pool']}: p95 {runs[-1]['time_to_interactive']['p95']} s, "
                  f"{runs[-1]['errors']} errors", flush=True)
    result = {"generated": started.isoformat(timespec="seconds"), "learners": args.learners, "page": PAGE,
              "machine": {"cpus": os.cpu_count()}, "goal": {"errors": 0, "p95_time_to_interactive_seconds": GOAL_P95},
              "runs": runs, "meets_goal": all(r["meets_goal"] for r in runs)}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(runs))
    print(f"wrote {out}")
    return 0 if result["meets_goal"] else 1


if __name__ == "__main__":
    sys.exit(main())
