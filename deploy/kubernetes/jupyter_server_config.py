"""Jupyter Server settings for the course's image on Kubernetes (the Dockerfile copies this file to /etc/jupyter/).

Every person gets the same image; what they see depends on RESILIENCE_COURSE_ROLE, which the hub sets
from the person's group (``KubeSpawner.group_overrides`` in values.yaml):

* ``learner`` (the default): the course pages only, as Voila pages, opening on the course home page.
  No JupyterLab, no terminal, no nbgrader instructor tools. The server serves /srv/course (course/
  and modules/, read-only); the learner's own data lives in their home folder, on their own volume.
* ``facilitator``: as a learner, opening on the facilitator's pages.
* ``trainer``: JupyterLab with nbgrader's formgrader, in the trainer's home folder, where the course's
  assessments/ folder (kept in the image at /srv/assessments, outside what learners are served: the
  quizzes' sources hold the answer keys) is copied on first start; course/ and modules/ are linked there.

The course's own Voila settings (its page template, no code, no tracebacks, the time limit for each
cell, stopping idle kernels) are read from the installed package, the same file ``resilience-course
serve`` uses, so the hub shows the same pages as a learner's own computer.
"""

import os
import shutil
from pathlib import Path

import resilience_course

c = get_config()  # noqa: F821  (traitlets provides get_config in config files)

ROLE = os.environ.get("RESILIENCE_COURSE_ROLE", "learner")
COURSE = Path(os.environ.get("RESILIENCE_COURSE_ROOT", "/srv/course"))  # course/ and modules/ only
ASSESSMENTS = Path(os.environ.get("RESILIENCE_COURSE_ASSESSMENTS", "/srv/assessments"))  # never served to learners
HOME = Path(os.environ.get("HOME", "/home/jovyan"))
HOME_PAGES = {
    "learner": "/voila/render/course/home.ipynb",
    "facilitator": "/voila/render/course/facilitator/index.ipynb",
    "trainer": "/lab",
}
if ROLE not in HOME_PAGES:  # an unknown role gets the least: a learner's server
    ROLE = "learner"

# -- the course's Voila settings (found inside the installed package, wherever it keeps them) --------------
_package = Path(resilience_course.__file__).resolve().parent
_template = next(_package.rglob("share/voila/templates/resilience-course/conf.json"))
load_subconfig(str(_template.parents[4] / "voila.py"))  # noqa: F821  (provided like get_config)

# -- where each person starts, and what their server offers ----------------------------------------------
c.ServerApp.default_url = HOME_PAGES[ROLE]
c.ServerApp.open_browser = False
# The learner's store and exports: in the home folder, on the person's own volume (never shared NFS).
os.environ.setdefault("RESILIENCE_COURSE_DATA_DIR", str(HOME / ".local/share/resilience-course"))
os.environ.setdefault("RESILIENCE_COURSE_EXPORT_DIR", str(HOME / "resilience-course-exports"))

if ROLE == "trainer":
    # JupyterLab in the home folder, with the course's quizzes ready to release and grade.
    c.ServerApp.root_dir = str(HOME)
    if not (HOME / "assessments").exists() and ASSESSMENTS.is_dir():
        # the image's copy is read-only; the trainer's own copy must be theirs to write in
        shutil.copytree(ASSESSMENTS, HOME / "assessments", copy_function=shutil.copyfile)
        for folder, _dirs, _files in os.walk(HOME / "assessments"):
            os.chmod(folder, 0o700)
    for name in ("course", "modules"):
        link = HOME / name
        if not link.exists() and not link.is_symlink():
            link.symlink_to(COURSE / name)
    c.ServerApp.terminals_enabled = True
else:
    # Learners and facilitators: only course/ and modules/ are ever served, read-only.
    c.ServerApp.root_dir = str(COURSE)
    c.ServerApp.terminals_enabled = False
    # A page's kernel that nobody uses any more stops after 10 minutes (30 on one's own computer): in a pod,
    # memory is the limit, and a page still open is never stopped (cull_connected stays False).
    c.MappingKernelManager.cull_idle_timeout = 600
    c.ServerApp.jpserver_extensions = {
        "jupyterlab": False,
        "notebook": False,
        "jupyter_lsp": False,
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
        # kept: taking a quiz needs the assignment list (fetch, submit) and validation
        "nbgrader.server_extensions.assignment_list": True,
        "nbgrader.server_extensions.validate_assignment": True,
        "voila.server_extension": True,
    }
