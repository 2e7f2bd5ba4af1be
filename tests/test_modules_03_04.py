"""Modules 3 (compassion and self-compassion) and 4 (compassionate resilience and SHARENOW).

Content checks: question banks and activities load, every outcome has a question, each module's
notebooks use its activities, notebooks open and close as the course requires, the names of
Gilbert's attributes and the SHARENOW skills match the guide, and the sort activities mark correctly.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from resilience_course.activities.model import load_activities, mark_sort
from resilience_course.core.course import load_outline
from resilience_course.knowledge.model import load_bank, mark
from resilience_course.selfcheck.model import load_definition

MODULES = ["03", "04"]
GUIDE = Path(__file__).resolve().parents[2] / "shared" / "source" / "resilience-framework-guide.txt"
# Names exactly as the guide gives them (iHV, 2015, Appendix 1).
GILBERT_ATTRIBUTES = ["attentional sensitivity", "motivation", "empathy", "sympathy", "distress tolerance",
                      "non-judgemental positive regard"]
# The key word of each SHARENOW skill (the word that gives the letter), in acronym order.
SHARENOW_KEYS = ["Self-awareness", "Hope", "Acceptance", "Relationships", "Expressing vulnerability", "NOW"]
FIVE_AREAS = ["physical", "mental", "emotional", "relational", "spiritual"]
THINKING_TRAPS = ["mind-reading", "blaming others", "blaming self", "believing it's permanent"]

def module(mid):
    return load_outline().module(mid)

def notebooks(root, mid):
    m = module(mid)
    return [(s, root / s.path) for s in m.sections]

def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]

def markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in nb["cells"] if c["cell_type"] == "markdown")

def rc_calls(path: Path) -> list[tuple[str, list]]:
    """Every ``rc.name(...)`` call in the notebook's code cells, with its literal positional arguments."""
    out = []
    for src in code_cells(path):
        for node in ast.walk(ast.parse(src)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "rc"):
                out.append((node.func.attr, [ast.literal_eval(a) for a in node.args]))
    return out

def guide_text() -> str:
    if not GUIDE.is_file():
        pytest.skip("the source guide is not available next to the repository")
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8")).replace("\u2019", "'").lower()

# ---------------------------------------------------------------- loading and coverage

@pytest.mark.parametrize("mid", MODULES)
def test_bank_and_activities_load(mid):
    bank = load_bank(mid)
    acts = load_activities(mid)
    assert len(bank) >= 8, "aim for at least eight questions"
    assert {q.type for q in bank} == {"single", "multiple"}, "use both single and multiple answer questions"
    kinds = {a["type"] for a in acts.values()}
    assert {"sort", "form"} <= kinds

@pytest.mark.parametrize("mid", MODULES)
def test_every_outcome_has_a_question(mid):
    outcomes = [o["id"] for o in module(mid).outcomes]
    assert 3 <= len(outcomes) <= 5
    asked = {q.outcome for q in load_bank(mid)}
    assert set(outcomes) <= asked, f"outcomes without a question: {sorted(set(outcomes) - asked)}"

@pytest.mark.parametrize("mid", MODULES)
def test_every_option_has_its_own_feedback_and_marks(mid):
    for q in load_bank(mid):
        feedback = [o["feedback"].strip() for o in q.options]
        assert all(len(f) > 15 for f in feedback), f"{q.id}: say why for every option"
        assert len(set(feedback)) == len(feedback), f"{q.id}: each option needs its own feedback"
        assert mark(q, q.correct).verdict == "correct"
        for o in q.options:
            if o["id"] not in q.correct:
                assert mark(q, {o["id"]}).verdict == "wrong", f"{q.id}: option {o['id']} should be wrong"

@pytest.mark.parametrize("mid", MODULES)
def test_section_minutes_add_up(mid):
    m = module(mid)
    assert sum(s.minutes for s in m.sections) == m.minutes

# ---------------------------------------------------------------- notebooks

@pytest.mark.parametrize("mid", MODULES)
def test_notebooks_open_and_close_for_their_own_section(root, mid):
    for sec, path in notebooks(root, mid):
        assert path.is_file(), f"{sec.path} is missing"
        code = code_cells(path)
        assert code[0].strip() == "import resilience_course as rc"
        assert code[1].strip() == f'rc.header("{sec.id}")', f"{path.name}: header for its own section"
        assert code[-1].strip() == f'rc.footer("{sec.id}")', f"{path.name}: footer for its own section"
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["cells"][-1]["cell_type"] == "code", f"{path.name}: the footer is the last cell"
        assert not re.search(r"^# ", markdown(path), re.M), f"{path.name}: the h1 comes from rc.header"
        assert "](" not in markdown(path).replace("](https://bit.ly/", ""), \
            f"{path.name}: no hand-written links between sections"

@pytest.mark.parametrize("mid", MODULES)
def test_notebooks_use_the_activities(root, mid):
    acts = load_activities(mid)
    used = []
    for _sec, path in notebooks(root, mid):
        for name, args in rc_calls(path):
            if name == "activity":
                assert args[0] == mid, f"{path.name}: activity from another module"
                assert args[1] in acts, f"{path.name}: no activity {args[1]!r}"
                used.append(args[1])
    assert len(set(used)) >= 2
    assert set(used) == set(acts), f"activities never shown: {sorted(set(acts) - set(used))}"

@pytest.mark.parametrize("mid", MODULES)
def test_reflections_and_knowledge_check(root, mid):
    reflections, checks = [], []
    for _sec, path in notebooks(root, mid):
        for name, args in rc_calls(path):
            if name == "reflection":
                assert args[0] == mid
                reflections.append(args[1])
            if name == "knowledge_check":
                checks.append(args[0])
    assert len(reflections) >= 2 and len(set(reflections)) == len(reflections), "unique reflection prompt ids"
    assert checks == [mid]

@pytest.mark.parametrize("mid", MODULES)
def test_last_section_ends_with_summary_and_external_resources(root, mid):
    _sec, last = notebooks(root, mid)[-1]
    text = markdown(last)
    for heading in ("## Summary", "## Key points", "## Further resources"):
        assert heading in text
    links = re.findall(r"\[bit\.ly/(\w+)\]\(https://bit\.ly/(\w+)\) \(external website\)", text)
    assert len(links) >= 5 and all(a == b for a, b in links), "bit.ly addresses, shown and marked external"
    if GUIDE.is_file():
        guide = GUIDE.read_text(encoding="utf-8")
        assert all(f"bit.ly/{a}" in guide for a, _ in links), "links come from the guide"

def test_module_4_runs_the_sharenow_self_check(root):
    calls = [c for _s, p in notebooks(root, "04") for c in rc_calls(p)]
    assert ("self_check", ["sharenow"]) in calls

# ---------------------------------------------------------------- names match the guide

def test_gilbert_attributes_match_the_guide():
    guide = guide_text()
    acts = load_activities("03")
    explore = [e["label"].lower() for e in acts["gilbert-attributes"]["entries"]]
    sort = [c["label"].lower() for c in acts["attributes-in-practice"]["categories"]]
    assert explore == GILBERT_ATTRIBUTES
    assert sort == GILBERT_ATTRIBUTES
    assert " ".join(GILBERT_ATTRIBUTES[:-1]) + " and " + GILBERT_ATTRIBUTES[-1] in guide

def test_sharenow_skills_match_the_guide():
    guide = guide_text()
    listing = re.search(r"sharenow: (enhancing self-awareness.*?being in the now)", guide).group(1)
    assert all(k.lower() in listing for k in SHARENOW_KEYS)
    assert [k.lower() for k in SHARENOW_KEYS] == sorted((k.lower() for k in SHARENOW_KEYS), key=listing.index)

    d = load_definition("sharenow")
    assert len(d.subscales) == 6
    for sub, key in zip(d.subscales, SHARENOW_KEYS, strict=True):
        assert key.lower() in sub["title"].lower()
    glance = load_activities("04")["sharenow-at-a-glance"]["entries"]
    assert [e["id"] for e in glance] == [s["id"] for s in d.subscales], "same ids as the self-check"
    for entry, key in zip(glance, SHARENOW_KEYS, strict=True):
        assert key.lower() in entry["label"].lower()
    letters = "".join(e["label"].split(":")[0] for e in glance)
    assert letters == "SHARENOW"

def test_other_lists_match_the_guide():
    guide = guide_text()
    five = [c["label"].lower() for c in load_activities("03")["five-areas"]["categories"]]
    assert five == FIVE_AREAS
    assert all(re.search(rf"\d\. {area} - ", guide) for area in FIVE_AREAS)
    traps = [c["label"].lower() for c in load_activities("04")["thinking-traps"]["categories"]]
    assert traps == THINKING_TRAPS
    assert "(e.g. " + ", ".join(THINKING_TRAPS) + ")" in guide
    needs = [c["label"].split(" (")[0].lower() for c in load_activities("03")["core-needs"]["categories"]]
    assert needs == ["competence", "autonomy", "relatedness"]
    apa = " ".join(f["label"].lower() for f in load_activities("04")["support-network"]["fields"])
    for kind in ("trust and love", "role models", "reassure", "encourage"):
        assert kind in apa and kind in guide

def test_sort_answers_from_the_guide():
    traps = load_activities("04")["thinking-traps"]
    assert mark_sort(traps, {"caseload-always": "permanent", "manager-hello": "mind-reading",
                             "weight": "blaming-others"}) == \
        {"caseload-always": True, "manager-hello": True, "weight": False}
    circle = load_activities("04")["circle-of-influence"]
    assert mark_sort(circle, {"ask-supervision": "within", "commissioning": "within"}) == \
        {"ask-supervision": True, "commissioning": False}
