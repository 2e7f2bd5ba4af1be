"""Measure the learner's store for a heavy but realistic learner, to size each learner's volume.

It fills a new store through the course's own package (the same calls the pages make) with what a
very active learner could write over one three-year NMC revalidation cycle, then prints the size of
the SQLite file and of a full JSON export of it:

* every reflection prompt in course/ and modules/ answered at length (about 330 words) and edited once;
* every self-check taken every four weeks for three years (39 times each);
* a CPD log of 60 entries and 10 reflective accounts (NMC asks for 35 hours and 5 accounts);
* 20 After Action Reviews, every knowledge-check question answered three times, the module
  confidence surveys before and after, and every section marked complete.

Run it from the repository root:

    .venv/bin/python deploy/kubernetes/measure_store.py [--json out.json]

It writes only to a temporary folder, which it removes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
YEARS = 3
SELF_CHECK_EVERY_DAYS = 28
REFLECTION_CHARS = 2000
CPD_ENTRIES = 60
ACCOUNTS = 10
AARS = 20
KNOWLEDGE_ATTEMPTS = 3
WORDS = ("team caseload visit family support supervision listen notice breathe colleague manager plan week "
         "pressure calm kind honest share learn practice parent baby health hope accept change moment feel "
         "safe boundary rest walk talk trust reflect evidence session group reading time energy small step").split()
REFLECTION_CALL = re.compile(r'rc\.reflection\(\\?"(?P<module>[^"\\]+)\\?",\s*\\?"(?P<prompt>[^"\\]+)\\?"')


def text(rng: random.Random, chars: int) -> str:
    """Plain sentences of about *chars* characters (the content does not matter to SQLite, only the length)."""
    out: list[str] = []
    length = 0
    while length < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
        out.append(sentence)
        length += len(sentence) + 1
    return " ".join(out)[:chars]


def reflection_prompts(root: Path) -> list[tuple[str, str]]:
    """(module, prompt id) of every rc.reflection(...) in the course's notebooks."""
    found: dict[tuple[str, str], None] = {}
    for nb in sorted([*root.glob("course/**/*.ipynb"), *root.glob("modules/**/*.ipynb")]):
        for m in REFLECTION_CALL.finditer(nb.read_text(encoding="utf-8")):
            found[(m["module"], m["prompt"])] = None
    return list(found)


def find(name: str, *modules: str):
    """*name* from the first of the package's *modules* that has it (the package's layout may move)."""
    for module in modules:
        try:
            mod = importlib.import_module(f"resilience_course.{module}")
        except ImportError:
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
    raise ImportError(f"resilience_course has no {name} in {', '.join(modules)}: update measure_store.py")


def fill(store, root: Path, rng: random.Random) -> dict[str, int]:
    """Write the heavy learner's record through the package; returns how many of each were written."""
    import resilience_course as rc

    record = ("record.cpd_log", "record.common", "record.reflective_accounts", "record.model")
    add_entry, save_account = find("add_entry", *record), find("save_account", *record)
    CODE_THEMES, METHODS = find("CODE_THEMES", *record), find("METHODS", *record)  # noqa: N806
    score, builtin_definitions = find("score", "selfcheck.model"), find("builtin_definitions", "selfcheck.model")
    bank_path, load_bank = find("bank_path", "knowledge.model"), find("load_bank", "knowledge.model")
    save_aar = find("save_aar", "support.model", "support.aar")

    counts: dict[str, int] = {}
    today = date.today()
    start = today - timedelta(days=365 * YEARS)

    prompts = reflection_prompts(root)
    for module, prompt in prompts:
        rid = store.save_reflection(module, prompt, text(rng, REFLECTION_CHARS))
        store.update_reflection(rid, text(rng, REFLECTION_CHARS))
    counts["reflections"] = len(prompts)

    n = 0
    for definition_id in builtin_definitions():
        defn = rc.load_definition(definition_id)
        values = [v for v in defn.values if v is not None]
        day = start
        while day <= today:
            answers = {item_id: rng.choice(values) for item_id in defn.item_ids}
            result = score(defn, answers)
            store.save_selfcheck(defn.id, defn.version, result.answers, result.to_dict(), created_at=day.isoformat())
            day += timedelta(days=SELF_CHECK_EVERY_DAYS)
            n += 1
    counts["self_check_results"] = n

    themes, methods = list(CODE_THEMES), list(METHODS)
    for i in range(CPD_ENTRIES):
        hours = rng.choice([1, 1.5, 2, 3, 6, 7.5])
        add_entry(store, {"date": (start + timedelta(days=18 * i)).isoformat(), "method": rng.choice(methods),
                          "topic": text(rng, 120), "practice": text(rng, 1500), "evidence": text(rng, 600),
                          "hours": hours, "participatory_hours": rng.choice([0, hours]),
                          "themes": rng.sample(themes, 2)}, today=today)
    counts["cpd_entries"] = CPD_ENTRIES
    for i in range(ACCOUNTS):
        save_account(store, {"title": text(rng, 80), "date": (start + timedelta(days=100 * i)).isoformat(),
                             "activity": text(rng, 1500), "learned": text(rng, 1500), "changed": text(rng, 1500),
                             "code": text(rng, 1000), "themes": rng.sample(themes, 2)}, today=today)
    counts["reflective_accounts"] = ACCOUNTS
    for _ in range(AARS):
        save_aar(store, title=text(rng, 60), expected=text(rng, 800), happened=text(rng, 800),
                 difference=text(rng, 800), learned=text(rng, 800))
    counts["after_action_reviews"] = AARS

    outline = rc.load_outline(root)
    n = 0
    for module in outline.modules:
        try:
            questions = load_bank(bank_path(module.id, root), check_outcomes=False)
        except Exception:  # a module without a question bank
            continue
        for q in questions:
            for _ in range(KNOWLEDGE_ATTEMPTS):
                store.add_record("knowledge-check", {"question": q.id, "outcome": q.outcome, "selected": [0],
                                                     "verdict": rng.choice(["correct", "partly", "wrong"])},
                                 module.id)
                n += 1
        for stage in ("before", "after"):
            store.add_record("module-evaluation", {"stage": stage, "confidence": {"1": 3, "2": 4, "3": 4},
                                                   "reaction": {"useful": 4, "comment": text(rng, 400)},
                                                   "version": 1}, module.id)
            n += 1
    counts["knowledge_and_survey_records"] = n
    for section in outline.sections():
        store.mark_complete(section.id)
    counts["sections_complete"] = len(outline.sections())
    return counts


def measure(seed: int = 2015) -> dict:
    root = REPO
    with tempfile.TemporaryDirectory(prefix="rc-store-") as tmp:
        os.environ["RESILIENCE_COURSE_DATA_DIR"] = tmp
        import resilience_course as rc

        t0 = time.perf_counter()
        store = rc.Store(Path(tmp) / "learner.sqlite3")
        try:
            counts = fill(store, root, random.Random(seed))
            fill_s = time.perf_counter() - t0
            export = store.export_file(Path(tmp) / "export.json")
            sqlite_bytes = store.path.stat().st_size
            export_bytes = export.stat().st_size
        finally:
            store.close()
    return {"what": "a heavy learner's store after one three-year revalidation cycle", "written": counts,
            "sqlite_bytes": sqlite_bytes, "sqlite_mb": round(sqlite_bytes / 1024 / 1024, 2),
            "export_json_bytes": export_bytes, "export_json_mb": round(export_bytes / 1024 / 1024, 2),
            "fill_s": round(fill_s, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    out = measure()
    text_out = json.dumps(out, indent=2)
    print(text_out)
    if args.json:
        Path(args.json).write_text(text_out + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
