"""The cohort server under load: N learners log in at once and open the home page and one section.

Starts ``resilience-course hub demo`` (a real JupyterHub with configurable-http-proxy and real Unix
accounts ``rc-b-learner-NN``; root only) from the hub environment (``make hub-install``), then drives
one headless Chromium with a browser context per learner, all started together. Only the hub's own
address is contacted: any other request is blocked and counted as an error.

For each learner, in this order:

1. **floor**: the hub's own login page, navigation start to the form usable (the fastest page the
   hub serves, measured under the same load in the same run);
2. **spawn**: "Log in" pressed to the first request that reaches the learner's own server (the hub
   has started it: JupyterHub's spawn-pending page hands over);
3. **home**: the course home page (``/user/NAME/voila/render/course/home.ipynb``), request to
   interactive (Voila has drawn every cell and its widgets);
4. **section**: one module section, opened while the home page's kernel is still running, navigation
   start to interactive.

Time to interactive is reported for the home page (first load, so it includes the server's first
page), the section page (servers up and warm) and both together, each as p50/p95 and as a ratio to
the floor's p50. Memory: with every learner's section page open, the proportional set size (PSS:
shared libraries divided between the processes that share them) and RSS of every process of each
learner's account (their server and kernels), plus the hub and the proxy.

Usage (as root): ``python benchmarks/hub_load.py [--learners 25] [--out FILE]``
Writes ``benchmarks/results/hub_load.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import percentile  # noqa: E402  (one percentile for both load benchmarks)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("RC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-dev-shm-usage"]
PREFIX = Path(os.environ.get("RC_HUB_PREFIX", "/opt/resilience-course"))
ACCOUNTS = "rc-b-"
HOME = "voila/render/course/home.ipynb"
SECTION = "voila/render/modules/01-context-of-health-visiting/01.01-systems-around-the-family.ipynb"
TIMEOUT_MS = 600_000
GOALS = {"errors": 0, "memory_mb_per_learner": 250, "tti_p95_s_servers_up": 3.0}

RENDERED_JS = """() => {
    const cells = document.querySelector('#rendered_cells');
    if (!cells || cells.style.display === 'none' || document.getElementById('loading')) return false;
    if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
    return document.readyState === 'complete' && !!document.querySelector('main h1, .rc-cell-error');
}"""
LOGIN_READY_JS = """() => {
    const b = document.querySelector('#login_submit');
    return document.readyState === 'complete' && !!b && !b.disabled && !!document.querySelector('#username_input');
}"""


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 0.5), "p95": percentile(values, 0.95),
            "max": round(max(values), 3) if values else None}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_interactive(page, start: float) -> float:
    await page.wait_for_function(RENDERED_JS, timeout=TIMEOUT_MS, polling=50)
    await page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    return time.monotonic() - start


async def learner(name: str, password: str, url: str, browser, go: asyncio.Event, results: dict,
                  hold: asyncio.Event, ready: list) -> None:
    r = results[name] = {"errors": []}
    origin = urlsplit(url)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)

    def foreign(u: str) -> bool:
        p = urlsplit(u)
        return p.scheme not in ("data", "blob", "about") and (p.hostname, p.port) != (origin.hostname, origin.port)

    async def block(route):
        r["errors"].append(f"request to another host: {route.request.url}")
        await route.abort()

    await context.route(foreign, block)
    page = await context.new_page()
    page.on("pageerror", lambda e: r["errors"].append(f"page error: {e}"))
    own = f"/user/{name}/"
    reached: list[float] = []
    page.on("request", lambda req: reached.append(time.monotonic())
            if urlsplit(req.url).path.startswith(own) and not reached else None)
    try:
        await go.wait()
        t0 = time.monotonic()
        await page.goto(f"{url}/hub/login")
        await page.wait_for_function(LOGIN_READY_JS, timeout=TIMEOUT_MS, polling=50)
        r["floor_s"] = round(time.monotonic() - t0, 3)
        await page.fill("#username_input", name)
        await page.fill("#password_input", password)
        t1 = time.monotonic()
        home_started: list[float] = []
        page.on("request", lambda req: home_started.append(time.monotonic())
                if urlsplit(req.url).path == f"{own}{HOME}" and not home_started else None)
        await page.click("#login_submit")
        await page.wait_for_url(f"**{own}{HOME}", timeout=TIMEOUT_MS)
        r["spawn_s"] = round((reached[0] if reached else time.monotonic()) - t1, 3)
        r["home_tti_s"] = round(await wait_interactive(page, home_started[-1] if home_started else time.monotonic()), 3)
        if await page.locator(".rc-cell-error").count():
            r["errors"].append("the home page shows an error")
        t2 = time.monotonic()
        resp = await page.goto(f"{url}{own}{SECTION}")
        if resp is None or resp.status != 200:
            r["errors"].append(f"section page answered {resp.status if resp else 'nothing'}")
        r["section_tti_s"] = round(await wait_interactive(page, t2), 3)
        if await page.locator(".rc-cell-error").count():
            r["errors"].append("the section page shows an error")
    except Exception as exc:  # noqa: BLE001 - every failure is an error in the report
        r["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
    ready.append(name)
    await hold.wait()  # keep the page open until memory has been measured
    await context.close()


def memory_of(user: str) -> dict:
    import psutil

    uid = pwd.getpwnam(user).pw_uid
    pss = rss = 0.0
    procs = 0
    for p in psutil.process_iter(["uids"]):
        try:
            if p.info["uids"] and p.info["uids"].real == uid:
                info = p.memory_full_info()
                pss += info.pss / 2**20
                rss += info.rss / 2**20
                procs += 1
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return {"pss_mb": round(pss, 1), "rss_mb": round(rss, 1), "processes": procs}


def memory_of_pids(pids: list[int]) -> dict:
    import psutil

    pss = rss = 0.0
    for pid in pids:
        try:
            info = psutil.Process(pid).memory_full_info()
            pss += info.pss / 2**20
            rss += info.rss / 2**20
        except psutil.Error:
            continue
    return {"pss_mb": round(pss, 1), "rss_mb": round(rss, 1)}


async def drive(info: dict, learners: list[str]) -> tuple[dict, dict]:
    from playwright.async_api import async_playwright

    results: dict = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        go, hold = asyncio.Event(), asyncio.Event()
        ready: list = []
        tasks = [asyncio.create_task(learner(n, info["users"][n], info["url"], browser, go, results, hold, ready))
                 for n in learners]
        await asyncio.sleep(1)
        started = time.monotonic()
        go.set()  # everyone at once
        while len(ready) < len(learners):
            await asyncio.sleep(0.2)
        wall = time.monotonic() - started
        memory = {n: memory_of(n) for n in learners}
        hold.set()
        await asyncio.gather(*tasks)
        await browser.close()
    return results, {"per_learner": memory, "wall_s": round(wall, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=25)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "hub_load.json"))
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hub_load.py needs root: it creates real Unix accounts (through `resilience-course hub demo`)")
        return 2
    sys.path.insert(0, str(ROOT / "widgets"))
    from resilience_course.hub import install

    install.ensure(PREFIX, ROOT, log=lambda *a: None)
    state = Path(tempfile.mkdtemp(prefix="rc-hub-load-"))
    port = args.port or free_port()
    log = state / "demo.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESILIENCE_COURSE", "JUPYTER", "VIRTUAL_ENV"))}
    with open(log, "wb") as out:
        demo = subprocess.Popen([str(PREFIX / "venv/bin/resilience-course"), "hub", "demo", "--port", str(port),
                                 "--learners", str(args.learners), "--state", str(state), "--account-prefix",
                                 ACCOUNTS, "--prefix", str(PREFIX)], stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        demo_file = state / "hub-demo.json"
        deadline = time.monotonic() + 600
        while not demo_file.exists():
            if demo.poll() is not None or time.monotonic() > deadline:
                print(log.read_text()[-3000:])
                return 1
            time.sleep(0.3)
        time.sleep(0.3)
        info = json.loads(demo_file.read_text())
        learners = sorted(n for n in info["users"] if "-learner-" in n)
        results, memory = asyncio.run(drive(info, learners))
        hub_pids = [demo.pid]
        import psutil

        hub_pids += [c.pid for c in psutil.Process(demo.pid).children(recursive=True) if c.uids().real == 0]
        hub_memory = memory_of_pids(hub_pids)
    finally:
        if demo.poll() is None:
            demo.send_signal(signal.SIGTERM)
            try:
                demo.wait(300)
            except subprocess.TimeoutExpired:
                os.killpg(demo.pid, signal.SIGKILL)
    floor = [r["floor_s"] for r in results.values() if "floor_s" in r]
    home = [r["home_tti_s"] for r in results.values() if "home_tti_s" in r]
    section = [r["section_tti_s"] for r in results.values() if "section_tti_s" in r]
    spawn = [r["spawn_s"] for r in results.values() if "spawn_s" in r]
    errors = {n: r["errors"] for n, r in results.items() if r["errors"]}
    pss = [m["pss_mb"] for m in memory["per_learner"].values()]
    rss = [m["rss_mb"] for m in memory["per_learner"].values()]
    floor_p50 = percentile(floor, 0.5) or None

    def ratio(v):
        return round(v / floor_p50, 1) if v and floor_p50 else None

    report = {
        "benchmark": "hub_load", "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "learners": args.learners, "pages": [HOME, SECTION],
        "errors": sum(len(e) for e in errors.values()), "error_details": errors,
        "floor_login_page_s": summary(floor),
        "spawn_s": summary(spawn),
        "tti_home_first_load_s": summary(home),
        "tti_section_servers_up_s": summary(section),
        "tti_all_pages_s": summary(home + section),
        "tti_ratio_to_floor_p50": {"home_p50": ratio(percentile(home, 0.5)), "home_p95": ratio(percentile(home, 0.95)),
                                   "section_p50": ratio(percentile(section, 0.5)),
                                   "section_p95": ratio(percentile(section, 0.95))},
        "memory_per_learner_mb": {"pss_mean": round(statistics.mean(pss), 1) if pss else None,
                                  "pss_max": max(pss) if pss else None,
                                  "rss_mean": round(statistics.mean(rss), 1) if rss else None,
                                  "rss_max": max(rss) if rss else None,
                                  "note": "every process of the learner's account (server + kernels) with the "
                                          "section page open; PSS divides shared libraries fairly"},
        "memory_hub_and_proxy_mb": hub_memory,
        "wall_s": memory["wall_s"],
        "goals": GOALS,
        "per_learner": {n: {**results[n], "memory": memory["per_learner"].get(n)} for n in learners},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    short = {k: report[k] for k in ("errors", "floor_login_page_s", "spawn_s", "tti_home_first_load_s",
                                    "tti_section_servers_up_s", "memory_per_learner_mb", "memory_hub_and_proxy_mb")}
    print(json.dumps(short, indent=2))
    print(f"Written to {out}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
