"""``resilience-course selfcheck validate`` and ``content check``: validate content files."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.content import ContentError


def register(sub) -> None:
    p = sub.add_parser("selfcheck", help="work with self-check definition files")
    ssub = p.add_subparsers(dest="selfcheck_command", metavar="ACTION", required=True)
    v = ssub.add_parser("validate", help="check a self-check definition file (for example a licensed scale)")
    v.add_argument("file")
    v.set_defaults(func=validate_selfcheck)
    ls = ssub.add_parser("list", help="list the self-checks that come with the course")
    ls.set_defaults(func=list_selfchecks)
    c = sub.add_parser("content", help="check every content file in the course against its schema")
    c.add_argument("--root", default=None, help="the course folder (default: found from here)")
    c.set_defaults(func=check_content)


def validate_selfcheck(args) -> int:
    from ..selfcheck.model import load_definition

    try:
        d = load_definition(Path(args.file))
    except ContentError as exc:
        print(f"Not usable: {exc}", file=sys.stderr)
        return 1
    print(f"OK: {d.title} (id {d.id}, version {d.version}, {len(d.items)} items)")
    return 0


def list_selfchecks(args) -> int:
    from ..selfcheck.model import builtin_definitions, load_definition

    for sid in builtin_definitions():
        d = load_definition(sid)
        print(f"{sid}: {d.title} ({len(d.items)} items)")
    return 0


def check_content(args) -> int:
    from ..validate_all import validate_all

    problems, count = validate_all(Path(args.root) if args.root else None)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{count} content file(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0
