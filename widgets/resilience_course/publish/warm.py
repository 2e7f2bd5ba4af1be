"""What a spare kernel does before a page asks for it (``serve``'s :class:`WarmKernelManager`).

* :func:`~resilience_course.ui.session.warm_up`: import the course's widgets, content loaders and
  matplotlib, and draw one chart (the first chart of a process loads fonts);
* :func:`fill_cache`: once per installed version of the package, check every content file and draw
  the course's fixed figures into the on-disk cache (:mod:`resilience_course.core.cache`), so that a
  learner's *first* visit to each page (for most pages, their only visit) finds them ready.
"""

from __future__ import annotations

import logging

__all__ = ["warm_kernel", "fill_cache"]

log = logging.getLogger("resilience_course")


def fill_cache() -> int:
    """Check every content file and draw the fixed figures into the cache; returns how many were new.

    A marker file per package fingerprint makes every later call a single ``stat``. Problems are
    logged and skipped: a page with a broken file reports it itself, in plain words.
    """
    from ..core.cache import cache_dir, enabled, fingerprint

    if not enabled():
        return 0
    marker = cache_dir() / f"filled-{fingerprint()[:16]}"
    if marker.exists():
        return 0
    done = 0
    try:
        from ..core.content import load_yaml
        from ..validate_all import content_files

        for path, schema in content_files():
            try:
                load_yaml(path, schema)
                done += 1
            except Exception:
                log.debug("warm-up: %s does not load", path, exc_info=True)
        from ..pages.figures import FIGURES
        from ..support.figure import menu_figure

        for make in (*FIGURES.values(), menu_figure):
            try:
                make()
                done += 1
            except Exception:
                log.debug("warm-up: figure %s could not be drawn", make, exc_info=True)
        marker.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        marker.touch(mode=0o600)
    except Exception:  # never keep a kernel from starting
        log.debug("warm-up: the cache could not be filled", exc_info=True)
    return done


def warm_kernel() -> None:
    from ..ui.session import warm_up

    warm_up()
    fill_cache()
