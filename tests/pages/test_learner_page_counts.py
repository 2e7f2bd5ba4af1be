"""Issue 15: a section page counts its module's sections as the overview does."""

from __future__ import annotations

import re

from resilience_course.core.course import load_outline
from resilience_course.pages.widgets import header


def test_section_pages_count_sections_as_the_overview_does():
    outline = load_outline()
    mod = outline.modules[0]
    overview = header(mod.sections[0].id, outline).value
    total = int(re.search(r"in (\d+) short sections", overview).group(1))
    assert total == len(mod.sections)
    for n, sec in enumerate(mod.sections[1:], start=2):
        assert f"section {n} of {total}" in header(sec.id, outline).value
