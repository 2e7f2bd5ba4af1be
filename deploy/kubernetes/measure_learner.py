"""Measure one learner's server as it runs in a pod: start time and memory, on this machine.

What it starts is what the learner image runs, minus the hub: Jupyter Server with the Voila server
extension and the image's settings (deploy/kubernetes/jupyter_server_config.py, learner role), serving
the course on 127.0.0.1 with a random token. It then opens the course home page and one section
page, as an active learner does, and reports:

* ``floor_s``: a fresh Python importing Jupyter Server, timed just before each start: the floor
  that start_s is read against (it shows how busy the machine was);
* ``start_s``: from starting the server to its API answering (the part of a spawn that happens
  inside the pod; scheduling the pod and pulling the image come on top, see README.md);
* ``home_page_s``: the home page's first request, rendered with its kernel (the learner's first wait);
* ``cpu_s`` (inside each memory reading): CPU seconds the server and its kernels have used so far,
  which does not depend on how busy the machine is (it sizes the cores a cohort needs to start at once);
* memory of the server and its kernels together, as RSS and as PSS (PSS shares each library's pages
  between the processes that map them, which is closer to what a pod's memory limit counts):
  once the server answers (``started``), after the home page (``one_page``) and with a section page
  open as well (``two_pages``).

Run it from the repository root (nothing else may use the port):

    .venv/bin/python deploy/kubernetes/measure_learner.py --runs 3 [--json out.json]

It cleans up after itself (the server, its kernels and a temporary home folder).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HOME_PAGE = "course/home.ipynb"
SECTION_PAGE = "modules/02-understanding-resilience/02.01-what-is-resilience.ipynb"
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str, timeout: float = 120) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def tree_memory(pid: int) -> dict[str, float]:
    """RSS and PSS (MB) and CPU time (s) of a process and all its children (the kernels)."""
    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    rss = pss = cpu = 0.0
    for p in procs:
        try:
            info = p.memory_full_info()
            times = p.cpu_times()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        cpu += times.user + times.system + times.children_user + times.children_system
    return {"rss_mb": round(rss / MB, 1), "pss_mb": round(pss / MB, 1), "cpu_s": round(cpu, 2),
            "processes": len(procs)}


def one_run(settle: float) -> dict:
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="rc-learner-") as home:
        env = dict(os.environ, HOME=home, RC_HUB_ROLE="learners", RESILIENCE_COURSE_ROOT=str(REPO),
                   JUPYTER_CONFIG_DIR=str(Path(home) / ".jupyter"), JUPYTER_DATA_DIR=str(Path(home) / ".data"))
        env.pop("RESILIENCE_COURSE_DATA_DIR", None)
        argv = [sys.executable, "-m", "jupyter_server", f"--config={HERE / 'jupyter_server_config.py'}",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}"]
        if os.geteuid() == 0:  # a pod runs as uid 1000; on a test machine we may be root
            argv.append("--allow-root")
        floor_s = import_floor()
        log = open(Path(home) / "server.log", "wb")  # noqa: SIM115  (closed with the folder)
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError("the server stopped: " + (Path(home) / "server.log").read_text()[-2000:])
                try:
                    if get(f"{base}/api/status", token, timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                if time.perf_counter() - t0 > 180:
                    raise RuntimeError("the server did not answer within 180 s")
                time.sleep(0.05)
            start_s = time.perf_counter() - t0
            started = tree_memory(proc.pid)

            t1 = time.perf_counter()
            status, html = get(f"{base}/voila/render/{HOME_PAGE}", token)
            home_s = time.perf_counter() - t1
            if status != 200 or "<html" not in html.lower():
                raise RuntimeError(f"the home page answered {status}")
            time.sleep(settle)
            one = tree_memory(proc.pid)

            status, _ = get(f"{base}/voila/render/{SECTION_PAGE}", token)
            if status != 200:
                raise RuntimeError(f"the section page answered {status}")
            time.sleep(settle)
            two = tree_memory(proc.pid)
            # a learner's server refuses JupyterLab and the terminals (403, the cohort server's rules)
            lab_status = get(f"{base}/lab", token)[0]
            term_status = get(f"{base}/api/terminals", token)[0]
            store = Path(home) / ".local/share/resilience-course/learner.sqlite3"
            return {"floor_s": floor_s, "start_s": round(start_s, 2), "home_page_s": round(home_s, 2),
                    "started": started, "one_page": one, "two_pages": two, "lab_status": lab_status,
                    "terminals_status": term_status, "store_in_home": store.exists()}
        finally:
            stop(proc)
            log.close()


def import_floor() -> float:
    """The floor for start_s in the same run: a fresh Python importing Jupyter Server (no server started)."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import jupyter_server.serverapp"], check=True)
    return round(time.perf_counter() - t0, 2)


def stop(proc: subprocess.Popen) -> None:
    """Stop the server and its kernels (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="servers started one after another (default 3)")
    ap.add_argument("--settle", type=float, default=3.0, help="seconds to wait before reading memory (default 3)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    runs = [one_run(args.settle) for _ in range(args.runs)]

    def median(key, sub=None):
        vals = [r[key][sub] if sub else r[key] for r in runs]
        return round(statistics.median(vals), 2)

    out = {
        "what": "one learner's Jupyter Server + Voila extension (learner role), home page then one section",
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "load_1min": round(os.getloadavg()[0], 2)},
        "runs": runs,
        "median": {
            "floor_s": median("floor_s"), "start_s": median("start_s"), "home_page_s": median("home_page_s"),
            "one_page_pss_mb": median("one_page", "pss_mb"), "one_page_rss_mb": median("one_page", "rss_mb"),
            "two_pages_pss_mb": median("two_pages", "pss_mb"), "two_pages_rss_mb": median("two_pages", "rss_mb"),
            "started_rss_mb": median("started", "rss_mb"), "started_cpu_s": median("started", "cpu_s"),
            "one_page_cpu_s": median("one_page", "cpu_s"), "two_pages_cpu_s": median("two_pages", "cpu_s"),
        },
    }
    text = json.dumps(out, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
