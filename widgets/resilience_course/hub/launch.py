"""Each person's server on the cohort server: ``python -m resilience_course.hub.launch``.

This is ``jupyterhub-singleuser`` (JupyterHub's own single-user server, run as a Jupyter Server
extension) with one thing left out: jupyter_server's event schemas import jsonschema, which, when
``rfc3987_syntax`` is installed (jupyter-events brings it), compiles that package's IRI grammars to
offer an ``iri`` format check that nothing in a course server uses. That is about two seconds of CPU
at every server start (measured: 3.2 CPU-s to import jupyterhub-singleuser with it, 1.3 without),
and with 25 learners logging in at once it is a minute of both cores. The same is done for
``resilience-course serve`` and for the pages' kernels (see ``core/content.py``).

Its kernels' connection files, and their Unix sockets (:func:`.singleuser.kernel_sockets`), go in a
folder of the server's own that only its account can open (:func:`private_runtime_dir`).

What each server then serves is set by :mod:`.singleuser` (``--config``, written per role by
:func:`.config.write_public`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile

__all__ = ["main", "private_runtime_dir", "RUNTIME_PREFIX", "SKIPPED_MODULES"]

SKIPPED_MODULES = ("rfc3987_syntax",)
RUNTIME_PREFIX = "rc-kernels-"


def private_runtime_dir() -> str:
    """A new folder for this server's runtime files (kernel connection files and sockets), set as
    ``JUPYTER_RUNTIME_DIR`` and removed when the server stops.

    ``mkdtemp`` makes it 0700 under a name nobody could have prepared; it sits in the temporary folder
    (short, and local even where homes are on a network share) rather than in the learner's home, where
    a long account name would take a kernel's socket path past the 107 bytes a Unix socket allows.
    """
    folder = tempfile.mkdtemp(prefix=RUNTIME_PREFIX)
    atexit.register(shutil.rmtree, folder, True)
    os.environ["JUPYTER_RUNTIME_DIR"] = folder
    return folder


def main(argv: list[str] | None = None):
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[assignment]  (import fails: jsonschema skips it)
    private_runtime_dir()
    from jupyterhub.singleuser import main as singleuser

    return singleuser(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
