"""The cohort server: one JupyterHub for a Monday Club group, its facilitators and its trainers.

* :mod:`.roster`: the cohort file (``cohort.yml``: cohort name, learners, facilitators, trainers);
* :mod:`.accounts`: real Unix accounts for the people in it (``useradd``, homes 0700), added and
  removed idempotently; only accounts this course created are ever changed;
* :mod:`.install`: the hub's own environment (a virtual environment, configurable-http-proxy from
  npm and a read-only copy of ``course/`` and ``modules/``) under ``/opt/resilience-course``;
* :mod:`.config`: the JupyterHub configuration (spawner, authenticator, roles, services);
* :mod:`.singleuser`: what each person's own server serves (learners: course pages only);
* :mod:`.passwords`: initial passwords, written once to a 0600 file;
* :mod:`.demo`: a throwaway cohort on 127.0.0.1 (``resilience-course hub demo``);
* :mod:`.command`: the ``resilience-course hub`` command.

Nothing here imports JupyterHub at import time, so the course's other commands stay quick.
"""

from __future__ import annotations

DEFAULT_PREFIX = "/opt/resilience-course"
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"
ROLES = ("learners", "facilitators", "trainers")
