"""The cohort server's parts that need no root and no running hub: the cohort file, what each role's
server answers, the settings, the install helpers and the dependency lists."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
import tomllib
import yaml
from resilience_course.hub import demo, install, roster, singleuser
from resilience_course.hub.settings import Settings, course_id_from, write_private

ROOT = Path(__file__).resolve().parents[2]


# -- the cohort file --------------------------------------------------------------------------------
def test_the_example_cohort_file_loads():
    cohort = roster.load(ROOT / "deploy" / "hub" / "cohort.example.yml")
    people = cohort.people()
    assert people["hv-amira"] == "learners" and people["fac-fiona"] == "facilitators"
    assert people["tr-george"] == "trainers"


@pytest.mark.parametrize("data, message", [
    ("- just a list", "expected a mapping"),
    ("cohort: x\nlearners: [root]", "system account"),
    ("cohort: x\nlearners: [Amira]", "not a usable account name"),
    ("cohort: x\nlearners: ['a;rm -rf /']", "not a usable account name"),
    ("cohort: x\nlearners: [bob]\ntrainers: [bob]", "listed twice"),
    ("cohort: x\nlearners: bob", "must be a list"),
    ("cohort: x\nadmins: [bob]", "unknown keys"),
    ("cohort: '../etc'\nlearners: [bob]", "short name"),
    ("cohort: x\nlearners: [" + "a" * 33 + "]", "not a usable account name"),
    ("cohort: [unclosed", "not valid YAML"),
])
def test_a_bad_cohort_file_says_what_is_wrong(tmp_path, data, message):
    path = tmp_path / "cohort.yml"
    path.write_text(data)
    with pytest.raises(roster.RosterError, match=re.escape(message)):
        roster.load(path)


def test_a_huge_cohort_file_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "cohort.yml"
    path.write_text("cohort: x\nlearners:\n" + "  - aa\n" * 60_000)
    with pytest.raises(roster.RosterError, match="too large"):
        roster.load(path)


def test_saving_a_cohort_file_round_trips_and_keeps_its_mode(tmp_path):
    path = tmp_path / "cohort.yml"
    path.write_text("cohort: x\nlearners: [ann, bob]\n")
    os.chmod(path, 0o640)
    cohort = roster.load(path)
    cohort.learners.remove("bob")
    roster.save(cohort, path)
    assert roster.load(path).as_dict() == {"cohort": "x", "learners": ["ann"], "facilitators": [], "trainers": []}
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_the_demo_cohort_names_match_the_issue():
    cohort = demo.demo_cohort(12)
    assert cohort.learners[0] == "rc-demo-learner-01" and cohort.learners[-1] == "rc-demo-learner-12"
    assert cohort.facilitators == ["rc-demo-facilitator"] and cohort.trainers == ["rc-demo-trainer"]
    roster.from_dict(cohort.as_dict())  # every name is a valid account name


# -- what a learner's server answers ----------------------------------------------------------------
KERNEL = "0b1f0e7c-5a4b-4c1e-9a43-1c2d3e4f5a6b"


@pytest.mark.parametrize("path", [
    "", "voila/render/course/home.ipynb", "voila/render/course/quizzes.ipynb",
    "voila/render/modules/01-context-of-health-visiting/01.00-overview.ipynb",
    "voila/static/voila.js", "voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/remoteEntry.js",
    "voila/templates/resilience-course/static/course-page.css", f"api/kernels/{KERNEL}/channels",
    f"voila/api/shutdown/{KERNEL}", "oauth_callback", "logout",
])
def test_a_learner_server_answers_course_pages(path):
    assert singleuser.allowed("learners", path)


@pytest.mark.parametrize("path", [
    "lab", "lab/tree/course", "tree", "terminals/1", "api/terminals", "api/contents", "api/contents/course",
    "api/sessions", "api/kernels", "api/kernelspecs", "files/course/course.yml", "edit/x", "notebooks/x.ipynb",
    "formgrader", "formgrader/api/assignments", "voila", "voila/tree", "voila/render/assessments/source/q.ipynb",
    "voila/render/course/facilitator/index.ipynb", "voila/render/course/../../etc/passwd.ipynb",
    "voila/render/course/%2e%2e/x.ipynb", "voila/render/course/home.py", "voila/files/assessments/x",
    "api/kernels/not-a-kernel/channels", "nbconvert/html/course/home.ipynb", "assignments", "api/me",
])
def test_a_learner_server_refuses_everything_else(path):
    assert not singleuser.allowed("learners", path)


def test_facilitators_also_get_the_facilitator_pages_and_trainers_everything():
    assert singleuser.allowed("facilitators", "voila/render/course/facilitator/index.ipynb")
    assert not singleuser.allowed("facilitators", "lab")
    assert singleuser.allowed("trainers", "lab") and singleuser.allowed("trainers", "formgrader")


def test_the_server_config_switches_off_lab_terminals_and_nbgrader_for_learners():
    from traitlets.config import Config

    c = Config()
    singleuser.server_config(c, "learners")
    ext = c.ServerApp.jpserver_extensions
    assert ext["voila.server_extension"] and ext["resilience_course.hub.singleuser"]
    for name in ("jupyterlab", "notebook", "jupyter_server_terminals", "nbgrader.server_extensions.formgrader",
                 "nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.course_list"):
        assert ext[name] is False, name
    assert c.ServerApp.terminals_enabled is False
    # the course's own Voila settings (as `serve` uses them)
    assert c.VoilaConfiguration.template == "resilience-course"
    assert c.VoilaConfiguration.strip_sources is True and c.VoilaConfiguration.show_tracebacks is False
    # and a page address cannot swap the template or theme (?template=lab)
    assert c.VoilaConfiguration.allow_template_override == "NO" and c.VoilaConfiguration.allow_theme_override == "NO"
    t = Config()
    singleuser.server_config(t, "trainers")
    assert "jupyterlab" not in t.ServerApp.jpserver_extensions  # the environment's default: on
    assert t.ServerApp.terminals_enabled is True


def test_each_server_keeps_its_kernels_sockets_in_a_private_folder_of_its_own(monkeypatch, tmp_path):
    """Over TCP a port chosen free for a kernel was sometimes taken before the kernel bound it: the kernel
    died and its page never opened (hub_load.py). Each learner's server makes a 0700 folder of its own,
    and its kernels use Unix sockets there (a path short enough for a socket) instead of ports."""
    import atexit
    import shutil
    import tempfile

    from resilience_course.hub import launch
    from traitlets.config import Config

    short = Path(tempfile.mkdtemp(prefix="rc-t-", dir="/tmp"))  # (pytest's own tmp_path is too deep for sockets)
    monkeypatch.setattr("tempfile.tempdir", str(short))
    monkeypatch.delenv("JUPYTER_RUNTIME_DIR", raising=False)
    registered = []
    monkeypatch.setattr("atexit.register", lambda *a: registered.append(a))
    try:
        folder = Path(launch.private_runtime_dir())
        monkeypatch.setattr("atexit.register", atexit.register)
        assert registered and registered[0][1] == str(folder)  # removed when the server stops
        assert folder.parent == short and folder.name.startswith(launch.RUNTIME_PREFIX)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()
        assert os.environ["JUPYTER_RUNTIME_DIR"] == str(folder)
        c = Config()
        singleuser.server_config(c, "learners")
        assert c.KernelManager.transport == "ipc"
        # elsewhere (not such a folder, or one so deep a socket's path would not fit): TCP on 127.0.0.1
        for other in (tmp_path / "runtime", tmp_path / ("x" * 60) / f"{launch.RUNTIME_PREFIX}abc"):
            monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(other))
            c = Config()
            assert singleuser.kernel_sockets(c) is False and "transport" not in c.KernelManager
    finally:
        shutil.rmtree(short)


def test_course_servers_keep_a_spare_kernel_with_the_course_imported():
    """Voila as a server extension has no preheated pages: without a spare each page started and
    imported its own kernel (seconds), so course servers use ``serve``'s kernel manager."""
    from resilience_course.publish.server import WarmKernelManager
    from traitlets.config import Config

    for role in ("learners", "facilitators"):
        c = Config()
        singleuser.server_config(c, role)
        assert c.ServerApp.kernel_manager_class == singleuser.WARM_KERNEL_MANAGER, role
        assert c.WarmKernelManager.warm_pool_size >= 1 and c.WarmKernelManager.warm_folders == ["course", "modules"]
        assert c.WarmKernelManager.warm_delay >= 10  # the pages are drawn before the next spares start
        # a page whose scripts reach a busy hub a minute after its cells ran keeps its kernel
        assert c.WarmKernelManager.page_connect_grace >= 90
    # the name the config gives is the lead's class, with the public traits set here
    module, _, name = singleuser.WARM_KERNEL_MANAGER.rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name) is WarmKernelManager
    for trait in ("warm_pool_size", "warm_delay", "warm_folders", "page_connect_grace"):
        assert WarmKernelManager.class_traits()[trait].metadata.get("config"), trait
    t = Config()
    singleuser.server_config(t, "trainers")
    assert "kernel_manager_class" not in t.ServerApp  # JupyterLab's notebooks: kernels as usual


SKIPS_GRAMMARS = """
import sys, types
# stand-ins for JupyterHub (not installed here): its server imports jupyter_server, which imports jsonschema
hub, singleuser = types.ModuleType("jupyterhub"), types.ModuleType("jupyterhub.singleuser")
def main(argv=None):
    import jsonschema
    return "rfc3987_syntax" if sys.modules.get("rfc3987_syntax") is not None else "skipped"
singleuser.main, hub.singleuser = main, singleuser
sys.modules.update({"jupyterhub": hub, "jupyterhub.singleuser": singleuser})
%s
"""


@pytest.mark.parametrize("start, expected", [
    ("from resilience_course.hub import launch; print(launch.main([]))", "skipped"),
    ("print(main([]))", "rfc3987_syntax"),  # the control: without launch, jsonschema builds the IRI grammars
])
def test_a_course_server_starts_without_building_jsonschemas_iri_grammars(start, expected):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", SKIPS_GRAMMARS % start], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == expected, proc.stderr


SERVER_EXTENSION = """
import logging, os, types
from voila.exporter import VoilaExporter
from resilience_course.hub import singleuser
os.environ[singleuser.ROLE_ENV] = "learners"
app = types.SimpleNamespace(web_app=types.SimpleNamespace(settings={}, find_handler=None), log=logging.getLogger(),
                            base_url="/user/ann/")
singleuser._load_jupyter_server_extension(app)
print(getattr(VoilaExporter, "_rc_shared_bytecode", False), app.web_app.settings["mathjax_url"])
"""


def test_the_server_extension_compiles_page_templates_once_and_loads_no_mathjax():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", SERVER_EXTENSION], capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() == ["True", "None"], proc.stderr


def test_the_spawn_pending_page_cannot_stall():
    from resilience_course.hub import config

    page = (config.TEMPLATES / "spawn_pending.html").read_text()
    assert page.count('{% extends "templates/spawn_pending.html" %}') == 1  # JupyterHub's own page, extended
    assert "waitSeconds: 0" in page  # require.js never gives up loading the page's scripts
    assert "api/users/" in page and "window.location.reload()" in page  # its own check, without require.js
    assert '<meta http-equiv="refresh"' in page  # without JavaScript


# -- settings, secrets and the environment ---------------------------------------------------------
def test_private_files_are_0600_from_the_start(tmp_path):
    path = tmp_path / "secret.json"
    write_private(path, json.dumps({"a": 1}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_private(path, "again")
    assert path.read_text() == "again" and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_settings_round_trip_and_keep_their_ports(tmp_path):
    (tmp_path / "cohort.yml").write_text("cohort: x\nlearners: [ann]\n")
    s = Settings(state=str(tmp_path / "state"), cohort_file=str(tmp_path / "cohort.yml"), prefix=str(tmp_path))
    s.save()
    again = Settings.load(tmp_path / "state")
    assert (again.hub_port, again.proxy_api_port, again.public_dir) == (s.hub_port, s.proxy_api_port, s.public_dir)
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700
    assert stat.S_IMODE(s.settings_file.stat().st_mode) == 0o600
    token = s.admin_token()
    assert len(token) == 64 and s.admin_token() == token
    assert stat.S_IMODE(s.admin_token_file.stat().st_mode) == 0o600


def test_the_course_id_is_read_from_the_nbgrader_config_without_running_it(tmp_path):
    assert course_id_from(ROOT / "assessments") == "resilience-with-compassion"
    (tmp_path / "nbgrader_config.py").write_text("raise SystemExit('never run')\nc.CourseDirectory.course_id = 'x-1'\n")
    assert course_id_from(tmp_path) == "x-1"
    assert course_id_from(tmp_path / "missing") == "resilience-with-compassion"


def test_only_a_python_every_account_can_run_is_used_for_the_hub(tmp_path):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    exe = private / "python3"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    os.chmod(private, 0o700)
    assert not install.world_usable(exe)
    assert install.world_usable("/bin/sh")
    assert install.world_usable(install.base_python())


def test_missing_parts_are_named(tmp_path):
    problems = install.missing(tmp_path)
    text = "\n".join(problems)
    assert "no hub environment" in text and "configurable-http-proxy" in text and "course pages" in text


def _conda_deps(path: Path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text())
    return dict(_norm(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip")))


def _norm(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    return m.group(1).lower().replace("_", "-"), ",".join(sorted(m.group(2).replace(" ", "").split(",")))


def test_the_hub_extra_is_mirrored_in_the_hub_conda_environment():
    """pyproject.toml's ``hub`` extra is mirrored in ``deploy/hub/environment.yml``, a whole environment for
    the cohort server (the course's dependencies plus the extra); the root ``environment.yml`` stays one
    learner's environment (no JupyterHub on a learner's laptop) and points to the hub's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extra = dict(_norm(d) for d in project["optional-dependencies"]["hub"])
    course = dict(_norm(d) for d in project["dependencies"])
    hub_env = ROOT / "deploy" / "hub" / "environment.yml"
    assert _conda_deps(hub_env) == {**course, **extra}
    assert not set(extra) & set(_conda_deps(ROOT / "environment.yml"))  # a learner's conda install has no hub
    assert "deploy/hub/environment.yml" in (ROOT / "environment.yml").read_text()
    env = yaml.safe_load(hub_env.read_text())
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    root_pythons = [d for d in yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
                    if isinstance(d, str) and d.startswith("python")]
    assert pythons == root_pythons
    # the course itself, not editable: people's servers must not depend on a clone in someone's home
    assert any(isinstance(d, dict) and "../.." in d["pip"] for d in env["dependencies"])
    assert ">=6.0" in extra["jupyterhub"] and "<7" in extra["jupyterhub"]


def test_the_hub_marker_is_registered():
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("hub:") for m in markers)


def test_the_cli_has_the_hub_commands():
    from resilience_course.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["hub", "demo", "--port", "8000", "--learners", "3", "--state", "/tmp/x"])
    assert (args.port, args.learners, args.account_prefix) == (8000, 3, "rc-demo-")
    args = parser.parse_args(["hub", "remove", "ann", "--cohort", "c.yml", "--state", "s"])
    assert args.delete_data is False
