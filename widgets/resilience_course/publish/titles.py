"""Each course page's ``<title>``, from the course outline: :func:`page_title`, and the nbconvert
preprocessor ``PageTitle`` (built by :func:`_page_title_class` on first use, through
``resilience_course.publish.server``, so that nbconvert is not imported before it is needed).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["page_title"]


def page_title(name: str, root: str | Path | None = None) -> str:
    """The ``<title>`` for the notebook called *name* (no folder, no ``.ipynb``), or ``""`` if unknown.

    Sections read "Section title - Module N - course", tools "Tool - course", home the course title.
    """
    from ..core.course import load_outline

    outline = load_outline(root)
    course = outline.title
    if f"{name}.ipynb" == Path(outline.home).name:
        return course
    for tool in outline.tools:
        if Path(tool["path"]).stem == name:
            return f"{tool['title']} - {course}"
    for module in outline.modules:
        for sec in module.sections:
            if Path(sec.path).stem == name:
                title = module.title if sec.id.endswith(".00") else sec.title
                return f"{title} - Module {module.number} - {course}"
    return ""


def _page_title_class():
    from nbconvert.preprocessors import Preprocessor

    class PageTitle(Preprocessor):
        """nbconvert preprocessor: set ``metadata.title`` (the page ``<title>``) from the course outline."""

        def preprocess(self, nb, resources):
            name = (resources or {}).get("metadata", {}).get("name", "")
            try:
                title = page_title(name) if name else ""
            except Exception:  # a title is never worth a broken page
                self.log.warning("no page title for %s", name, exc_info=True)
                title = ""
            if title:
                nb.metadata["title"] = title
            return nb, resources

    PageTitle.__module__ = "resilience_course.publish.server"
    return PageTitle
