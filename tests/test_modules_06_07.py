"""Modules 6 (Leading resilient teams) and 7 (The case studies): content, notebooks, the ten-steps
self-audit's content, and case-study facts checked against the source guide (the audit completed by
clicking: tests/selfcheck/; the tool link: tests/pages/; every activity: tests/activities/)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from resilience_course.activities.model import load_activities
from resilience_course.core.course import load_outline
from resilience_course.knowledge.model import load_bank
from resilience_course.selfcheck.model import load_definition, score

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "source" / "resilience-framework-guide.txt"
MODULES = ("06", "07")
IMPORT = "import resilience_course as rc"

def _module(mid):
    return load_outline(ROOT).module(mid)

def _folder(mid) -> Path:
    return ROOT / _module(mid).folder

def _norm(text: str) -> str:
    """Lower case, hyphens as spaces, one space between words (tables in the source are flattened)."""
    return re.sub(r"\s+", " ", text.lower().replace("-", " ").replace("’", "'")).strip()

@pytest.fixture(scope="module")
def source() -> str:
    if not SOURCE.is_file():
        pytest.skip("the source guide (../shared/source) is not available")
    return SOURCE.read_text(encoding="utf-8")

def _code_cells(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]

def _notebooks(mid):
    for sec in _module(mid).sections:
        yield sec, nbformat.read(ROOT / sec.path, as_version=4)

# -- banks and activities ---------------------------------------------------------------------

@pytest.mark.parametrize("mid", MODULES)
def test_bank_loads_and_covers_every_outcome(mid):
    bank = load_bank(mid)
    assert len(bank) >= 6
    outcomes = {o["id"] for o in _module(mid).outcomes}
    assert {q.outcome for q in bank} == outcomes
    for q in bank:
        assert all(o["feedback"].strip() for o in q.options), q.id
        assert q.source, q.id

@pytest.mark.parametrize("mid", MODULES)
def test_activities_load_and_are_all_used(mid):
    acts = load_activities(_folder(mid) / "activities.yml")
    assert len(acts) >= 2
    used = set()
    for _sec, nb in _notebooks(mid):
        for src in _code_cells(nb):
            m = re.fullmatch(r'rc\.activity\("(\d\d)", "([a-z0-9-]+)"\)', src)
            if m:
                assert m.group(1) == mid
                used.add(m.group(2))
    assert used == set(acts), f"unused or unknown activities: {set(acts) ^ used}"

# -- notebooks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("mid", MODULES)
def test_notebooks_are_thin_and_end_with_their_own_footer(mid):
    for sec, nb in _notebooks(mid):
        code = _code_cells(nb)
        assert nb.cells[0].cell_type == "code" and nb.cells[0].source.strip() == IMPORT, sec.path
        assert code[1] == f'rc.header("{sec.id}")', sec.path
        assert nb.cells[-1].cell_type == "code" and nb.cells[-1].source.strip() == f'rc.footer("{sec.id}")', sec.path
        assert nb.metadata["kernelspec"]["name"] == "python3"
        for c in nb.cells:
            if c.cell_type == "code":
                assert not c.get("outputs"), sec.path
        for src in code[1:]:
            assert "\n" not in src and src.startswith("rc.") and "import" not in src, (sec.path, src)
        for c in nb.cells:
            if c.cell_type == "markdown":
                assert not re.search(r"^# ", c.source, re.M), f"{sec.path}: the h1 comes from rc.header"

@pytest.mark.parametrize("mid", MODULES)
def test_each_module_has_reflections_and_a_knowledge_check_in_its_last_section(mid):
    sections = list(_notebooks(mid))
    all_code = [src for _s, nb in sections for src in _code_cells(nb)]
    assert sum(src.startswith(f'rc.reflection("{mid}"') for src in all_code) >= 3
    last_sec, last_nb = sections[-1]
    assert f'rc.knowledge_check("{mid}")' in _code_cells(last_nb)
    text = "\n".join(c.source for c in last_nb.cells if c.cell_type == "markdown")
    for heading in ("## Summary", "## Key points", "## Further resources"):
        assert heading in text, (last_sec.path, heading)
    links = re.findall(r"\[[^\]]+\]\((https?://[^)]+)\)([^\n]*)", text)
    assert links and all("external" in after for _url, after in links)

def test_case_study_sections_each_end_with_a_workplace_reflection():
    for sec, nb in _notebooks("07"):
        if sec.id in ("07.01", "07.02", "07.03"):
            code = _code_cells(nb)
            assert code[-2].startswith('rc.reflection("07"'), sec.path

def test_benchmarking_section_links_to_the_tool():
    nb = nbformat.read(ROOT / load_outline(ROOT).section("06.03").path, as_version=4)
    assert 'rc.tool_link("benchmark", "06.03")' in _code_cells(nb)
    assert 'rc.self_check("ten-steps-audit")' in _code_cells(
        nbformat.read(ROOT / load_outline(ROOT).section("06.01").path, as_version=4))

# -- the ten-steps self-audit ---------------------------------------------------------------------

GROUPS = {  # subscale id -> the step numbers under that heading of Figure 3
    "influences": {1, 2},
    "team-situation": {3, 4, 5},
    "individual-support": {6, 7},
    "team-working": {8, 9},
    "leadership": {10},
}

def test_ten_steps_audit_has_ten_items_in_the_five_groups():
    d = load_definition("ten-steps-audit")
    assert len(d.items) == 10
    assert [s["id"] for s in d.subscales] == list(GROUPS)
    for item in d.items:
        step = int(item["id"].split("-")[1])
        assert step in GROUPS[item["subscale"]], item["id"]
    assert [o["label"] for o in d.options] == ["Not yet", "Partly", "In place"]
    assert d.method == "sum"
    assert "validated" in d.note and "reflective" in d.note
    lo = score(d, {i: 0 for i in d.item_ids})
    hi = score(d, {i: 2 for i in d.item_ids})
    assert (lo.overall, hi.overall) == (0, 20)
    assert lo.band["label"] != hi.band["label"]

def test_ten_steps_headings_match_figure_3(source):
    text = _norm(source)
    fig = text[text.index("figure 3: 10 steps"):text.index("figure 4")]
    # each step number sits under the heading the audit gives it
    order = ["understanding the team's working situation", "understanding the factors which influence",
             "providing an individual approach", "supporting team working", "compassionate and resilience leadership"]
    pos = [fig.index(h) for h in order]
    assert pos == sorted(pos)
    blocks = dict(zip(["team-situation", "influences", "individual-support", "team-working", "leadership"],
                      [fig[a:b] for a, b in zip(pos, pos[1:] + [len(fig)])]))
    for group, steps in GROUPS.items():
        for n in steps:
            assert re.search(rf"(^| ){n}\. ", blocks[group]), (group, n)

# -- facts checked against the source ----------------------------------------------------------------

# (text in the course's files, text in the guide); both compared after _norm()
FACTS = [
    ("101.5 health visiting hours a week", "deficit of 101.5 health visiting hours per week"),
    ("107.5 hours a week", "107.5 hours per week"),
    ("15 hours of protected managerial time", "15 hours protected managerial time"),
    ("two newly qualified and three experienced health visitors",
     "newly-qualified health visitors and three experienced"),
    ("In October 2014", "In October 2014 I was asked to facilitate"),
    ("individual caseloads, allocated pro rata from the antenatal period",
     "individual caseloads allocated pro rata antenatally"),
    ("transferred in weeks 3 and 4", "transfer of caseloads in weeks 3 and 4"),
    ("A weekly team meeting of one hour", "weekly team meetings (1 hour"),
    ("The first 15 minutes of every meeting", "the first 15 minutes of every team meeting"),
    ("Staff turnover fell to zero", "staff turnover had been reduced to zero"),
    ("to below national levels", "to below national levels"),
    ("geocaching", "geocashing"),  # the guide's spelling differs
    ("South Warwickshire NHS Foundation Trust", "South Warwickshire NHS Foundation Trust"),
    ("bimonthly communities of practice for their first 2 years",
     "bimonthly communities of practice throughout their first 2 years"),
    ("In January 2015 every student passed", "In January 2015 all of our students passed"),
    ("A third of the students studying at undergraduate level", "A third of the students undertaking the course"),
    ("gained first class honours", "level achieved first class honours"),
    ("Five practice teachers became fellows", "Five practice teachers are now fellows"),
    ("Baby Steps", "Baby Steps programme for new parents"),
    ("HENRY", "HENRY programme for families"),
    ("Tracey Biggs", "Tracey Biggs, Associate practice teacher"),
    ("Karen Stansfield", "Karen Stansfield, Principal Consultant, Mott MacDonald"),
    ("Essence of Care", "Essence of Care Benchmarks"),
    ("(Department of Health, 2010)", "(Department of Health (DH), 2010)"),
    ("30% of all sick leave in the NHS", "30% of all NHS sick leave"),
    ("£400 million a year", "£400 million each year"),
]

@pytest.fixture(scope="module")
def course_text() -> str:
    parts = []
    for mid in MODULES:
        folder = _folder(mid)
        parts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yml"))]
        for _sec, nb in _notebooks(mid):
            parts += [c.source for c in nb.cells]
    return _norm("\n".join(parts))

@pytest.mark.parametrize(("ours", "theirs"), FACTS, ids=[f[0][:30] for f in FACTS])
def test_case_study_fact_matches_the_source(ours, theirs, source, course_text):
    assert _norm(ours) in course_text, f"the course no longer says {ours!r}"
    assert _norm(theirs) in _norm(source), f"the guide does not say {theirs!r}"

def test_every_number_in_the_case_study_activities_is_in_the_source(source):
    data = yaml.safe_load((_folder("07") / "activities.yml").read_text(encoding="utf-8"))
    texts = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("id", "module", "category"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            texts.append(node)

    walk(data)
    numbers = set(re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]*\d)", " ".join(texts)))
    assert {"101.5", "107.5", "15", "2014", "2015"} <= numbers
    src = _norm(source)
    for n in numbers:
        assert re.search(rf"(?<![\d.]){re.escape(n)}(?![\d]|\.\d)", src), f"{n} is not in the guide"

FEATURES = {  # sort category id -> how the guide's commentaries name the feature
    "people": "people centeredness",
    "public-health": "public health perspective",
    "partnering": "partnering and inter professional working",
    "ict": "information and communications technology",
    "quality": "quality improvement",
}

@pytest.mark.parametrize(("activity", "start", "end"), [
    ("team-features", "this case study manifests a range of supportive interventions", "the following quote"),
    ("org-features", "this case study manifests how communities of practice", "further guidance on good practice"),
])
def test_feature_sorts_use_exactly_the_features_the_commentary_names(activity, start, end, source):
    text = _norm(source)
    commentary = text[text.index(start):text.index(end, text.index(start))]
    named = {cid for cid, phrase in FEATURES.items() if phrase in commentary}
    act = load_activities(_folder("07") / "activities.yml")[activity]
    assert {c["id"] for c in act["categories"]} == set(FEATURES)
    assert {i["category"] for i in act["items"]} == named
    for item in act["items"]:
        assert "commentary" in item["feedback"].lower(), item["id"]

def test_bank_says_four_features_for_the_team_and_all_five_for_the_organisation(source):
    text = _norm(source)
    assert "of the five features, four are prominent" in text
    assert "all five of these key features" in text
    q = {q.id: q for q in load_bank("07")}["missing-feature"]
    answer = q.option(next(iter(q.correct)))["text"]
    assert _norm(answer) == FEATURES["public-health"]
