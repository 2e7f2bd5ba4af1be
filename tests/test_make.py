"""``make test`` on a machine that lacks what it needs (issue 13): as root it installs it from apt; anyone else
is stopped at once, before anything is built, with the one command to run.

The Makefile runs in a throw-away folder with a stand-in ``apt-get`` and ``sudo`` first on ``PATH`` (they
record that they were called and change nothing on this machine), a Chromium path that does not exist and,
where it matters, a Python without ``venv``. The unprivileged run is a real one: as root it runs as
``nobody`` (``setpriv``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORDER = '#!/bin/sh\necho "$(basename "$0") $*" >> "{log}"\n{then}\n'


@pytest.fixture
def folder():
    """A copy of the Makefile and pyproject.toml that every account can read, and a bin/ for stand-ins."""
    base = Path(tempfile.mkdtemp(prefix="rc-make-", dir="/tmp"))
    try:
        base.chmod(0o755)
        for name in ("Makefile", "pyproject.toml"):
            shutil.copy2(ROOT / name, base / name)
            (base / name).chmod(0o644)
        (base / "bin").mkdir(mode=0o755)
        (base / "log").mkdir()
        (base / "log").chmod(0o777)
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def stand_in(folder: Path, name: str, then: str = "exit 0") -> None:
    path = folder / "bin" / name
    path.write_text(RECORDER.format(log=folder / "log" / "calls", then=then))
    path.chmod(0o755)


def make(folder: Path, *args: str, unprivileged: bool = False) -> tuple[subprocess.CompletedProcess, float]:
    env = {"PATH": f"{folder / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": str(folder), "LANG": "C.UTF-8"}
    cmd = ["make", "--no-print-directory", "-C", str(folder), *args]
    if unprivileged and os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    return proc, time.monotonic() - start


def calls(folder: Path) -> list[str]:
    log = folder / "log" / "calls"
    return log.read_text().splitlines() if log.exists() else []


def test_without_root_make_test_stops_at_once_with_the_one_command_to_run(folder):
    stand_in(folder, "apt-get")
    stand_in(folder, "sudo")
    stand_in(folder, "no-venv-python", "exit 1")  # a Python whose venv module is missing
    proc, seconds = make(folder, "test", f"PYTHON={folder / 'bin' / 'no-venv-python'}",
                         f"CHROMIUM={folder / 'no-chromium'}", unprivileged=True)
    assert proc.returncode != 0
    assert seconds < 10, f"took {seconds:.1f} s"
    lines = proc.stderr.splitlines()
    assert "make test needs python3-venv chromium fonts-liberation from the system. Run this, then make test " \
           "again:" in lines, proc.stderr
    assert "    sudo apt-get update && sudo apt-get install -y python3-venv chromium fonts-liberation" in lines
    assert [c for c in calls(folder) if not c.startswith("no-venv-python")] == []  # nothing run for it
    assert not (folder / ".venv").exists(), "make went on to build the environment"


def test_without_root_a_machine_with_chromium_and_venv_is_not_stopped(folder):
    chromium = folder / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    proc, _ = make(folder, "system-deps", "PYTHON=/usr/bin/python3", f"CHROMIUM={chromium}", unprivileged=True)
    if proc.returncode and "python3-venv" in proc.stderr:
        pytest.skip("this machine's /usr/bin/python3 has no venv module")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and calls(folder) == []


def as_root(folder: Path) -> None:
    """Run the Makefile's root branch: as root already, or with a stand-in ``id`` that says uid 0."""
    if os.geteuid() != 0:
        (folder / "bin" / "id").write_text("#!/bin/sh\necho 0\n")
        (folder / "bin" / "id").chmod(0o755)


def test_as_root_chromium_comes_from_apt(folder):
    chromium = folder / "chromium"
    as_root(folder)
    stand_in(folder, "apt-get", f'case "$1" in install) printf "#!/bin/sh\\n" > {chromium}; chmod 755 {chromium};; '
                                f"esac; exit 0")
    proc, _ = make(folder, "system-deps", "PYTHON=/usr/bin/python3", f"CHROMIUM={chromium}")
    if "python3-venv" in proc.stdout:
        pytest.skip("this machine's /usr/bin/python3 has no venv module")
    assert proc.returncode == 0, proc.stderr
    assert "Installing chromium fonts-liberation from apt..." in proc.stdout
    assert calls(folder) == ["apt-get update -qq",
                             "apt-get install -y -qq --no-install-recommends chromium fonts-liberation"]


def test_as_root_an_install_that_leaves_chromium_missing_fails(folder):
    as_root(folder)
    stand_in(folder, "apt-get")  # reports success, installs nothing
    proc, _ = make(folder, "system-deps", "PYTHON=/usr/bin/python3", f"CHROMIUM={folder / 'no-chromium'}")
    assert proc.returncode != 0
    assert "still missing" in proc.stderr
    assert len(calls(folder)) == 2
