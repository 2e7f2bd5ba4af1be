"""Content corrections from issue 15, each checked against the guide (iHV, 2015)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "widgets" / "resilience_course" / "data"
MODULES = ROOT / "modules"


def _nb_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"])


def _all_course_text() -> dict[Path, str]:
    texts = {}
    for path in [*ROOT.glob("course/**/*"), *MODULES.glob("**/*"), *DATA.glob("**/*.yml")]:
        if path.suffix == ".ipynb":
            texts[path] = _nb_text(path)
        elif path.suffix in {".yml", ".md"}:
            texts[path] = path.read_text(encoding="utf-8")
    return texts


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _item(path: Path, key: str, ident: str) -> dict:
    return next(i for i in _yaml(path)[key] if i["id"] == ident)


def test_after_action_review_third_question_is_what_was_the_difference():
    texts = {p: _flat(t).lower() for p, t in _all_course_text().items()}
    wrong = [str(p) for p, t in texts.items() if re.search(r"why (was there a|the) difference", t)]
    assert not wrong
    for path in (ROOT / "course/facilitator/guide.md", ROOT / "course/facilitator/sessions.yml",
                 MODULES / "05-models-of-support/05.04-knowledge-check-and-summary.ipynb",
                 MODULES / "05-models-of-support/05.03-after-action-review.ipynb"):
        assert "what was the difference" in texts[path], path
    assert _flat((ROOT / "course/facilitator/sessions.yml").read_text()).lower().count("what was the difference") == 2


def test_wagnild_and_young_named_in_module_2_with_the_guides_link():
    text = _flat(_nb_text(MODULES / "02-understanding-resilience/02.03-signs-of-reducing-resilience.ipynb"))
    assert re.search(r"Wagnild and Young \(1993\).{0,120}\(https://bit\.ly/1NANPQi\)", text)
    summary = _nb_text(MODULES / "02-understanding-resilience/02.04-knowledge-check-and-summary.ipynb")
    assert "(https://bit.ly/1NANPQi)" in summary


def test_benchmark_definitions_are_data_and_taught_in_06_03():
    tool = _yaml(DATA / "benchmark-factors.yml")
    defs = {d["term"].split(" (")[0].lower(): d for d in tool["definitions"]}
    for term in ("engagement", "health", "wellbeing", "culture", "client", "care environment"):
        assert term in defs, term
    assert "1948" in defs["health"]["source"] and "World Health Organisation" in defs["health"]["source"]
    assert "2010" in defs["wellbeing"]["source"] and "New Horizons" in defs["wellbeing"]["source"]
    section = _flat(_nb_text(MODULES / "06-leading-resilient-teams/06.03-benchmarking.ipynb"))
    for term in ("Engagement", "Health", "Wellbeing", "Culture", "Client", "Care environment"):
        assert f"**{term}**" in section, term
    assert "World Health Organisation (1948)" in section and "*New Horizons* (DH, 2010)" in section


def test_06_03_no_longer_says_the_tool_may_be_coming_soon():
    assert "coming soon" not in _nb_text(MODULES / "06-leading-resilient-teams/06.03-benchmarking.ipynb").lower()


def test_circle_of_influence_question_separates_control_from_influence():
    q = _item(MODULES / "04-compassionate-resilience-sharenow/questions.yml", "questions", "circle-of-influence")
    assert "control" in q["stem"] and q["correct"] == ["a"]
    family = next(o for o in q["options"] if o["id"] == "b")
    assert "influence" in family["feedback"] and "control" in family["feedback"]
    activity = _item(MODULES / "04-compassionate-resilience-sharenow/activities.yml", "activities",
                     "circle-of-influence")
    labels = {c["label"] for c in activity["categories"]}
    assert labels == {"Mine to control", "Not mine to control"}


def test_centre_of_figure_and_service_layers_mark_the_ring_order_as_the_courses_reading():
    q = _item(MODULES / "01-context-of-health-visiting/questions.yml", "questions", "centre-of-figure")
    for option in q["options"]:
        if option["id"] != "a":
            assert "reading" in option["feedback"] or "does not put" in option["feedback"], option["id"]
    assert "reading" in q["explanation"]
    layers = {e["id"]: e for e in _item(MODULES / "01-context-of-health-visiting/activities.yml", "activities",
                                        "service-layers")["entries"]}
    assert "course reads the figure" in layers["rings"]["body"] and "reading" in layers["national"]["body"]


def test_self_check_use_key_matches_the_band_advice():
    q = _item(MODULES / "04-compassionate-resilience-sharenow/questions.yml", "questions", "self-check-use")
    key = next(o for o in q["options"] if o["id"] in q["correct"])
    assert "lowest" not in key["text"]
    assert "easiest" in key["feedback"]
    bands = " ".join(b["interpretation"] for b in _yaml(DATA / "selfchecks/sharenow.yml")["bands"])
    assert "easiest" in bands


def test_one_label_for_the_preceptorship_link():
    labels = set()
    for text in _all_course_text().values():
        labels.update(re.findall(r"\[([^\]]+)\]\(https://bit\.ly/1BG7vib\)", text))
    models = _yaml(DATA / "models-of-support.yml")
    for model in models["models"]:
        for res in model.get("resources", []):
            if isinstance(res, dict) and res.get("url") == "https://bit.ly/1BG7vib":
                labels.add(res["title"])
    assert len(labels) == 1, labels
    assert "Induction and Preceptorship" in labels.pop()


def test_gilberts_attributes_in_the_guides_order():
    for path, text in _all_course_text().items():
        flat = _flat(text).lower()
        for match in re.finditer(r"attentional sensitivity.{0,200}", flat):
            span = match.group(0)
            if "empathy" in span and "sympathy" in span:
                assert span.index("empathy") < span.index("sympathy"), path


def test_proctor_credited_for_the_three_functions_of_supervision():
    menu = _flat(_nb_text(MODULES / "05-models-of-support/05.01-the-menu.ipynb"))
    assert re.search(r"three functions[^.]*Proctor \(1986\)", menu)
    summary = _nb_text(MODULES / "05-models-of-support/05.04-knowledge-check-and-summary.ipynb")
    assert "restorative, normative and formative (Proctor, 1986)" in summary
    clinical = next(m for m in _yaml(DATA / "models-of-support.yml")["models"] if m["id"] == "clinical-supervision")
    assert "Proctor (1986)" in clinical["description"]


def test_the_menu_counts_ten_models_as_the_guide_does():
    for name in ("05.01-the-menu.ipynb", "05.04-knowledge-check-and-summary.ipynb"):
        text = _nb_text(MODULES / "05-models-of-support" / name).lower()
        assert "twelve models" not in text and "ten models" in text, name


def test_session_plans_give_each_modules_time_as_course_yml_does():
    minutes = {m["title"]: m["minutes"] for m in _yaml(ROOT / "course/course.yml")["modules"]}
    sessions = _flat((ROOT / "course/facilitator/sessions.yml").read_text())
    found = re.findall(r"module \d, ([^(]+?) \(about (\d+) minutes\)", sessions)
    assert len(found) == 6
    for title, mins in found:
        assert minutes[title] == int(mins), title


def test_session_plans_list_materials():
    for plan in _yaml(ROOT / "course/facilitator/sessions.yml")["sessions"]:
        assert plan.get("materials"), plan["module"]
