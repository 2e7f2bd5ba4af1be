"""Every section notebook of every module in course/course.yml: thin, named, opened and closed the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .helpers import GUIDE, IMPORT, MODULE_IDS, ROOT, code_cells, markdown, module, notebooks


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_every_section_exists_and_is_named_for_its_id(mid):
    mod = module(mid)
    assert mod.sections[0].id == f"{mid}.00"
    for sec in mod.sections:
        assert (ROOT / sec.path).is_file(), sec.path
        assert re.fullmatch(rf"{mid}\.\d\d-[a-z0-9-]+\.ipynb", Path(sec.path).name)


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_notebooks_are_thin_and_open_and_close_for_their_own_section(mid):
    for sec, nb in notebooks(mid):
        assert nb.metadata["kernelspec"]["name"] == "python3"
        code = code_cells(nb)
        assert nb.cells[0].cell_type == "code" and code[0] == IMPORT, sec.id
        assert code[1] == f'rc.header("{sec.id}")', sec.id
        assert nb.cells[-1].cell_type == "code" and code[-1] == f'rc.footer("{sec.id}")', sec.id
        for c in nb.cells:
            if c.cell_type == "code":
                assert not c.get("outputs") and c.get("execution_count") is None, f"{sec.id}: outputs not stripped"
        for src in code[1:]:
            assert "\n" not in src and src.startswith("rc.") and "import" not in src, (sec.id, src)
            assert "/" not in src.split("(", 1)[0]
        text = markdown(nb)
        assert not re.search(r"^# ", text, re.M), f"{sec.id}: the h1 comes from rc.header"
        assert ".ipynb" not in text, f"{sec.id}: no hand-written links between sections"
        assert "](" not in text.replace("](https://", ""), f"{sec.id}: no hand-written links between sections"


@pytest.mark.parametrize("mid", MODULE_IDS)
def test_last_section_has_summary_key_points_and_external_resources_from_the_guide(mid):
    sec, nb = notebooks(mid)[-1]
    text = markdown(nb)
    for heading in ("## Summary", "## Key points", "## Further resources"):
        assert heading in text, f"{sec.id} lacks {heading}"
    links = re.findall(r"\[[^\]]+\]\((https?://[^)]+)\)([^\n]*)", text)
    assert len(links) >= 5 and all("bit.ly/" in url for url, _after in links), "the guide's own links"
    assert all("(external" in after for _url, after in links), "every link is marked external (on its line)"
    if GUIDE.is_file():
        guide = GUIDE.read_text(encoding="utf-8")
        for url, _after in links:
            assert url.split("://", 1)[1] in guide, f"{url}: links come from the guide"
