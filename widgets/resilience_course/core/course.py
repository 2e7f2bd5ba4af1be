"""The course outline (``course/course.yml``): modules, sections, tools, and generated navigation.

Navigation is generated from this one list, never kept by hand. A section whose notebook does
not exist yet is shown as "coming soon" rather than as a broken link.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .content import ContentError, load_yaml

__all__ = ["course_root", "Outline", "Section", "Module", "load_outline", "ROOT_ENV"]

ROOT_ENV = "RESILIENCE_COURSE_ROOT"
MARKER = Path("course") / "course.yml"


def course_root(start: str | Path | None = None) -> Path:
    """The folder that holds ``course/course.yml``.

    Looks at ``$RESILIENCE_COURSE_ROOT``, then upwards from *start* (default: the current folder),
    then upwards from this package's source (an editable install inside the repository).
    """
    env = os.environ.get(ROOT_ENV)
    if env and (Path(env) / MARKER).is_file():
        return Path(env).resolve()
    candidates = [Path(start or Path.cwd()).resolve(), Path(__file__).resolve()]
    for base in candidates:
        for folder in [base, *base.parents]:
            if (folder / MARKER).is_file():
                return folder
    raise ContentError(str(MARKER), "(file)", "the course outline cannot be found; run from inside the course "
                       f"folder or set {ROOT_ENV}")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    minutes: int
    path: str  # from the course root
    module_id: str
    root: Path

    @property
    def exists(self) -> bool:
        return (self.root / self.path).is_file()


@dataclass(frozen=True)
class Module:
    id: str
    slug: str
    title: str
    summary: str
    minutes: int
    outcomes: tuple[dict, ...]
    sections: tuple[Section, ...]
    audience: str = ""

    @property
    def folder(self) -> str:
        return f"modules/{self.slug}"

    @property
    def available(self) -> bool:
        return bool(self.sections) and self.sections[0].exists

    @property
    def number(self) -> int:
        return int(self.id)


class Outline:
    """The parsed course outline.

    Parameters
    ----------
    data : dict
        Validated content of ``course.yml``.
    root : pathlib.Path
        The course root, used to tell which notebooks exist and to build links.
    """

    def __init__(self, data: dict, root: Path, source: str = "course/course.yml"):
        self.data = data
        self.root = Path(root)
        self.title = data["title"]
        self.subtitle = data.get("subtitle", "")
        self.citation = data.get("citation", "")
        self.home = data["home"]
        self.tools = tuple(data.get("tools", ()))
        mods = []
        seen_ids: set[str] = set()
        for m_n, m in enumerate(data["modules"]):
            if m["id"] in seen_ids:
                raise ContentError(source, f"modules[{m_n}].id", f"duplicate module id {m['id']!r}")
            seen_ids.add(m["id"])
            if not m["slug"].startswith(m["id"] + "-"):
                raise ContentError(source, f"modules[{m_n}].slug", f"the slug must start with '{m['id']}-'")
            secs = []
            for s_n, s in enumerate(m["sections"]):
                if not s["id"].startswith(m["id"] + ".") or not s["file"].startswith(s["id"] + "-"):
                    raise ContentError(source, f"modules[{m_n}].sections[{s_n}]",
                                       f"section {s['id']!r} and its file must start with '{m['id']}.'")
                if s["id"] in seen_ids:
                    raise ContentError(source, f"modules[{m_n}].sections[{s_n}].id", f"duplicate id {s['id']!r}")
                seen_ids.add(s["id"])
                secs.append(Section(s["id"], s["title"], s["minutes"], f"modules/{m['slug']}/{s['file']}",
                                    m["id"], self.root))
            outcome_ids = [o["id"] for o in m["outcomes"]]
            for o_n, o in enumerate(m["outcomes"]):
                if not o["id"].startswith(f"{int(m['id'])}."):
                    raise ContentError(source, f"modules[{m_n}].outcomes[{o_n}].id",
                                       f"outcome ids of module {m['id']} start with '{int(m['id'])}.'")
            if len(set(outcome_ids)) != len(outcome_ids):
                raise ContentError(source, f"modules[{m_n}].outcomes", "duplicate outcome id")
            mods.append(Module(m["id"], m["slug"], m["title"], m["summary"], m["minutes"], tuple(m["outcomes"]),
                               tuple(secs), m.get("audience", "")))
        self.modules = tuple(mods)

    # -- look-ups -------------------------------------------------------------------------
    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(f"no module {module_id!r} in the course outline")

    def section(self, section_id: str) -> Section:
        for m in self.modules:
            for s in m.sections:
                if s.id == section_id:
                    return s
        raise KeyError(f"no section {section_id!r} in the course outline")

    def sections(self) -> list[Section]:
        return [s for m in self.modules for s in m.sections]

    def outcomes(self) -> dict[str, str]:
        return {o["id"]: o["text"] for m in self.modules for o in m.outcomes}

    def tool(self, tool_id: str) -> dict:
        for t in self.tools:
            if t["id"] == tool_id:
                return t
        raise KeyError(f"no tool {tool_id!r} in the course outline")

    def neighbours(self, section_id: str) -> tuple[Section | None, Section | None]:
        """The previous and next sections that exist, across module boundaries."""
        available = [s for s in self.sections() if s.exists or s.id == section_id]
        ids = [s.id for s in available]
        i = ids.index(section_id)
        prev = available[i - 1] if i > 0 else None
        nxt = available[i + 1] if i + 1 < len(available) else None
        return prev, nxt

    def link(self, from_path: str, to_path: str) -> str:
        """A relative URL from one course page to another (works under Voila's /voila/render/)."""
        rel = os.path.relpath(to_path, os.path.dirname(from_path) or ".")
        return rel.replace(os.sep, "/")

    def module_progress(self, module_id: str, completed: dict) -> tuple[int, int]:
        secs = [s for s in self.module(module_id).sections if s.exists]
        return sum(1 for s in secs if s.id in completed), len(secs)


@lru_cache(maxsize=4)
def _load(root: str, mtime: float) -> Outline:
    path = Path(root) / MARKER
    return Outline(load_yaml(path, "course"), Path(root), str(path))


def load_outline(root: str | Path | None = None) -> Outline:
    """Load and validate ``course/course.yml`` (cached until the file changes)."""
    root = Path(root) if root else course_root()
    path = root / MARKER
    return _load(str(root), path.stat().st_mtime)
