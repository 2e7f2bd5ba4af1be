"""Jupyter Server settings for the course's image on Kubernetes (the Dockerfile copies this file to /etc/jupyter/).

Every person gets the same image; what they see follows RC_HUB_ROLE, which the hub sets from the person's
group (``KubeSpawner.group_overrides`` in values.yaml). The rules are the one-machine cohort server's own,
from the installed package (``resilience_course.hub.singleuser``), so both hubs serve the same course:

* ``learners`` (the default): course pages only, as Voila pages, opening on the course home page; every
  other address of the server (JupyterLab, the file tree, terminals, the contents and kernels APIs beyond
  a page's own kernel, the formgrader) answers 403. The server's folder is /srv/course (course/ and
  modules/, read-only); the learner's own data lives in their home folder, on their own volume.
* ``facilitators``: the same, opening on the facilitator's pages (which learners are refused).
* ``trainers``: JupyterLab with nbgrader's formgrader, in the trainer's home folder, where the course's
  assessments/ folder (kept in the image at /srv/assessments, outside what learners are served: the
  quizzes' sources hold the answer keys) is copied on first start; course/ and modules/ are linked there.

The course's Voila settings (its page template, no code, no tracebacks, the time limit for each cell,
stopping idle kernels) come from the package too, the same file ``resilience-course serve`` uses.
"""

import os
import shutil
from pathlib import Path

from resilience_course.hub.singleuser import ROLE_ENV, server_config

c = get_config()  # noqa: F821  (traitlets provides get_config in config files)

COURSE = Path(os.environ.get("RESILIENCE_COURSE_ROOT", "/srv/course"))  # course/ and modules/ only
ASSESSMENTS = Path(os.environ.get("RESILIENCE_COURSE_ASSESSMENTS", "/srv/assessments"))  # never served to learners
HOME = Path(os.environ.get("HOME", "/home/jovyan"))
HOME_PAGES = {
    "learners": "/voila/render/course/home.ipynb",
    "facilitators": "/voila/render/course/facilitator/index.ipynb",
    "trainers": "/lab",
}
ROLE = os.environ.get(ROLE_ENV, "learners")
if ROLE not in HOME_PAGES:  # an unknown role gets the least: a learner's server
    ROLE = "learners"
os.environ[ROLE_ENV] = ROLE  # read again by the package's server extension when it loads

# -- the cohort server's rules for this role, and the course's Voila settings ----------------------------
server_config(c, ROLE)

# -- where each person starts, and what their server offers ----------------------------------------------
c.ServerApp.default_url = HOME_PAGES[ROLE]
c.ServerApp.open_browser = False
# The learner's store and exports: in the home folder, on the person's own volume (never shared NFS).
os.environ.setdefault("RESILIENCE_COURSE_DATA_DIR", str(HOME / ".local/share/resilience-course"))
os.environ.setdefault("RESILIENCE_COURSE_EXPORT_DIR", str(HOME / "resilience-course-exports"))

if ROLE == "trainers":
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
else:
    # Learners and facilitators: only course/ and modules/ are ever served, read-only.
    c.ServerApp.root_dir = str(COURSE)
    # A page's kernel that nobody uses any more stops after 10 minutes (30 on one's own computer): in a pod,
    # memory is the limit, and a page still open is never stopped (cull_connected stays False).
    c.MappingKernelManager.cull_idle_timeout = 600
