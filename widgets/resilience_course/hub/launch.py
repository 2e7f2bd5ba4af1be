"""Each person's server on the cohort server: ``python -m resilience_course.hub.launch``.

This is ``jupyterhub-singleuser`` (JupyterHub's own single-user server, run as a Jupyter Server
extension) with one thing left out: jupyter_server's event schemas import jsonschema, which, when
``rfc3987_syntax`` is installed (jupyter-events brings it), compiles that package's IRI grammars to
offer an ``iri`` format check that nothing in a course server uses. That is about two seconds of CPU
at every server start (measured: 3.2 CPU-s to import jupyterhub-singleuser with it, 1.3 without),
and with 25 learners logging in at once it is a minute of both cores. The same is done for
``resilience-course serve`` and for the pages' kernels (see ``core/content.py``).

What each server then serves is set by :mod:`.singleuser` (``--config``, written per role by
:func:`.config.write_public`).
"""

from __future__ import annotations

import sys

__all__ = ["main", "SKIPPED_MODULES"]

SKIPPED_MODULES = ("rfc3987_syntax",)


def main(argv: list[str] | None = None):
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[assignment]  (import fails: jsonschema skips it)
    from jupyterhub.singleuser import main as singleuser

    return singleuser(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
