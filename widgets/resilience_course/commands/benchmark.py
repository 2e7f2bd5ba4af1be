"""``resilience-course benchmark``: the organisational benchmarking tool from the command line.

* ``benchmark aggregate RESPONSES_DIR --out REPORT_DIR [--team T] [--cycle C]``: a team report
  (``report.html`` and ``report.json``) from a folder of response files.
* ``benchmark compare EARLIER LATER [--out DIR]``: two cycles of one team (each a ``report.json``
  or a folder of response files).
* ``benchmark factors``: the seven factors and their indicators.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("benchmark", help="organisational benchmarking: team reports and cycle comparisons")
    bsub = p.add_subparsers(dest="benchmark_command", metavar="ACTION", required=True)
    a = bsub.add_parser("aggregate", help="make a team report from a folder of response files")
    a.add_argument(
        "responses", metavar="RESPONSES_DIR", help="the folder holding the team's response files (.json)"
    )
    a.add_argument(
        "--out",
        required=True,
        metavar="REPORT_DIR",
        help="the folder to write report.html and report.json into (created if needed)",
    )
    a.add_argument("--team", default=None, help="the team code to report on (default: the most common one)")
    a.add_argument(
        "--cycle", default=None, help="the cycle label to report on (default: the most common one)"
    )
    a.set_defaults(func=aggregate_cmd)
    c = bsub.add_parser("compare", help="compare two cycles of the same team")
    c.add_argument(
        "earlier", metavar="EARLIER", help="the earlier report.json, or a folder of response files"
    )
    c.add_argument("later", metavar="LATER", help="the later report.json, or a folder of response files")
    c.add_argument("--team", default=None, help="the team code, when a folder holds several teams")
    c.add_argument(
        "--out", default=None, metavar="DIR", help="also write comparison.html and comparison.json here"
    )
    c.set_defaults(func=compare_cmd)
    f = bsub.add_parser("factors", help="list the seven factors and their indicators")
    f.set_defaults(func=factors_cmd)


def aggregate_cmd(args) -> int:
    from ..benchmark.model import aggregate_folder, load_factors, write_report

    tool = load_factors()
    try:
        report = aggregate_folder(args.responses, tool, team=args.team, cycle=args.cycle)
    except OSError as exc:
        print(f"Cannot read the responses: {exc}", file=sys.stderr)
        return 1
    try:
        paths = write_report(report, args.out, tool)
    except OSError as exc:
        print(f"Cannot write the report: {exc}", file=sys.stderr)
        return 1
    if report.team is None:
        print("No usable response files were found.")
    else:
        print(f"Team {report.team}, cycle {report.cycle}: {report.n_valid} valid response(s).")
    if report.enough:
        weakest = ", ".join(f.title for f in report.ranking()[:3])
        print(f"Weakest factors: {weakest}.")
    else:
        print(
            f"No results are shown for fewer than {report.threshold} responses: {report.needed} more needed."
        )
    if report.skipped:
        print(f"{len(report.skipped)} file(s) not used:", file=sys.stderr)
        for s in report.skipped:
            print(f"  {s.file}: {s.reason}", file=sys.stderr)
    print("Written: " + ", ".join(str(p) for p in paths))
    return 0


def compare_cmd(args) -> int:
    from ..benchmark.model import (
        ReportError,
        compare,
        comparison_html,
        load_factors,
        load_report,
        write_bytes,
    )

    tool = load_factors()
    try:
        earlier = load_report(args.earlier, team=args.team)
        later = load_report(args.later, team=args.team)
        cmp = compare(earlier, later, tool)
    except ReportError as exc:
        print(f"Cannot compare: {exc}", file=sys.stderr)
        return 1
    print(f"Team {cmp['team']}: {cmp['earlier']} -> {cmp['later']}")
    for note in cmp["notes"]:
        print(f"Note: {note}")
    for f in cmp["factors"]:
        print(f"  {f['number']}. {f['title']}: median {f['before']:g} -> {f['after']:g} ({f['direction']})")
    changed = [i for i in cmp["indicators"] if i["direction"] != "same"]
    print(
        f"Indicators: {sum(i['direction'] == 'improved' for i in changed)} improved, "
        f"{sum(i['direction'] == 'worse' for i in changed)} worse, "
        f"{len(cmp['indicators']) - len(changed)} the same."
    )
    if args.out:
        out = Path(args.out).expanduser()
        try:
            out.mkdir(parents=True, exist_ok=True)
            (out / "comparison.json").write_text(
                json.dumps(cmp, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            from ..core.content import package_data

            css = package_data("course.css").read_text(encoding="utf-8")
            doc = (
                f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>Benchmarking: two '
                f"cycles compared</title><style>{css}</style></head><body><main>"
                '<h1 class="rc-page">Benchmarking: two cycles compared</h1>'
                f"{comparison_html(cmp)}</main></body></html>\n"
            )
            target = out / "comparison.html"
            if target.exists():
                target.unlink()
            write_bytes(doc.encode("utf-8"), target)
        except OSError as exc:
            print(f"Cannot write the comparison: {exc}", file=sys.stderr)
            return 1
        print(f"Written: {out / 'comparison.html'}, {out / 'comparison.json'}")
    return 0


def factors_cmd(args) -> int:
    from ..benchmark.model import load_factors

    tool = load_factors()
    print(
        f"{tool.title} (version {tool.version}): {len(tool.factors)} factors, "
        f"{len(tool.indicators)} indicators"
    )
    for f in tool.factors:
        print(f"{f.number}. {f.title} ({len(f.indicators)} indicators)")
        for i in f.indicators:
            print(f"   {i.id}  {i.text}")
    return 0
