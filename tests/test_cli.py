"""The resilience-course command, run as a learner would."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run(*args, env_dir, check=True):
    env = dict(os.environ, RESILIENCE_COURSE_DATA_DIR=str(env_dir))
    res = subprocess.run([sys.executable, "-m", "resilience_course.cli", *args], capture_output=True, text=True,
                         env=env, timeout=120)
    if check:
        assert res.returncode == 0, res.stderr
    return res


def test_where_export_import_erase(tmp_path):
    from resilience_course.core.store import Store

    data = tmp_path / "data"
    assert run("data", "where", env_dir=data).stdout.strip() == str(data / "learner.sqlite3")
    s = Store(data / "learner.sqlite3")
    s.save_reflection("01", "p", "mine")
    s.close()
    out = tmp_path / "export.json"
    res = run("data", "export", str(out), env_dir=data)
    assert "1 reflections" in res.stdout and json.loads(out.read_text())["reflections"][0]["text"] == "mine"
    refused = run("data", "erase", env_dir=data, check=False)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    run("data", "erase", "--yes", env_dir=data)
    assert json.loads(run("data", "export", str(tmp_path / "e2.json"), env_dir=data) and
                      (tmp_path / "e2.json").read_text())["reflections"] == []
    res = run("data", "import", str(out), env_dir=data)
    assert "1 new reflections" in res.stdout
    res = run("data", "import", str(out), env_dir=data)
    assert "0 new reflections" in res.stdout


def test_import_of_a_bad_file_fails_clearly(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    res = run("data", "import", str(bad), env_dir=tmp_path / "d", check=False)
    assert res.returncode == 1 and "cannot be read as JSON" in res.stderr


def test_selfcheck_validate(tmp_path):
    from resilience_course.core.content import package_data

    ok = run("selfcheck", "validate", str(package_data("examples", "licensed-scale-placeholder.yml")),
             env_dir=tmp_path)
    assert ok.stdout.startswith("OK:")
    bad = tmp_path / "bad.yml"
    bad.write_text("id: x\n")
    res = run("selfcheck", "validate", str(bad), env_dir=tmp_path, check=False)
    assert res.returncode == 1 and "bad.yml" in res.stderr and "missing" in res.stderr


def test_content_check_passes(tmp_path):
    res = run("content", env_dir=tmp_path)
    assert "0 problem(s)" in res.stdout


def test_console_script_is_installed():
    import shutil

    exe = shutil.which("resilience-course", path=os.path.dirname(sys.executable))
    assert exe, "pip install should create the resilience-course command"
