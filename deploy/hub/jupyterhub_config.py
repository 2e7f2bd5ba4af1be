# JupyterHub configuration of the Resilience with Compassion cohort server.
#
# `resilience-course hub run` writes and uses an equivalent file; use this one only to run JupyterHub
# yourself (for example from your own systemd unit):
#
#   RC_HUB_SETTINGS=/srv/resilience-course/state/hub/settings.json \
#       /opt/resilience-course/venv/bin/jupyterhub -f /path/to/deploy/hub/jupyterhub_config.py
#
# settings.json is written by `resilience-course hub add` / `hub run` (see deploy/README.md). Everything
# the hub does (proxy, accounts, roles, the spawner, passwords, the idle culler) is set by configure();
# add your own settings below it, or keep them in a separate file passed with `hub run --extra-config`.
from resilience_course.hub.config import configure

c = get_config()  # noqa: F821
settings = configure(c)

# Examples of local changes:
# c.JupyterHub.template_vars = {"announcement_login": "Monday Club: log in with the password your facilitator gave you."}
# c.Spawner.mem_limit = "1G"   # (not enforced by LocalProcessSpawner; use systemd slices for hard limits)
