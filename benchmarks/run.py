"""Foundation benchmark: package import time and notebook execution time, each against a floor.

* import: ``python -c "import resilience_course"`` (and the widget layer) against ``python -c "pass"``.
* notebooks: every notebook in ``course/`` and ``modules/`` executed with nbclient against an empty
  notebook executed the same way, in the same run, with a throw-away learner data folder.

Usage: ``python benchmarks/run.py [--repeat N] [--out FILE]``. Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def time_cmd(code: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_notebook(path: Path | None, repeat: int) -> float:
    import nbformat
    from nbclient import NotebookClient

    times = []
    for _ in range(repeat):
        if path is None:
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_code_cell("pass")]
            cwd = ROOT
        else:
            nb = nbformat.read(path, as_version=4)
            cwd = path.parent
        client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
        t0 = time.perf_counter()
        client.execute()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "foundation.json"))
    args = ap.parse_args()
    os.environ["RESILIENCE_COURSE_DATA_DIR"] = tempfile.mkdtemp(prefix="rc-bench-")
    os.environ["MPLBACKEND"] = "Agg"
    results: dict = {"python": sys.version.split()[0], "repeat": args.repeat}
    floor = time_cmd("pass", args.repeat)
    results["import"] = {
        "python_floor_s": floor,
        "import_resilience_course_s": time_cmd("import resilience_course", args.repeat),
        "import_engine_s": time_cmd("import resilience_course.selfcheck.model, resilience_course.core.store",
                                    args.repeat),
        "import_widgets_s": time_cmd("import resilience_course.selfcheck.widgets", args.repeat),
    }
    empty = run_notebook(None, args.repeat)
    notebooks = sorted(p for top in ("course", "modules") for p in (ROOT / top).rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
    rows = []
    for nb in notebooks:
        t = run_notebook(nb, args.repeat)
        rows.append({"notebook": str(nb.relative_to(ROOT)), "median_s": t, "over_empty_s": t - empty,
                     "ratio_to_empty": t / empty})
    results["notebooks"] = {"empty_notebook_s": empty, "pages": rows}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    imp = results["import"]
    print(f"python -c pass            {imp['python_floor_s']:.3f} s (floor)")
    for k in ("import_resilience_course_s", "import_engine_s", "import_widgets_s"):
        print(f"{k:<26}{imp[k]:.3f} s  (+{imp[k] - floor:.3f} s over the floor)")
    print(f"\nempty notebook            {empty:.3f} s (floor)")
    for r in rows:
        print(f"{r['notebook']:<70} {r['median_s']:.3f} s  x{r['ratio_to_empty']:.2f}")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
