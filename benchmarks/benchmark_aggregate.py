"""Benchmark: the team report of the organisational benchmarking tool, from 100 to 10,000 response files.

For each size N the script writes N generated response files (every factor rated, about nine in
ten indicators answered, one in five with a comment, plus a few bad files that must be skipped)
into a throw-away folder, then times, as the median of ``--repeat`` runs:

* ``folder_s``: :func:`aggregate_folder`, i.e. list the folder, read every file, check it, count
  (the files were just written, so the operating system's cache is warm);
* ``memory_s``: :func:`aggregate` on the same files already in memory (checking and counting only);
* ``render_s``: the HTML report with its three charts (does not depend on N).

Wall-clock and CPU time are both recorded: on a shared machine CPU time is the steadier figure.

The goal is 10,000 files in at most 1 s (``folder_s``); it is a goal, not a test. How time grows
is summarised as the slope of log(time) against log(N): 1.0 means time grows in step with N.

Usage: ``python benchmarks/benchmark_aggregate.py [--sizes 100 1000 10000] [--repeat 5] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 1.0


def generate(folder: Path, n: int, seed: int = 2015) -> None:
    """Write *n* valid response files and a handful of bad ones into *folder*."""
    from resilience_course.benchmark import model as bm

    tool = bm.load_factors()
    rng = random.Random(seed)
    answers = list(bm.ANSWERS)
    for k in range(n):
        r = bm.new_response(tool, "north-hv", "2025 spring")
        r["response_id"] = secrets.token_hex(16)
        r["ratings"] = {f: rng.randint(1, 5) for f in tool.factor_ids}
        r["indicators"] = {i: rng.choice(answers) for i in tool.indicator_ids if rng.random() < 0.9}
        if rng.random() < 0.2:
            r["comments"] = {rng.choice(tool.factor_ids): "More protected time for supervision would help."}
        (folder / f"response-{k:05d}.json").write_bytes(bm.response_bytes(r))
    (folder / "broken.json").write_bytes(b"{")
    (folder / "photo.json").write_bytes(bytes(range(256)))
    (folder / "notes.txt").write_text("not a response", encoding="utf-8")


def median_time(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU time of *repeat* calls (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def slope(rows: list[dict], key: str) -> float | None:
    pts = [(math.log(r["files"]), math.log(r[key])) for r in rows if r[key] > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "benchmark_aggregate.json"))
    args = ap.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    from resilience_course.benchmark import model as bm

    tool = bm.load_factors()
    rows = []
    work = Path(tempfile.mkdtemp(prefix="rc-bench-aggregate-"))
    try:
        for n in args.sizes:
            folder = work / f"n{n}"
            folder.mkdir()
            t0 = time.perf_counter()
            generate(folder, n)
            gen_s = time.perf_counter() - t0
            report = bm.aggregate_folder(folder, tool)  # warm-up, and a check that it worked
            assert report.n_valid == n and len(report.skipped) == 3, (report.n_valid, report.skipped)
            files, skipped = bm.read_folder(folder)
            folder_s, folder_cpu = median_time(lambda f=folder: bm.aggregate_folder(f, tool), args.repeat)
            memory_s, memory_cpu = median_time(lambda fs=files, sk=skipped: bm.aggregate(fs, tool, skipped=sk),
                                               args.repeat)
            render_s, _ = median_time(lambda r=report: bm.report_html(r, tool), max(1, args.repeat // 2))
            size = sum(len(b) for _, b in files)
            rows.append({"files": n, "bytes": size, "generate_s": round(gen_s, 4), "folder_s": round(folder_s, 4),
                         "folder_cpu_s": round(folder_cpu, 4), "memory_s": round(memory_s, 4),
                         "memory_cpu_s": round(memory_cpu, 4), "render_s": round(render_s, 4),
                         "per_file_us": round(folder_s / n * 1e6, 1)})
            print(f"{n:>6} files ({size / 1e6:5.1f} MB): folder {folder_s:.3f} s (CPU {folder_cpu:.3f} s), "
                  f"in memory {memory_s:.3f} s (CPU {memory_cpu:.3f} s), report HTML {render_s:.3f} s, "
                  f"{folder_s / n * 1e6:.0f} us per file")
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    biggest = max(rows, key=lambda r: r["files"])
    results = {
        "what": "resilience-course benchmark aggregate: read, check and count N response files",
        "python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "repeat": args.repeat, "goal": f"{GOAL_S:g} s for 10,000 files (folder_s)",
        "sizes": rows,
        "growth_slope_folder": slope(rows, "folder_s"), "growth_slope_memory": slope(rows, "memory_s"),
        "growth_slope_folder_cpu": slope(rows, "folder_cpu_s"),
        "largest": {"files": biggest["files"], "folder_s": biggest["folder_s"],
                    "meets_goal": biggest["files"] >= 10000 and biggest["folder_s"] <= GOAL_S},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    sf, sm = results["growth_slope_folder"], results["growth_slope_memory"]
    if sf is not None:
        print(f"growth: time ~ N^{sf:.2f} (folder), N^{sm:.2f} (in memory); 1.00 = linear")
    print(f"goal {GOAL_S:g} s for 10,000 files: {'met' if results['largest']['meets_goal'] else 'NOT met'} "
          f"({biggest['files']} files in {biggest['folder_s']:.3f} s)")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
