"""``resilience-course data``: where the learner's data is, export, import, erase."""

from __future__ import annotations

import sys

from ..core.store import ENV_VAR, Store, StoreError, store_path


def register(sub) -> None:
    p = sub.add_parser("data", help="where your course data is kept; export, import or erase it")
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    w = dsub.add_parser("where", help="show the file that holds your course data")
    w.set_defaults(func=where)
    e = dsub.add_parser("export", help="write all your course data to a JSON file")
    e.add_argument("file")
    e.set_defaults(func=export)
    i = dsub.add_parser("import", help="merge a JSON export into your course data (adds no duplicates; every "
                                       "record is checked first, and nothing is imported if one is wrong)")
    i.add_argument("file")
    i.set_defaults(func=import_)
    r = dsub.add_parser("erase", help="delete all your course data on this computer")
    r.add_argument("--yes", action="store_true", help="confirm that you want to erase everything")
    r.set_defaults(func=erase)


def _open() -> Store:
    store = Store()
    if store.notice:
        print(store.notice, file=sys.stderr)
    return store


def where(args) -> int:
    print(store_path())
    print(f"(set {ENV_VAR} to keep it somewhere else)", file=sys.stderr)
    return 0


def export(args) -> int:
    try:
        with _open() as store:
            path = store.export_file(args.file)
            counts = {k: len(v) for k, v in store.export_data().items() if isinstance(v, list)}
    except (StoreError, OSError) as exc:
        print(f"Export failed: {exc}", file=sys.stderr)
        return 1
    print(f"Exported to {path}: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()))
    print("This file holds your own reflections. Keep it private.", file=sys.stderr)
    return 0


def import_(args) -> int:
    try:
        with _open() as store:
            added = store.import_file(args.file)
    except (StoreError, OSError) as exc:
        print(f"Import failed: {exc}", file=sys.stderr)
        return 1
    print("Imported: " + ", ".join(f"{n} new {k.replace('_', ' ')}" for k, n in added.items()))
    return 0


def erase(args) -> int:
    if not args.yes:
        print("This deletes all your reflections, self-check results and progress on this computer.\n"
              "Export first if you want to keep them (resilience-course data export FILE.json).\n"
              "To erase, run: resilience-course data erase --yes", file=sys.stderr)
        return 2
    try:
        with _open() as store:
            store.erase()
    except StoreError as exc:
        print(f"Erase failed: {exc}", file=sys.stderr)
        return 1
    print(f"Erased all course data in {store_path()}.")
    return 0
