"""Voila settings for publishing the course: used by ``resilience-course serve`` (and so ``make serve``).

One learner on their own machine: the server listens on 127.0.0.1 only, shows no code and no
tracebacks, keeps kernels ready for the pages learners open most, and stops kernels nobody uses.
Run it with ``resilience-course serve``; to use these settings with plain Voila, pass
``--Voila.config_file_paths=<this folder>`` (this file also points Voila at the course template).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (traitlets provides get_config in config files)

# The course template ("resilience-course", extends Voila's "lab" template) ships next to this file.
_share = str(Path(__file__).resolve().parent / "share")
_paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
if _share not in _paths:
    os.environ["JUPYTER_PATH"] = os.pathsep.join([_share, *_paths])

# -- the server: local only -------------------------------------------------------------------
c.Voila.ip = "127.0.0.1"
c.Voila.open_browser = False
c.Voila.port_retries = 0  # say so if the port is taken, rather than quietly moving
# A new secret each launch (Jupyter's token): the printed address ends with ?token=...; a browser
# that opens it is signed in (a cookie) and then moves freely between pages. Other accounts on the
# same computer can reach 127.0.0.1 too, but without the token they read nothing.
c.Voila.auto_token = True
c.PasswordIdentityProvider.allow_password_change = False  # the sign-in page offers no password setting
# refuse requests whose Host is not this machine (guards the learner's data against DNS rebinding)
c.Voila.tornado_settings = {"allow_remote_access": False, "local_hostnames": ["localhost", "127.0.0.1"]}

# -- the pages ---------------------------------------------------------------------------------
c.VoilaConfiguration.template = "resilience-course"
c.VoilaConfiguration.theme = "light"
# a page address cannot swap them (Voila allows ?template=lab&theme=dark by default: the page would lose
# the course template, and with it the kind error message, the landmarks and the end of its kernel)
c.VoilaConfiguration.allow_template_override = "NO"
c.VoilaConfiguration.allow_theme_override = "NO"
c.VoilaConfiguration.strip_sources = True  # learners never see code
c.VoilaConfiguration.show_tracebacks = False  # a kind message on the page; details in the server log
c.VoilaConfiguration.show_margins = False
c.HTMLExporter.language_code = "en"  # <html lang="en">
# JupyterLab extensions course pages do not need: nbgrader's and Notebook's throw in Voila pages,
# the Voila preview is for JupyterLab, and no page shows code (so no syntax colours)
c.VoilaConfiguration.extension_denylist = [
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
    "jupyterlab_pygments",
]
# set the page <title> from the course outline (course/course.yml)
c.VoilaExporter.preprocessors = ["resilience_course.publish.server.PageTitle"]

# -- running the notebooks ----------------------------------------------------------------------
# A cell may run for CELL_TIMEOUT (60) seconds; then the kernel is interrupted and the page shows
# a kind message. The first cell (import resilience_course as rc) has no limit: every later cell
# needs it (publish/kernels.py).
from resilience_course.publish.server import CELL_TIMEOUT, cell_timeout  # noqa: E402

c.VoilaExecutor.timeout = CELL_TIMEOUT
c.VoilaExecutor.timeout_func = cell_timeout
c.VoilaExecutor.interrupt_on_timeout = True

# Kernels kept ready ("preheated") for the pages learners open most. Voila runs these pages ahead
# of time, in full; the server uses one only while the learner's data is unchanged since it ran
# (publish/heated.py), so a preheated page is never out of date.
c.VoilaConfiguration.preheat_kernel = True
c.VoilaConfiguration.default_pool_size = 0  # other pages: a spare kernel (below)
c.VoilaKernelManager.kernel_pools_config = {
    "default": {"pool_size": 0},  # without this entry Voila heats one kernel for every notebook it finds
    "course/home.ipynb": {"pool_size": 1},
    "course/self-checks.ipynb": {"pool_size": 1},
}
# the next one is heated 3 seconds after a page took one, once that page is usable: heating runs the
# whole page (about a CPU-second and a half), which the page being opened would otherwise compete with
c.VoilaKernelManager.fill_delay = 3
# Every other course page (course/, modules/) gets a spare kernel that is already running, with the
# course's widgets imported; the next spare starts 3 seconds later, once the page that took the last one
# is usable (starting a kernel takes about a second of CPU, which the page would otherwise compete
# with), or at once if a page needs it sooner.
c.VoilaConfiguration.multi_kernel_manager_class = "resilience_course.publish.server.WarmKernelManager"
c.WarmKernelManager.warm_pool_size = 1
c.WarmKernelManager.warm_delay = 3
# a page's cells start as soon as its kernel answers (jupyter_client's own client waits 0.2 s more)
c.ServerKernelManager.client_class = "resilience_course.publish.server.QuickReadyClient"
# the kernel's answers reach the page as soon as they are written (no wait for the browser's
# acknowledgement of the last message: up to 40 ms for each of the two questions every page asks)
c.Voila.kernel_websocket_connection_class = "resilience_course.publish.server.PromptConnection"
# kernels talk over Unix sockets in Voila's private (0700) connection folder, not TCP ports on 127.0.0.1:
# a port chosen for a kernel could be taken before the kernel bound it ("Address already in use"), and
# the page given that kernel never opened; and no other account on the computer can reach a socket there
c.KernelManager.transport = "ipc"

# Stop kernels nobody is using (a closed tab normally stops its kernel at once; this catches the rest).
c.MappingKernelManager.cull_idle_timeout = 1800  # seconds
c.MappingKernelManager.cull_interval = 300
c.MappingKernelManager.cull_connected = False  # never stop a kernel while its page is open
