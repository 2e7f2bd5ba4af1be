"""pytest set-up for the whole repository (tests, and the notebooks nbval runs).

Every run uses a throw-away learner data folder (and cache folder), so neither a test nor a notebook kernel that
nbval starts ever touches a real learner's store. Kernels inherit these variables.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
os.environ["RESILIENCE_COURSE_DATA_DIR"] = tempfile.mkdtemp(prefix="rc-test-data-")
os.environ["RESILIENCE_COURSE_ROOT"] = str(ROOT)
# and a throw-away cache (core/cache.py), shared by this run's kernels and servers
os.environ["RESILIENCE_COURSE_CACHE_DIR"] = tempfile.mkdtemp(prefix="rc-test-cache-")
os.environ.setdefault("MPLBACKEND", "Agg")
