"""``resilience-course serve``: the command; the publishing itself lives in :mod:`resilience_course.publish`."""

from ..publish.server import register

__all__ = ["register"]
