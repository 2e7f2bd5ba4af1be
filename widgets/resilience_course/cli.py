"""The ``resilience-course`` command.

Sub-commands are registered by small modules listed in :data:`COMMANDS`; each has a
``register(subparsers)`` function that adds its parser and sets ``func`` to a handler that
takes the parsed arguments and returns an exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "COMMANDS"]

COMMANDS = [
    "resilience_course.commands.data",
    "resilience_course.commands.content",
    "resilience_course.commands.benchmark",
    "resilience_course.commands.serve",
    "resilience_course.commands.grades",
    "resilience_course.hub.command",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="resilience-course",
                                     description="Resilience with Compassion: course tools. Your data stays on "
                                                 "this computer.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
