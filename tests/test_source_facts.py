"""Facts and names the course takes from the guide (iHV, 2015), each checked against the guide itself, in one place.

Each test says what the course's files say and finds the same in the source text
(``../shared/source/resilience-framework-guide.txt``); a test skips only the half that needs the
guide when the guide is not next to the repository.
"""

from __future__ import annotations

import re

import pytest
import yaml
from resilience_course.activities.model import load_activities, mark_sort
from resilience_course.knowledge.model import load_bank
from resilience_course.selfcheck.model import load_definition

from .modules.helpers import GUIDE, ROOT, markdown, module, norm, notebooks
from .modules.test_module_specifics import GROUPS

# Names exactly as the guide gives them (iHV, 2015, Appendix 1).
GILBERT_ATTRIBUTES = ["attentional sensitivity", "motivation", "empathy", "sympathy", "distress tolerance",
                      "non-judgemental positive regard"]
# The key word of each SHARENOW skill (the word that gives the letter), in acronym order.
SHARENOW_KEYS = ["Self-awareness", "Hope", "Acceptance", "Relationships", "Expressing vulnerability", "NOW"]
FIVE_AREAS = ["physical", "mental", "emotional", "relational", "spiritual"]
THINKING_TRAPS = ["mind-reading", "blaming others", "blaming self", "believing it's permanent"]

# The four After Action Review questions as the guide gives them (iHV, 2015), numbered in order.
AAR_FOUR = {
    1: "What did you expect to happen?",
    2: "What happened?",
    3: "What was the difference?",
    4: "What did you learn?",
}

#: The case-study modules whose words are compared with the guide's, fact by fact.
CASE_MODULES = ("06", "07")


def guide_text() -> str:
    if not GUIDE.is_file():
        pytest.skip("the source guide is not available next to the repository")
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8")).replace("\u2019", "'").lower()


@pytest.fixture(scope="module")
def source() -> str:
    if not GUIDE.is_file():
        pytest.skip("the source guide (../shared/source) is not available")
    return GUIDE.read_text(encoding="utf-8")


def module_folder(mid):
    return ROOT / module(mid).folder


# -- module 3 and 4: names and lists ------------------------------------------------------------------
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


# -- module 5: the After Action Review and the practicalities ------------------------------------------
def test_aar_question_lists_the_four_questions():
    q = next(q for q in load_bank("05") if q.id == "aar-questions")
    right = {q.option(o)["text"] for o in q.correct}
    assert right == set(AAR_FOUR.values())


def test_supervision_sort_uses_the_three_functions():
    act = load_activities("05")["supervision-functions"]
    assert [c["id"] for c in act["categories"]] == ["restorative", "normative", "formative"]
    assert {i["category"] for i in act["items"]} == {"restorative", "normative", "formative"}


def test_aar_section_lists_the_four_questions_in_order():
    text = markdown(notebooks("05")[3][1])
    found = re.findall(r"^\d\. (What [^?]+\?)$", text, re.M)
    assert found == [AAR_FOUR[n] for n in sorted(AAR_FOUR)]


@pytest.mark.parametrize("fact", ["every three months", "about five members", "monthly", "up to 12"])
def test_module_teaches_the_practicalities(fact):
    text = " ".join(markdown(nb) for _s, nb in notebooks("05")).lower()
    assert fact in text


def test_the_tool_asks_the_guides_four_questions():
    from resilience_course.support.aar import AAR_QUESTIONS

    assert [q for _field, q, _hint in AAR_QUESTIONS] == [AAR_FOUR[n] for n in sorted(AAR_FOUR)]
    assert [field for field, _q, _hint in AAR_QUESTIONS] == ["expected", "happened", "difference", "learned"]
    if GUIDE.is_file():
        guide = re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))
        assert " ".join(AAR_FOUR[n] for n in sorted(AAR_FOUR)) in guide, "the questions are the guide's own"


# -- modules 6 and 7: the ten steps and the case studies -----------------------------------------------
def test_ten_steps_headings_match_figure_3(source):
    text = norm(source)
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

# (text in the course's files, text in the guide); both compared after norm()
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
    for mid in CASE_MODULES:
        folder = module_folder(mid)
        parts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yml"))]
        for _sec, nb in notebooks(mid):
            parts += [c.source for c in nb.cells]
    return norm("\n".join(parts))

@pytest.mark.parametrize(("ours", "theirs"), FACTS, ids=[f[0][:30] for f in FACTS])
def test_case_study_fact_matches_the_source(ours, theirs, source, course_text):
    assert norm(ours) in course_text, f"the course no longer says {ours!r}"
    assert norm(theirs) in norm(source), f"the guide does not say {theirs!r}"

def test_every_number_in_the_case_study_activities_is_in_the_source(source):
    data = yaml.safe_load((module_folder("07") / "activities.yml").read_text(encoding="utf-8"))
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
    src = norm(source)
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
    text = norm(source)
    commentary = text[text.index(start):text.index(end, text.index(start))]
    named = {cid for cid, phrase in FEATURES.items() if phrase in commentary}
    act = load_activities(module_folder("07") / "activities.yml")[activity]
    assert {c["id"] for c in act["categories"]} == set(FEATURES)
    assert {i["category"] for i in act["items"]} == named
    for item in act["items"]:
        assert "commentary" in item["feedback"].lower(), item["id"]

def test_bank_says_four_features_for_the_team_and_all_five_for_the_organisation(source):
    text = norm(source)
    assert "of the five features, four are prominent" in text
    assert "all five of these key features" in text
    q = {q.id: q for q in load_bank("07")}["missing-feature"]
    answer = q.option(next(iter(q.correct)))["text"]
    assert norm(answer) == FEATURES["public-health"]
