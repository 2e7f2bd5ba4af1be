"""The cohort server under load: N learners log in at once and open the home page and one section.

Starts ``resilience-course hub demo`` (a real JupyterHub with configurable-http-proxy and real Unix
accounts ``rc-b-learner-NN``; root only) from the hub environment (``make hub-install``, run first),
then drives one headless Chromium with a browser context per learner:

1. **arriving** (the issue's scenario): everybody opens the hub's login page at the same moment (the
   floor, ``floor_login_page_s.arriving``), logs in, JupyterHub starts their server, the home page
   opens, then the section. Reported: the **spawn** time (JupyterHub's own figure, "took X seconds to
   start", from its log); "Log in" pressed to the home page usable; and the **goal's figure**, time to
   interactive once the learner's own server is up: the home page from its own request (after the
   sign-in redirects) and the section, while the other learners' servers are still starting.
2. *settle*: until every server is ready, has its spare kernel and is quiet.
3. **together** (a stress test): everybody opens the login page at the same moment (that step's floor),
   then the section at the same moment; *settle*; then the home page at the same moment.
4. *settle*, then **memory**: the proportional set size (PSS: shared libraries divided between the
   processes that share them) and RSS of every process of each learner's account (server, page
   kernel, spare kernel) with the home page open; and the hub with its proxy and culler.
5. **leave**: everybody leaves the page; every kernel a page used must have ended within 30 s.

Times are taken in the page (``performance.now()``, from the start of its navigation or its own
request, to the moment it is usable: a login form ready to type in; a course page with every output
and widget drawn), so a busy test driver does not add to them. The CPU seconds used by the browser,
the learners' accounts and the hub during each step are reported too: the browser runs on the same two
cores as the hub here, which a cohort's own laptops do not. Other hosts are unreachable (a closed proxy
port, as in ``pages.py``); a request to one is an error, as is any page error, a refused page, a
timeout or a left page's kernel still running.

Goals (2 cores): 0 errors; memory per learner (PSS mean) <= 250 MB; p95 time to interactive once
servers are up (step 1) <= 3 s.

Usage (as root): ``python benchmarks/hub_load.py [--learners 25] [--timeout 300] [--out FILE]``.
Writes ``benchmarks/results/hub_load.json``; exits 0 when every goal is met, 1 when one is not, 2
when the hub could not be started, 130 when interrupted (the demo's accounts are removed either way).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import KERNEL_JS, READY_JS, other_host, percentile, summary, watch_js  # noqa: E402  (shared)
from pages import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port  # noqa: E402  (same browser, no other hosts)

PREFIX = Path(os.environ.get("RC_HUB_PREFIX", "/opt/resilience-course"))
ACCOUNTS = "rc-b-"
HOME = "voila/render/course/home.ipynb"
SECTION = "voila/render/modules/01-context-of-health-visiting/01.01-systems-around-the-family.ipynb"
GOALS = {"errors": 0, "memory_pss_mb_per_learner": 250, "tti_p95_s_servers_up": 3.0}
LEAVE_GRACE = 30  # seconds the kernels of left pages have to end

# Each page notes the moment it becomes usable itself: a course page shown with every output (widgets
# included) drawn, or the login form ready to type in
WATCH_JS = watch_js("""
        const course = () => {
            const cells = document.querySelector('#rendered_cells');
            if (!cells || cells.style.display === 'none' || document.getElementById('loading')) return false;
            if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
            return document.readyState === 'complete' && !!document.querySelector('main h1, .rc-cell-error');
        };
        const login = () => {
            const b = document.querySelector('#login_submit');
            return document.readyState === 'complete' && !!b && !b.disabled
                && !!document.querySelector('#username_input');
        };
        return course() || login();""")
# the page itself, after the sign-in redirects: from its own request (the server is up) to usable
FROM_REQUEST_JS = "() => window.__rcReadyAt - performance.getEntriesByType('navigation')[0].fetchStart"


@dataclass
class Learner:
    name: str
    password: str
    times: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    kernels: list = field(default_factory=list)  # every kernel a page of theirs used
    context: object = None
    page: object = None
    logged_in: bool = False


class Run:
    def __init__(self, url: str, token: str, timeout: float):
        self.url, self.token, self.timeout_ms = url, token, timeout * 1000
        self.spares_seen: bool | None = None  # whether the servers keep spare kernels (known after a settle)

    async def new_context(self, browser, learner: Learner):
        # reduced motion: the course's "Opening this page" dot pulses while a page loads, and 25 of them drawn
        # in software on the hub's own two cores took CPU from the pages (a learner's laptop draws its own)
        context = await browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
        context.set_default_timeout(self.timeout_ms)
        await context.add_init_script(WATCH_JS)
        # no request interception (it holds back the request that stops a page's kernel as it is left)
        context.on("request", lambda r: learner.errors.append(f"request to another host: {r.url}")
                   if other_host(r.url, self.url) else None)
        return context

    async def ready_at(self, page, predicate: str) -> float:
        """Seconds from the start of the page's navigation to *predicate* holding (timed in the page)."""
        await page.wait_for_function(predicate, timeout=self.timeout_ms, polling=250)
        return round(await page.evaluate("() => window.__rcReadyAt") / 1000, 3)

    async def check_page(self, learner: Learner, what: str) -> None:
        if await learner.page.locator(".rc-cell-error").count():
            learner.errors.append(f"{what}: the page shows an error")
        kernel = await learner.page.evaluate(KERNEL_JS)
        if kernel:
            learner.kernels.append(kernel)

    async def prepare(self, browser, learner: Learner) -> None:
        """A browser context and a blank page for *learner*, made before the step that uses them (a new
        context costs the browser a quarter of a CPU-second: 25 at once would weigh on the first page)."""
        learner.context = context = await self.new_context(browser, learner)
        learner.page = page = await context.new_page()
        page.on("pageerror", lambda e: learner.errors.append(f"page error on {page.url}: {str(e)[:300]}"))

    async def login(self, learner: Learner) -> None:
        page = learner.page
        await page.goto(f"{self.url}/hub/login", wait_until="commit")
        learner.times["floor_cold"] = await self.ready_at(page, READY_JS)
        await page.fill("#username_input", learner.name)
        await page.fill("#password_input", learner.password)
        t0 = time.monotonic()
        await page.click("#login_submit")
        await page.wait_for_url(f"**/user/{learner.name}/{HOME}", timeout=self.timeout_ms, wait_until="commit")
        await page.wait_for_function(READY_JS, timeout=self.timeout_ms, polling=250)
        learner.times["login_to_home"] = round(time.monotonic() - t0, 3)
        learner.times["home_first"] = round(await page.evaluate(FROM_REQUEST_JS) / 1000, 3)
        learner.logged_in = True
        await self.check_page(learner, "home page (first)")

    async def floor(self, page, learner: Learner) -> None:
        await page.goto(f"{self.url}/hub/login", wait_until="commit")
        learner.times["floor"] = await self.ready_at(page, READY_JS)

    async def open(self, learner: Learner, path: str, key: str) -> None:
        response = await learner.page.goto(f"{self.url}/user/{learner.name}/{path}", wait_until="commit")
        if response is None or response.status != 200:
            raise RuntimeError(f"{path} answered {response.status if response else 'nothing'}")
        learner.times[key] = await self.ready_at(learner.page, READY_JS)
        await self.check_page(learner, key)

    async def leave(self, learner: Learner) -> None:
        await learner.page.goto("about:blank")  # as a learner leaves: the page asks for its kernel to end
        await learner.context.close()
        learner.context = learner.page = None


async def wave(learners: list[Learner], what: str, make) -> None:
    """Everybody does *make(learner)* at the same moment (learners whose earlier step failed sit it out)."""
    await asyncio.gather(*(step(lr, what, make(lr)) for lr in learners))


async def step(learner: Learner, what: str, coro) -> None:
    """Run one learner's *coro*; a failure is an error in the report, and the run goes on."""
    try:
        await coro
    except Exception as exc:  # noqa: BLE001
        learner.errors.append(f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")


def has_spare(learner: Learner) -> bool:
    """Whether a kernel no page of theirs has used is running for *learner* (the spare, ready or starting)."""
    used = {f"kernel-{k}.json" for k in learner.kernels}
    return any(not any(u in cmd for u in used) for cmd in kernel_processes(learner.name))


async def settle(run: Run, learners: list[Learner], timeout: float = 240, threshold: float = 10.0) -> dict:
    """Wait until every learner's server is ready, has its spare kernel, and is quiet: their servers and
    kernels together use under *threshold* % of one core (as while the room reads the page)."""
    import requests

    t0 = time.monotonic()
    names = {lr.name for lr in learners}
    ready: set = set()
    while len(ready) < len(names) and time.monotonic() - t0 < timeout:
        users = requests.get(f"{run.url}/hub/api/users", headers={"Authorization": f"token {run.token}"}, timeout=60)
        ready = {u["name"] for u in users.json() if (u.get("servers") or {}).get("", {}).get("ready")} & names
        await asyncio.sleep(1)
    uids = {account_uid(n) for n in names}
    await quiet(uids, threshold, t0 + timeout)
    # a server that keeps a spare kernel starts the next one some seconds after a page took it (the hub:
    # 30 s): wait until each has its spare, and is quiet again (a server without spares never gets one:
    # after the first wait without any, do not wait again)
    deadline = min(time.monotonic() + (60 if run.spares_seen is not False else 0), t0 + timeout)
    while not all(has_spare(lr) for lr in learners) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    calm = await quiet(uids, threshold, t0 + timeout)
    spares = sum(has_spare(lr) for lr in learners)
    run.spares_seen = bool(spares)
    return {"seconds": round(time.monotonic() - t0, 1), "servers_ready": len(ready), "spares": spares, "quiet": calm}


async def quiet(uids: set[int], threshold: float, deadline: float, samples: int = 4) -> bool:
    """Wait until the processes of *uids* use under *threshold* % of one core for *samples* half-seconds."""
    import psutil

    watched: dict[int, psutil.Process] = {}
    calm = 0
    while calm < samples and time.monotonic() < deadline:
        for p in psutil.process_iter(["uids"]):
            if p.pid not in watched and p.info["uids"] and p.info["uids"].real in uids:
                watched[p.pid] = p
                p.cpu_percent(None)
        await asyncio.sleep(0.5)
        busy = 0.0
        for pid, p in list(watched.items()):
            try:
                busy += p.cpu_percent(None)
            except psutil.Error:
                watched.pop(pid)
        calm = calm + 1 if busy < threshold else 0
    return calm >= samples


def account_uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid


def account_processes(name: str) -> list:
    import psutil
    from resilience_course.hub import accounts

    out = []
    for pid in accounts.pids_of(name):
        try:
            out.append(psutil.Process(pid))
        except psutil.Error:
            continue
    return out


def memory(processes: list) -> dict:
    """PSS and RSS of *processes* together, and PSS by kind (the server, each kernel)."""
    import psutil

    pss = rss = 0.0
    kinds: dict[str, list[float]] = {}
    for p in processes:
        try:
            info = p.memory_full_info()
            kind = "kernels" if "ipykernel" in " ".join(p.cmdline()) else "server"
        except psutil.Error:
            continue
        pss += info.pss / 2**20
        rss += info.rss / 2**20
        kinds.setdefault(kind, []).append(round(info.pss / 2**20, 1))
    return {"pss_mb": round(pss, 1), "rss_mb": round(rss, 1), "processes": len(processes), "pss_by_kind_mb": kinds}


def kernel_processes(name: str) -> list[str]:
    """The command lines of the kernels running as *name*."""
    found = []
    for p in account_processes(name):
        try:
            cmd = " ".join(p.cmdline())
        except Exception:
            continue
        if "ipykernel" in cmd:
            found.append(cmd)
    return found


def cpu_seconds(uids: set[int]) -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each process of the run: the browser, the learners' accounts, the hub."""
    import psutil

    out = {}
    for p in psutil.process_iter(["uids", "name", "cmdline", "cpu_times"]):
        try:
            cmd, times = " ".join(p.info["cmdline"] or [])[:300], p.info["cpu_times"]
            if p.info["uids"] and p.info["uids"].real in uids:
                kind = "learners"
            elif "chrom" in (p.info["name"] or ""):
                kind = "browser"
            elif any(w in cmd for w in ("jupyterhub", "configurable-http-proxy")):
                kind = "hub_and_proxy"
            else:
                continue
            out[p.pid] = (kind, times.user + times.system)
        except (psutil.Error, TypeError, AttributeError):
            continue
    return out


class Waves:
    """Runs each step for every learner at once, and notes the CPU each part of the system used meanwhile."""

    def __init__(self, learners: list[Learner]):
        self.uids = {account_uid(lr.name) for lr in learners}
        self.cpu: dict[str, dict] = {}

    async def __call__(self, what: str, learners: list[Learner], make) -> None:
        before, t0 = cpu_seconds(self.uids), time.monotonic()
        await wave(learners, what, make)
        after, used = cpu_seconds(self.uids), {}
        for pid, (kind, seconds) in after.items():
            used[kind] = used.get(kind, 0.0) + seconds - before.get(pid, (kind, 0.0))[1]
        self.cpu[what] = {"wall_s": round(time.monotonic() - t0, 1), **{k: round(v, 1) for k, v in used.items()}}


async def drive(info: dict, names: list[str], timeout: float) -> dict:
    from playwright.async_api import async_playwright

    run = Run(info["url"], info["api_token"], timeout)
    learners = [Learner(n, info["users"][n]) for n in names]
    waves = Waves(learners)
    result: dict = {"learners": learners, "settle": {}, "cpu_s": waves.cpu}
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C or kill: close the browser, then stop the demo
        loop.add_signal_handler(sig, task.cancel)

    async def arrive(lr):  # log in, the home page, then at once the section (as the issue describes)
        await run.login(lr)
        await run.open(lr, SECTION, "section_on_arrival")

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await wave(learners, "prepare", lambda lr: run.prepare(browser, lr))
            await waves("login", learners, arrive)
            up = [lr for lr in learners if lr.logged_in]
            result["settle"]["after_login"] = await settle(run, up)
            signed_out = [await run.new_context(browser, lr) for lr in learners]  # the floor's: not signed in
            blank = [await context.new_page() for context in signed_out]
            await waves("floor", learners, lambda lr: run.floor(blank[learners.index(lr)], lr))
            for context in signed_out:
                await context.close()
            await waves("section", up, lambda lr: run.open(lr, SECTION, "section"))
            result["settle"]["after_section"] = await settle(run, up)
            await waves("home", up, lambda lr: run.open(lr, HOME, "home"))
            result["settle"]["before_memory"] = await settle(run, up)
            result["memory"] = {lr.name: memory(account_processes(lr.name)) for lr in learners}
            await waves("leave", [lr for lr in learners if lr.context is not None], run.leave)
            result["left_behind"] = await left_behind(learners)
        finally:
            await asyncio.wait_for(asyncio.shield(browser.close()), 60)
    return result


async def left_behind(learners: list[Learner]) -> dict:
    """The kernels of left pages still running after :data:`LEAVE_GRACE` seconds (each is an error)."""
    deadline = time.monotonic() + LEAVE_GRACE
    while True:
        running = {lr.name: [k for k in lr.kernels if any(f"kernel-{k}.json" in c for c in kernel_processes(lr.name))]
                   for lr in learners}
        running = {n: ks for n, ks in running.items() if ks}
        if not running or time.monotonic() > deadline:
            break
        await asyncio.sleep(1)
    for lr in learners:
        for k in running.get(lr.name, []):
            lr.errors.append(f"the kernel {k} of a page they left is still running after {LEAVE_GRACE} s")
    return {"page_kernels_still_running": sum(len(v) for v in running.values()),
            "kernels_running_per_learner": {lr.name: len(kernel_processes(lr.name)) for lr in learners}}


def spawn_times(log: Path) -> dict[str, float]:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return {}
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"User (\S+?) took ([\d.]+) seconds to start", text)}


LOG_EVENTS = {  # what the servers' log says about their kernels (publish/kernels.py, jupyter_server)
    "pages_given_a_spare_kernel": r"Using a spare kernel",
    "pages_that_did_not_wait_for_a_spare": r"The spare kernel is not ready yet",
    "kernels_started": r"Kernel started: ",
    "kernels_that_died": r"Kernel \S+ died",
}


def log_events(log: Path) -> dict[str, int]:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return {}
    return {key: len(re.findall(pattern, text)) for key, pattern in LOG_EVENTS.items()}


def mean_of(mem: dict, kind: str) -> float | None:
    values = [v for m in mem.values() for v in (m.get("pss_by_kind_mb") or {}).get(kind, [])]
    return round(statistics.mean(values), 1) if values else None


def report(args, result: dict, spawn: dict, hub_memory: dict, load_before: list) -> dict:
    learners: list[Learner] = result["learners"]

    def times(key):
        return [lr.times[key] for lr in learners if key in lr.times]

    arrival = times("home_first") + times("section_on_arrival")  # the goal's figure: each learner's own server up
    floor, section, home = times("floor"), times("section"), times("home")
    together = section + home
    mem = result.get("memory", {})
    pss = [m["pss_mb"] for m in mem.values() if m["processes"]]
    rss = [m["rss_mb"] for m in mem.values() if m["processes"]]
    errors = {lr.name: lr.errors for lr in learners if lr.errors}
    n_errors = sum(len(e) for e in errors.values())
    missing = [lr.name for lr in learners if "home" not in lr.times]
    met = {"errors": n_errors == GOALS["errors"] and not missing,
           "memory_pss_mb_per_learner": bool(pss) and statistics.mean(pss) <= GOALS["memory_pss_mb_per_learner"],
           "tti_p95_s_servers_up": bool(arrival) and percentile(arrival, 0.95) <= GOALS["tti_p95_s_servers_up"]}

    def ratios(values, floor_values):
        base = percentile(floor_values, 0.5)
        return {q: round(percentile(values, v) / base, 2) if values and base else None
                for q, v in (("p50", 0.5), ("p95", 0.95))}

    return {
        "benchmark": "hub_load", "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_before": load_before,
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "learners": args.learners, "pages": {"home": HOME, "section": SECTION},
        "errors": n_errors, "learners_without_a_page": missing, "error_details": errors,
        "floor_login_page_s": {"arriving": summary(times("floor_cold")), "together": summary(floor)},
        "spawn_s": summary(list(spawn.values())),
        "login_to_home_interactive_s": summary(times("login_to_home")),
        "tti_once_server_up_s": {"home_first": summary(times("home_first")),
                                 "section": summary(times("section_on_arrival")), "all": summary(arrival),
                                 "ratio_to_floor_p50": ratios(arrival, times("floor_cold")),
                                 "note": "the goal's figure: everybody logged in at once; each page timed from its "
                                         "own request (the learner's server up) to usable, while the others' "
                                         "servers were still starting"},
        "tti_together_s": {"section": summary(section), "home": summary(home), "all": summary(together),
                           "ratio_to_floor_p50": ratios(together, floor),
                           "note": "stress: every server up, everybody opens the same page at the same moment "
                                   "(the floor: everybody opens the login page at once)"},
        "memory_per_learner_mb": {"pss_mean": round(statistics.mean(pss), 1) if pss else None,
                                  "pss_max": max(pss) if pss else None,
                                  "rss_mean": round(statistics.mean(rss), 1) if rss else None,
                                  "rss_max": max(rss) if rss else None,
                                  "server_pss_mean": mean_of(mem, "server"), "kernel_pss_mean": mean_of(mem, "kernels"),
                                  "note": "every process of the learner's account (server, the home page's kernel, "
                                          "the spare kernel) with the home page open"},
        "memory_hub_proxy_culler_mb": hub_memory,
        "kernels_after_leaving": result.get("left_behind"),
        "servers_log": result.get("log_events"),
        "settle": result.get("settle"),
        "cpu_seconds_by_step": result.get("cpu_s"),
        "goals": GOALS, "goals_met": met, "all_goals_met": all(met.values()),
        "per_learner": {lr.name: {"times": lr.times, "errors": lr.errors, "memory": mem.get(lr.name)}
                        for lr in learners},
    }


def remove_leftovers() -> None:
    """Accounts of an earlier run that was killed before it could clean up."""
    import pwd

    from resilience_course.hub import accounts

    for entry in pwd.getpwall():
        if entry.pw_name.startswith(ACCOUNTS) and accounts.is_ours(entry.pw_name):
            accounts.remove(entry.pw_name, delete_data=True)


def stop(demo: subprocess.Popen) -> None:
    if demo.poll() is None:
        demo.send_signal(signal.SIGTERM)  # the demo stops the hub and removes its accounts and homes
        try:
            demo.wait(300)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=25)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=300, help="seconds any one step may take (default 300)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "hub_load.json"))
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hub_load.py needs root: it creates real Unix accounts (through `resilience-course hub demo`)")
        return 2
    sys.path.insert(0, str(ROOT / "widgets"))
    from resilience_course.hub import install

    install.ensure(PREFIX, ROOT, log=lambda *a: None)
    remove_leftovers()
    load_before = [round(x, 2) for x in os.getloadavg()]
    state = Path(tempfile.mkdtemp(prefix="rc-hub-load-"))
    log = state / "demo.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESILIENCE_COURSE", "JUPYTER", "VIRTUAL_ENV"))}
    with open(log, "wb") as out:
        demo = subprocess.Popen([str(PREFIX / "venv/bin/resilience-course"), "hub", "demo", "--port",
                                 str(args.port or free_port()), "--learners", str(args.learners), "--state", str(state),
                                 "--account-prefix", ACCOUNTS, "--prefix", str(PREFIX)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    def interrupted(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)  # `kill` ends the run like Ctrl+C: the demo stops and cleans up
    try:
        demo_file = state / "hub-demo.json"
        deadline = time.monotonic() + 600
        while not demo_file.exists():
            if demo.poll() is not None or time.monotonic() > deadline:
                print(f"The demo hub did not start:\n{log.read_text()[-3000:]}")
                return 2
            time.sleep(0.3)
        time.sleep(0.3)
        info = json.loads(demo_file.read_text())
        names = sorted(n for n in info["users"] if "-learner-" in n)
        try:
            result = asyncio.run(drive(info, names, args.timeout))
        except asyncio.CancelledError:
            raise KeyboardInterrupt from None
        finally:
            signal.signal(signal.SIGTERM, interrupted)  # (asyncio put the default back)
        spawn = {n: s for n, s in spawn_times(state / "hub" / "jupyterhub.log").items() if n in names}
        result["log_events"] = log_events(state / "hub" / "jupyterhub.log")
        hub_log = Path(args.out).with_suffix(".hub.log")  # the hub's and servers' log, for a look afterwards
        hub_log.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(state / "hub" / "jupyterhub.log", hub_log)
        import psutil

        hub = [psutil.Process(demo.pid), *(c for c in psutil.Process(demo.pid).children(recursive=True)
                                           if c.uids().real == 0)]
        hub_memory = memory(hub)
    except KeyboardInterrupt:
        print("Interrupted: stopping the demo hub (it removes its accounts)...")
        return 130
    finally:
        stop(demo)
        shutil.rmtree(state, ignore_errors=True)
    data = report(args, result, spawn, hub_memory, load_before)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n")
    short = {k: data[k] for k in (
        "errors", "floor_login_page_s", "spawn_s", "login_to_home_interactive_s", "tti_once_server_up_s",
        "tti_together_s", "cpu_seconds_by_step", "memory_per_learner_mb",
        "memory_hub_proxy_culler_mb", "kernels_after_leaving", "goals_met")}
    print(json.dumps(short, indent=2))
    print(f"Written to {out} (the hub's log: {out.with_suffix('.hub.log')})")
    return 0 if data["all_goals_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
