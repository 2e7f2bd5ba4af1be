"""The hub's own environment, somewhere every account can read (default ``/opt/resilience-course``).

People's servers run as their own Unix accounts, so nothing they need may live in root's home or in
a private clone. :func:`ensure` builds, idempotently (a stamp file per part; a second run takes a
second or two):

* ``venv/``: a virtual environment with JupyterHub and the course (``pip install .[hub]``,
  non-editable: a copy of the course package);
* ``node/``: configurable-http-proxy from npm (``npm install --prefix``, never global);
* ``site/``: a read-only copy of ``course/`` and ``modules/``, the only folders learners' pages render;
* ``assessments/``: the quiz sources with their answer keys (root only, 0700), copied into each
  trainer's home when their server first starts.

``python -m resilience_course.hub.install [--prefix DIR] [--source CLONE]`` runs it (``make hub-install``).
:func:`missing` says what a hub still lacks, in words.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import DEFAULT_PREFIX

__all__ = ["ensure", "missing", "source_root", "CHP_VERSION", "MIN_NODE"]

CHP_VERSION = "^5.0.0"
MIN_NODE = 20
PACKAGE_FILES = ["pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md"]


def source_root() -> Path:
    """The clone this package comes from (its ``pyproject.toml``), or the course root."""
    for folder in Path(__file__).resolve().parents:
        if (folder / "pyproject.toml").is_file() and (folder / "widgets").is_dir():
            return folder
    raise SystemExit("Cannot find the course's source (pyproject.toml): pass --source")


def world_usable(path: str | Path) -> bool:
    """Whether every account can run *path*: it and each folder above it are open to others."""
    real = Path(os.path.realpath(path))
    try:
        if not real.stat().st_mode & 0o001:
            return False
        return all(parent.stat().st_mode & 0o001 for parent in real.parents)
    except OSError:
        return False


def base_python() -> str:
    """A Python (3.10 or newer) every account can run: the venv's interpreter must be, not root's pyenv."""
    candidates = [os.environ.get("RC_HUB_PYTHON", ""), "/usr/bin/python3", "/usr/local/bin/python3",
                  sys.executable]
    for candidate in filter(None, candidates):
        if not (os.path.exists(candidate) and world_usable(candidate)):
            continue
        proc = subprocess.run([candidate, "-c", "import sys, venv, ensurepip; print(sys.version_info >= (3, 10))"],
                              capture_output=True, text=True)
        if proc.stdout.strip() == "True":
            return candidate
    raise SystemExit("No Python 3.10+ with venv that every account can run was found (root's own Python "
                     "cannot be used: people's servers run as their own accounts). On Debian or Ubuntu: "
                     "apt-get install python3 python3-venv; or set RC_HUB_PYTHON.")


def _venv_usable(prefix: Path) -> bool:
    python = prefix / "venv" / "bin" / "python"
    return python.exists() and world_usable(python)


def _digest(paths: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for f in files:
            rel = f.relative_to(base).as_posix()
            if "__pycache__" in rel or ".ipynb_checkpoints" in rel or rel.endswith(".pyc"):
                continue
            h.update(rel.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _stamp_ok(prefix: Path, name: str, digest: str) -> bool:
    stamp = prefix / f".stamp-{name}"
    return stamp.exists() and stamp.read_text().strip() == digest


def _stamp(prefix: Path, name: str, digest: str) -> None:
    (prefix / f".stamp-{name}").write_text(digest + "\n")


def _run(argv: list[str], log) -> None:
    log("  $ " + " ".join(argv))
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode:
        out = "\n".join(line for line in (proc.stdout + proc.stderr).splitlines() if "is ignored" not in line)
        raise SystemExit(f"{' '.join(argv[:3])} ... failed:\n{out[-4000:]}")


def node_version() -> int | None:
    node = shutil.which("node")
    if not node:
        return None
    out = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
    try:
        return int(out.split(".")[0])
    except ValueError:
        return None


def _package_copy(source: Path, into: Path) -> Path:
    """The files pip needs to build the course, copied out of the clone (pip builds in place)."""
    for name in PACKAGE_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, into / name)
    shutil.copytree(source / "widgets", into / "widgets",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    return into


def _copy_tree(src: Path, dest: Path, mode_dirs: int = 0o755) -> None:
    """Replace *dest* by a copy of *src* (written beside it, then swapped in)."""
    tmp = dest.with_name(dest.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc"))
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
    os.chmod(dest, mode_dirs)


def _readable(path: Path) -> None:
    subprocess.run(["chmod", "-R", "a+rX,go-w", str(path)], check=True)


def ensure(prefix: str | Path = DEFAULT_PREFIX, source: str | Path | None = None, log=print) -> Path:
    """Build or update the hub environment in *prefix* from the clone *source*; return *prefix*."""
    prefix = Path(prefix)
    source = Path(source) if source else source_root()
    prefix.mkdir(parents=True, exist_ok=True)
    os.chmod(prefix, 0o755)
    python = prefix / "venv" / "bin" / "python"

    # 1. the virtual environment: JupyterHub, the culler, NativeAuthenticator and the course's own needs
    deps = _digest([source / "pyproject.toml"], source)
    code = _digest([source / "widgets" / "resilience_course", source / "pyproject.toml"], source)
    if not _venv_usable(prefix):
        log(f"Creating the hub's virtual environment in {prefix / 'venv'}")
        shutil.rmtree(prefix / "venv", ignore_errors=True)
        _run([base_python(), "-m", "venv", str(prefix / "venv")], log)
        (prefix / ".stamp-deps").unlink(missing_ok=True)
    if not (_stamp_ok(prefix, "deps", deps) and _stamp_ok(prefix, "code", code)):
        with tempfile.TemporaryDirectory(prefix="rc-hub-build-") as tmp:
            pkg = _package_copy(source, Path(tmp))
            if not _stamp_ok(prefix, "deps", deps):
                log("Installing JupyterHub and the course (a few minutes the first time)")
                _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                      "setuptools>=68", "wheel", f"{pkg}[hub]"], log)
            else:
                log("Updating the course package in the hub environment")
            _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                  "--no-build-isolation", "--force-reinstall", str(pkg)], log)
        _stamp(prefix, "deps", deps)
        _stamp(prefix, "code", code)
        _readable(prefix / "venv")

    # 2. configurable-http-proxy from npm, in a folder of the course's own
    chp = prefix / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not _stamp_ok(prefix, "chp", CHP_VERSION) or not chp.exists():
        version = node_version()
        if version is None or version < MIN_NODE:
            raise SystemExit(f"configurable-http-proxy needs Node.js {MIN_NODE} or newer "
                             f"(found: {version or 'none'}); install nodejs and npm, then run this again")
        log("Installing configurable-http-proxy from npm")
        _run(["npm", "install", "--prefix", str(prefix / "node"), "--no-audit", "--no-fund", "--loglevel=error",
              f"configurable-http-proxy@{CHP_VERSION}"], log)
        _stamp(prefix, "chp", CHP_VERSION)
        _readable(prefix / "node")

    # 3. the course pages (read-only for everyone) and the quiz sources (root only)
    site = _digest([source / "course", source / "modules"], source)
    if not _stamp_ok(prefix, "site", site) or not (prefix / "site").is_dir():
        log("Copying course/ and modules/ into the hub's site folder")
        tmp = prefix / "site.build"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for name in ("course", "modules"):
            shutil.copytree(source / name, tmp / name,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        _copy_tree(tmp, prefix / "site")
        shutil.rmtree(tmp, ignore_errors=True)
        _readable(prefix / "site")
        _stamp(prefix, "site", site)
    quiz_parts = [p for p in (source / "assessments" / "source", source / "assessments" / "templates",
                              source / "assessments" / "nbgrader_config.py") if p.exists()]
    quizzes = _digest(quiz_parts, source)
    if quiz_parts and (not _stamp_ok(prefix, "assessments", quizzes) or not (prefix / "assessments").is_dir()):
        log("Copying the quiz sources (answer keys: root only)")
        tmp = prefix / "assessments.build"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for part in quiz_parts:
            (shutil.copytree if part.is_dir() else shutil.copy2)(part, tmp / part.name)
        _copy_tree(tmp, prefix / "assessments", mode_dirs=0o700)
        shutil.rmtree(tmp, ignore_errors=True)
        _stamp(prefix, "assessments", quizzes)
    (prefix / "hubs").mkdir(exist_ok=True)
    os.chmod(prefix / "hubs", 0o755)
    return prefix


def missing(prefix: str | Path = DEFAULT_PREFIX) -> list[str]:
    """What the hub in *prefix* still lacks, in words (empty when it can start)."""
    prefix = Path(prefix)
    problems = []
    python = prefix / "venv" / "bin" / "python"
    if not python.exists():
        problems.append(f"no hub environment in {prefix / 'venv'}")
    elif not world_usable(python):
        problems.append(f"the Python of {prefix / 'venv'} is not usable by every account (it lives in "
                        f"{os.path.realpath(python)}): run `make hub-install` again to rebuild it")
    else:
        for module, what in (("jupyterhub", "JupyterHub"), ("nativeauthenticator", "NativeAuthenticator"),
                             ("jupyterhub_idle_culler", "jupyterhub-idle-culler"), ("voila", "Voila"),
                             ("nbgrader", "nbgrader"), ("resilience_course", "the course package")):
            if subprocess.run([str(python), "-c", f"import {module}"], capture_output=True).returncode:
                problems.append(f"{what} is not installed in {prefix / 'venv'}")
    if not (prefix / "node" / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        problems.append(f"configurable-http-proxy (npm) is not installed in {prefix / 'node'}")
    version = node_version()
    if version is None or version < MIN_NODE:
        problems.append(f"Node.js {MIN_NODE} or newer is needed for configurable-http-proxy "
                        f"(found: {version or 'none'})")
    if not (prefix / "site" / "course" / "course.yml").is_file():
        problems.append(f"the course pages are not in {prefix / 'site'}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m resilience_course.hub.install",
                                     description="Build or update the cohort server's environment.")
    parser.add_argument("--prefix", default=os.environ.get("RC_HUB_PREFIX", DEFAULT_PREFIX))
    parser.add_argument("--source", help="the course clone (default: the one this package comes from)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    ensure(args.prefix, args.source, log=(lambda *a: None) if args.quiet else print)
    problems = missing(args.prefix)
    for problem in problems:
        print(f"Missing: {problem}", file=sys.stderr)
    if not problems and not args.quiet:
        print(f"The hub environment in {args.prefix} is ready.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
