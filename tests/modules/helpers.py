"""What the per-module content tests share: the module list from course/course.yml and notebook readers."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import nbformat
from resilience_course.core.course import load_outline

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT.parent / "shared" / "source" / "resilience-framework-guide.txt"
IMPORT = "import resilience_course as rc"
#: Every module of the course, read from course/course.yml (never a hard-coded list).
MODULE_IDS = [m.id for m in load_outline(ROOT).modules]


def module(mid: str):
    return load_outline(ROOT).module(mid)


@lru_cache(maxsize=64)
def _read(path: str):
    return nbformat.read(path, as_version=4)


def notebooks(mid: str) -> list[tuple[object, object]]:
    """(section, notebook) for every section of module *mid*, in order."""
    return [(s, _read(str(ROOT / s.path))) for s in module(mid).sections]


def code_cells(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def rc_calls(nb) -> list[tuple[str, list]]:
    """Every ``rc.name(...)`` call in the notebook's code cells, with its literal positional arguments."""
    out = []
    for src in code_cells(nb):
        for node in ast.walk(ast.parse(src)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "rc"):
                out.append((node.func.attr, [ast.literal_eval(a) for a in node.args]))
    return out


def guide_raw() -> str | None:
    return GUIDE.read_text(encoding="utf-8") if GUIDE.is_file() else None


def norm(text: str) -> str:
    """Lower case, hyphens as spaces, one space between words (tables in the source are flattened)."""
    return re.sub(r"\s+", " ", text.lower().replace("-", " ").replace("’", "'")).strip()
