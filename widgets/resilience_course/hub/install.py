"""The hub's own environment, somewhere every account can read (default ``/opt/resilience-course``).

People's servers run as their own Unix accounts, so nothing they need may live in root's home or in
a private clone. :func:`ensure` builds, idempotently (a stamp file per part; a second run takes a
second or two):

* ``venv/``: a virtual environment with JupyterHub and the course (``pip install .[hub]``,
  non-editable: a copy of the course package);
* ``node/``: configurable-http-proxy from npm (``npm install --prefix``, never global);
* ``site/``: a read-only copy of ``course/`` and ``modules/``, the only folders learners' pages render;
* ``assessments/``: the quiz sources with their answer keys (root only, 0700), copied into each
  trainer's home when their server first starts;
* ``cache/``: the course's content cache (``core/cache.py``: checked course files and the fixed
  figures), filled once here and read by every learner's kernels (readable by all, written by root
  only; it holds course material, never anything a learner wrote). Without it each learner's first
  kernel would check every content file and draw every figure itself: seconds of CPU per learner.

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

__all__ = ["ensure", "missing", "source_root", "shared_cache_ready", "CHP_VERSION", "MIN_NODE", "CACHE_STAMP"]

CHP_VERSION = "^5.0.0"
MIN_NODE = 20
PACKAGE_FILES = ["pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md"]
CACHE_STAMP = ".complete"  # in cache/: the package fingerprint and site digest it was filled for


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
    # 4. the shared content cache, for the package and the course pages just installed
    _fill_shared_cache(prefix, site, log)
    (prefix / "hubs").mkdir(exist_ok=True)
    os.chmod(prefix / "hubs", 0o755)
    return prefix


FILL = ("import json, sys\n"
        "from resilience_course.core.cache import fingerprint\n"
        "from resilience_course.publish.warm import fill_cache\n"
        "done = fill_cache()\n"
        "print(json.dumps({'fingerprint': fingerprint(), 'filled': done}))\n")


def _venv_python_json(prefix: Path, code: str, env: dict | None = None) -> dict | None:
    import json

    proc = subprocess.run([str(prefix / "venv" / "bin" / "python"), "-c", code], capture_output=True, text=True,
                          env=env, cwd=str(prefix))
    if proc.returncode:
        return None
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def _fingerprint(prefix: Path) -> str | None:
    """The installed package's cache fingerprint, as every kernel of the hub computes it."""
    found = _venv_python_json(prefix, "import json\nfrom resilience_course.core.cache import fingerprint\n"
                                      "print(json.dumps({'fingerprint': fingerprint()}))")
    return found and found.get("fingerprint")


def shared_cache_ready(prefix: str | Path, fingerprint: str) -> bool:
    """Whether ``<prefix>/cache`` was filled for the package whose cache fingerprint is *fingerprint*."""
    stamp = Path(prefix) / "cache" / CACHE_STAMP
    try:
        return stamp.read_text().split()[0] == fingerprint
    except (OSError, IndexError):
        return False


def _fill_shared_cache(prefix: Path, site_digest: str, log) -> None:
    fingerprint = _fingerprint(prefix)
    if fingerprint is None:
        log("Could not read the course package's fingerprint: the hub's kernels keep their own caches")
        return
    stamp = prefix / "cache" / CACHE_STAMP
    if stamp.exists() and stamp.read_text().split() == [fingerprint, site_digest]:
        return
    log("Filling the shared content cache (every content file checked, the fixed figures drawn)")
    tmp = prefix / "cache.build"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": str(tmp / ".matplotlib"), "RESILIENCE_COURSE_ROOT": str(prefix / "site"),
           "RESILIENCE_COURSE_CACHE_DIR": str(tmp / "cache")}
    found = _venv_python_json(prefix, FILL, env)
    if not found or found.get("fingerprint") != fingerprint or not found.get("filled"):
        shutil.rmtree(tmp, ignore_errors=True)
        log("The shared content cache could not be filled: the hub's kernels keep their own caches")
        return
    (tmp / "cache" / CACHE_STAMP).write_text(f"{fingerprint} {site_digest}\n")
    _copy_tree(tmp / "cache", prefix / "cache")
    shutil.rmtree(tmp, ignore_errors=True)
    _readable(prefix / "cache")


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
    if os.geteuid() != 0 and not os.access(Path(args.prefix).parent if not Path(args.prefix).exists()
                                           else args.prefix, os.W_OK):
        print(f"Building the hub environment in {args.prefix} needs root (every account must be able to read it "
              "and only root to change it): run it with sudo", file=sys.stderr)
        return 1
    ensure(args.prefix, args.source, log=(lambda *a: None) if args.quiet else print)
    problems = missing(args.prefix)
    for problem in problems:
        print(f"Missing: {problem}", file=sys.stderr)
    if not problems and not args.quiet:
        print(f"The hub environment in {args.prefix} is ready.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
