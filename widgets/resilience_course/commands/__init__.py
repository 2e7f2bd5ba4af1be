"""Sub-commands of the ``resilience-course`` command (see :mod:`resilience_course.cli`)."""
