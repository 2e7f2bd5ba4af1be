"""Module 5 tools: the menu of models of support, the support finder and the After Action Review.

Engine: the menu holds every model in the guide's table with the practicalities the guide gives;
every need finds support built only from the data; broken data is rejected naming file, entry and
reason. After Action Review: saves, lists, exports (HTML and Markdown) with learner text escaped,
and the file written is exactly the preview. Widgets are driven by setting values and clicking.
"""

from __future__ import annotations

import copy
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from resilience_course.core.content import ContentError, package_data
from resilience_course.support.aar import (
    AAR_KIND,
    AAR_QUESTIONS,
    AARError,
    aar_payload,
    export_text,
    list_aars,
    privacy_warnings,
    save_aar,
    write_export,
)
from resilience_course.support.figure import menu_figure
from resilience_course.support.finder import PLAN_KIND, find_support
from resilience_course.support.menu import cite, comparison_rows, load_models
from traitlets import TraitError

GUIDE = Path(__file__).resolve().parents[2] / "shared" / "source" / "resilience-framework-guide.txt"

# The rows of the guide's table "Models of Support and Resources" (iHV, 2015), as model ids.
GUIDE_MODELS = {
    "relationship-based": "Relationship-based models of intervention",
    "peer-support": "Peer support",
    "safeguarding-supervision": "Safeguarding supervision",
    "clinical-supervision": "Clinical supervision",
    "restorative-supervision": "Restorative supervision",
    "mentorship": "Mentorship",
    "coaching": "Coaching",
    "courageous-conversations": "Courageous conversations",
    "action-learning-sets": "Action learning sets",
    "performance-feedback": "Performance feedback",
    "interagency-groups": "Interagency and interdisciplinary groups",
    "compassionate-resilience": "Compassionate resilience",
}
GUIDE_VARIANTS = {
    "performance-feedback": {"constructive-feedback", "feedback-360", "after-action-review"},
    "interagency-groups": {"work-discussion-groups", "schwartz-rounds", "compassion-circles"},
}
NEEDS = [n.id for n in load_models().needs]
HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"


def guide_text() -> str:
    if not GUIDE.is_file():
        pytest.skip("the source guide is not available next to the repository")
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8")).lower()


def raw_menu() -> dict:
    return yaml.safe_load(package_data("models-of-support.yml").read_text(encoding="utf-8"))


def write_menu(tmp_path: Path, data: dict, name: str = "models.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {a for a, _v in attrs}


def tags_of(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


# ---------------------------------------------------------------- the menu matches the guide


def test_menu_has_every_model_in_the_guide_table():
    menu = load_models()
    assert {m.id: m.name for m in menu.models} == GUIDE_MODELS
    for model_id, variants in GUIDE_VARIANTS.items():
        assert {v.id for v in menu.model(model_id).variants} == variants
    for m in menu.models:
        assert m.description and m.benefits and m.ask and m.resources, m.id
    assert menu.centre["name"] == "Compassion"


def test_practicalities_are_those_the_guide_gives():
    menu = load_models()
    p = {e.id: e.practicalities for e in menu.entries()}
    assert p["safeguarding-supervision"]["frequency"] == "At least once every three months (NHSE, 2014)"
    assert "expert knowledge of child protection" in p["safeguarding-supervision"]["who"]
    assert p["work-discussion-groups"] == {
        "group_size": "About five members",
        "facilitation": "A trained, experienced facilitator",
    }
    assert p["schwartz-rounds"]["frequency"] == "Monthly"
    assert p["schwartz-rounds"]["group_size"].startswith("Multidisciplinary")
    assert p["compassion-circles"]["group_size"] == "Up to 12 people"
    assert p["coaching"]["duration"] == "A set period"
    assert "more structured than mentoring" in p["coaching"]["frequency"]
    assert p["mentorship"]["duration"] == "An ongoing relationship"
    assert p["clinical-supervision"]["group_size"] == "One to one or in a group"
    # the guide's own words for the same facts
    guide = guide_text()
    for fact in (
        "minimum of 3 monthly safeguarding supervision",
        "approximately five members",
        "meet monthly",
        "groups of up to 12 people",
        "relationship with a set duration",
        "ongoing relationship",
        "individually or in groups",
    ):
        assert fact in guide, fact


def test_clinical_supervision_names_its_three_functions():
    features = " ".join(load_models().model("clinical-supervision").features).lower()
    for function in ("restorative", "normative", "formative"):
        assert function in features


def test_every_link_comes_from_the_guide():
    guide = guide_text()
    urls = [r["url"] for e in load_models().entries() for r in e.resources if r.get("url")]
    assert len(urls) >= 12
    for url in urls:
        assert url.startswith("https://bit.ly/")
        assert url.removeprefix("https://").lower() in guide, url


def test_cite_formats_a_reference():
    r = {
        "authors": "Gilbert, P.",
        "year": 2010,
        "title": "The Compassionate Mind",
        "subtitle": "a new approach",
        "where": "London, Constable",
    }
    assert cite(r) == "Gilbert, P. (2010) The Compassionate Mind: a new approach. London, Constable."
    assert cite({"title": "The Family Partnership Model"}) == "The Family Partnership Model."


# ---------------------------------------------------------------- the support finder


@pytest.mark.parametrize("need_id", NEEDS)
def test_every_need_finds_support_built_from_the_model_data(need_id):
    menu = load_models()
    need = menu.need(need_id)
    recs = find_support([need_id], menu)
    assert len(recs) >= 1
    assert len(recs) == len(need.recommendations)
    by_key = {(r["model"], r.get("variant", "")): r for r in need.recommendations}
    for rec in recs:
        entry = menu.entry(rec.model_id, rec.variant_id)
        data = by_key[(rec.model_id, rec.variant_id)]
        assert rec.name == entry.name
        assert rec.practicalities == entry.practicalities, "practicalities come from the model record"
        assert [r.need_id for r in rec.reasons] == [need_id]
        reason = rec.reasons[0]
        assert reason.why == data["why"]
        assert reason.benefits and reason.benefits == tuple(entry.benefits[b] for b in data["benefits"])
        assert set(reason.benefits) <= set(entry.benefits.values()), "cites the model's own benefits"
        assert need.context in rec.script and entry.ask in rec.script
        assert dict(rec.when + rec.with_whom) == {
            lab: entry.practicalities[k]
            for k, lab in (
                ("frequency", "How often"),
                ("duration", "How long"),
                ("group_size", "Group size"),
                ("who", "Who with"),
                ("facilitation", "Facilitation"),
                ("format", "Format"),
            )
            if k in entry.practicalities
        }
        if rec.variant_id:
            assert rec.parent_name == menu.model(rec.model_id).name
            assert set(map(id, menu.model(rec.model_id).resources)) <= set(map(id, rec.resources))


def test_every_model_and_variant_is_reachable_from_some_need():
    menu = load_models()
    reached = {(r.model_id, r.variant_id) for n in NEEDS for r in find_support([n], menu)}
    assert {m for m, _v in reached} == set(GUIDE_MODELS)
    for model_id, variants in GUIDE_VARIANTS.items():
        assert {(model_id, v) for v in variants} <= reached


def test_needs_cover_the_situations_in_the_brief():
    labels = " ".join(n.label.lower() for n in load_models().needs)
    for word in ("safeguarding", "skill", "isolated", "career", "conflict", "stressed", "new", "went wrong"):
        assert word in labels, word
    assert len(NEEDS) >= 8


def test_models_fitting_more_needs_come_first():
    recs = find_support(["stressed", "isolation"])
    counts = [len(r.reasons) for r in recs]
    assert counts == sorted(counts, reverse=True) and counts[0] == 2
    both = {r.key for r in recs if len(r.reasons) == 2}
    assert both == {"peer-support", "compassionate-resilience"}
    first = next(r for r in recs if r.key == "peer-support")
    menu = load_models()
    assert menu.need("stressed").context in first.script and menu.need("isolation").context in first.script


def test_find_support_rejects_unknown_needs_and_allows_none():
    with pytest.raises(ValueError, match="no-such-need"):
        find_support(["stressed", "no-such-need"])
    assert find_support([]) == []


def test_aar_need_leads_to_the_after_action_review():
    keys = [r.key for r in find_support(["event-went-wrong"])]
    assert keys[0] == "performance-feedback/after-action-review"


# ---------------------------------------------------------------- rejected data


def _reject(tmp_path, mutate, entry, reason):
    data = copy.deepcopy(raw_menu())
    mutate(data)
    path = write_menu(tmp_path, data)
    with pytest.raises(ContentError) as info:
        load_models(path)
    err = info.value
    assert err.file == str(path)
    assert err.entry == entry
    assert re.search(reason, err.reason), err.reason
    return err


def test_shipped_menu_loads_and_is_registered_for_content_checks():
    from resilience_course.validate_all import content_files

    assert (package_data("models-of-support.yml"), "models") in content_files()


def test_unknown_key_is_rejected(tmp_path):
    _reject(
        tmp_path, lambda d: d["models"][2].update(colour="blue"), "models[2]", r"unknown key\(s\) 'colour'"
    )


def test_need_pointing_at_a_missing_model_is_rejected(tmp_path):
    def mutate(d):
        d["needs"][0]["recommendations"][0]["model"] = "no-such-model"

    _reject(tmp_path, mutate, "needs[0].recommendations[0].model", r"'no-such-model' is not a model")


def test_need_pointing_at_a_missing_variant_is_rejected(tmp_path):
    def mutate(d):
        d["needs"][0]["recommendations"][0].update(model="coaching", variant="schwartz-rounds")

    _reject(tmp_path, mutate, "needs[0].recommendations[0].variant", r"not a variant of model 'coaching'")


def test_unknown_benefit_is_rejected(tmp_path):
    def mutate(d):
        d["needs"][1]["recommendations"][0]["benefits"] = ["skills", "made-up"]

    _reject(
        tmp_path, mutate, "needs[1].recommendations[0].benefits", r"'made-up' is not a benefit of coaching"
    )


def test_recommendation_without_cited_benefits_is_rejected(tmp_path):
    def mutate(d):
        del d["needs"][0]["recommendations"][0]["benefits"]

    _reject(tmp_path, mutate, "needs[0].recommendations[0]", r"'benefits' is missing")


def test_unreachable_model_is_rejected(tmp_path):
    def mutate(d):
        for need in d["needs"]:
            need["recommendations"] = [r for r in need["recommendations"] if r["model"] != "mentorship"]

    index = list(GUIDE_MODELS).index("mentorship")
    _reject(tmp_path, mutate, f"models[{index}]", r"no need leads to model 'mentorship'")


def test_unreachable_variant_is_rejected(tmp_path):
    def mutate(d):
        for need in d["needs"]:
            need["recommendations"] = [
                r for r in need["recommendations"] if r.get("variant") != "schwartz-rounds"
            ]

    index = list(GUIDE_MODELS).index("interagency-groups")
    _reject(
        tmp_path,
        mutate,
        f"models[{index}].variants[1]",
        r"no need leads to interagency-groups/schwartz-rounds",
    )


def test_duplicate_ids_and_repeated_recommendations_are_rejected(tmp_path):
    _reject(
        tmp_path, lambda d: d["models"][1].update(id=d["models"][0]["id"]), "models[1].id", "duplicate id"
    )

    def repeat(d):
        d["needs"][0]["recommendations"].append(dict(d["needs"][0]["recommendations"][0]))

    n = len(raw_menu()["needs"][0]["recommendations"])
    _reject(tmp_path, repeat, f"needs[0].recommendations[{n}]", "recommended twice")


def test_insecure_or_odd_links_are_rejected(tmp_path):
    _reject(
        tmp_path,
        lambda d: d["models"][0]["resources"][0].update(url="http://bit.ly/1GJbJJc"),
        "models[0].resources[0].url",
        "does not match",
    )
    _reject(
        tmp_path,
        lambda d: d["models"][0]["resources"][0].update(url='https://x.org/"onmouseover=x'),
        "models[0].resources[0].url",
        "does not match",
    )


def test_content_check_runs_the_deep_loader(tmp_path):
    from resilience_course.validate_all import _deep_check

    data = raw_menu()
    data["needs"][2]["recommendations"][0]["model"] = "nowhere"
    path = write_menu(tmp_path, data, "models-of-support.yml")
    with pytest.raises(ContentError, match="'nowhere' is not a model"):
        _deep_check(path, "models")


# ---------------------------------------------------------------- the figure


def test_figure_has_alt_text_and_a_comparison_table():
    menu = load_models()
    chart = menu_figure(menu)
    assert chart.png.startswith(b"\x89PNG")
    for m in menu.models:
        assert m.name in chart.alt
    assert "grey night sky" in chart.alt and "Compassion" in chart.alt
    html = chart.to_html()
    assert 'alt="Illustration:' in html and "<table" in html
    rows = comparison_rows(menu)
    assert len(rows) == len(menu.entries())
    schwartz = next(r for r in rows if r[0].startswith("Schwartz Rounds"))
    assert schwartz[3] == "Monthly"


# ---------------------------------------------------------------- After Action Review


def test_aar_saves_and_lists(store):
    rid = save_aar(
        store,
        title="A clinic that overran",
        expected="An hour",
        happened="Two hours",
        difference="No cover",
        learned="Book cover early",
    )
    saved = list_aars(store)
    assert [r["id"] for r in saved] == [rid]
    assert saved[0]["module"] == "05" and saved[0]["kind"] == AAR_KIND
    payload = saved[0]["payload"]
    assert {k: payload[k] for k in ("title", "expected", "happened", "difference", "learned")} == {
        "title": "A clinic that overran",
        "expected": "An hour",
        "happened": "Two hours",
        "difference": "No cover",
        "learned": "Book cover early",
    }
    assert payload["created"]


def test_aar_needs_an_answer_and_limits_length(store):
    with pytest.raises(AARError, match="nothing to save"):
        save_aar(store, title="Only a title", expected="   ")
    with pytest.raises(AARError, match="longer than"):
        aar_payload(happened="x" * 20001)
    assert list_aars(store) == []
    assert aar_payload(learned="Something").get("title", "").startswith("After Action Review, ")


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_export_escapes_hostile_learner_text(store, fmt):
    save_aar(
        store, title=HOSTILE, expected=HOSTILE, happened="fine", difference="", learned="# not a heading"
    )
    text = export_text(list_aars(store), fmt)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "&amp;" in text
    for _k, q, _h in AAR_QUESTIONS:
        assert q in text
    assert "identify" in text, "the export carries the privacy reminder"
    if fmt == "html":
        parsed = tags_of(text)
        assert not {"script", "img", "iframe"} & parsed.tags
        assert not any(a.startswith("on") for a in parsed.attrs)
        assert '<html lang="en-GB">' in text
    else:
        assert "\n\\# not a heading" in text


def test_export_of_several_reviews_and_unknown_format(store):
    save_aar(store, title="First", happened="a")
    save_aar(store, title="Second", happened="b")
    md = export_text(list_aars(store), "markdown")
    assert md.startswith("# My After Action Reviews") and "## First" in md and "## Second" in md
    with pytest.raises(ValueError, match="Unknown export format"):
        export_text(list_aars(store), "pdf")
    with pytest.raises(AARError):
        export_text([], "html")


def test_write_export_is_exact_private_and_never_overwrites(tmp_path):
    text = "line one\r\nline two <b>\n"
    first = write_export(text, "review.md", tmp_path / "out")
    second = write_export("other", "review.md", tmp_path / "out")
    assert first.read_bytes() == text.encode("utf-8")
    assert second.name == "review-2.md" and second.read_text(encoding="utf-8") == "other"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    for bad in ("../escape.html", "sub/dir.md", "notes.txt", "", ".hidden.md"):
        with pytest.raises(ValueError):
            write_export("x", bad, tmp_path)


def test_privacy_warnings_catch_identifiers_but_not_ordinary_text():
    assert privacy_warnings("NHS no. 943 476 5919")
    assert privacy_warnings("lives at SW1A 1AA")
    assert privacy_warnings("born 03/04/2019")
    assert privacy_warnings("email me at someone@example.org")
    assert privacy_warnings("A visit at 10:30 ran over by 20 minutes", "") == []


# ---------------------------------------------------------------- widgets


def test_support_finder_widget_shows_fitting_models_and_saves_a_plan(store):
    from resilience_course.support.finder_widgets import SupportFinder

    finder = SupportFinder(store=store)
    finder.toggles["safeguarding-case"].value = True
    finder.toggles["new-role"].value = True
    assert finder.needs == ["safeguarding-case", "new-role"]
    assert finder.save_button.disabled
    finder.find_button.click()
    html = finder.results_html.value
    recs = find_support(["safeguarding-case", "new-role"])
    for rec in recs:
        assert rec.name in html
    assert "At least once every three months (NHSE, 2014)" in html
    assert "How to ask for it" in html and "(external link, opens in a new tab)" in html
    assert "Support is available" not in html
    assert not finder.save_button.disabled
    finder.save_button.click()
    plans = store.records(PLAN_KIND, "05")
    assert len(plans) == 1 and plans[0]["payload"]["needs"] == ["safeguarding-case", "new-role"]
    assert [m["name"] for m in plans[0]["payload"]["models"]] == [r.name for r in recs]
    assert finder.message.startswith("Saved")


def test_support_finder_asks_for_a_choice_and_signposts_distress(store):
    from resilience_course.support.finder_widgets import SupportFinder

    finder = SupportFinder(store=store)
    finder.find_button.click()
    assert "Choose at least one" in finder.status_html.value and finder.results_html.value == ""
    finder.toggles["stressed"].value = True
    assert finder.message == ""
    finder.find_button.click()
    assert "Support is available" in finder.results_html.value
    assert "occupational" in finder.results_html.value, "the need's note from the guide is shown"
    finder.toggles["stressed"].value = False
    assert "Restorative supervision" not in finder.results_html.value
    with pytest.raises(TraitError):
        finder.needs = ["not-a-need"]


def test_models_explorer_shows_models_and_variants():
    from resilience_course.support.menu_widgets import ModelsExplorer

    explorer = ModelsExplorer(figure=False)
    assert explorer.variant_chooser.layout.display == "none"
    explorer.chooser.value = "coaching"
    assert explorer.selected == "coaching"
    assert "more structured than mentoring" in explorer.body_html.value
    assert "Brandt, R. (2013)" in explorer.body_html.value
    explorer.chooser.value = "interagency-groups"
    assert explorer.variant_chooser.layout.display == ""
    explorer.variant_chooser.value = "compassion-circles"
    assert explorer.variant == "compassion-circles"
    assert "Up to 12 people" in explorer.body_html.value
    explorer.chooser.value = "mentorship"
    assert explorer.variant == "" and "An ongoing relationship" in explorer.body_html.value
    with pytest.raises(TraitError):
        explorer.selected = "knitting-circle"
    with pytest.raises(TraitError):
        explorer.variant = "schwartz-rounds"


def test_models_explorer_includes_the_figure():
    from resilience_course.support.menu_widgets import ModelsExplorer

    explorer = ModelsExplorer()
    assert 'alt="Illustration:' in explorer.children[0].value


def _fill(aar, **answers):
    aar.title_box.value = answers.pop("title", "")
    for field, value in answers.items():
        aar.boxes[field].value = value


def test_after_action_review_widget_saves_previews_and_writes(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path / "exports")
    assert aar.preview_button.disabled and aar.write_button.disabled
    _fill(
        aar,
        title=HOSTILE,
        expected="A short visit",
        happened=HOSTILE,
        difference="Longer",
        learned="Plan ahead",
    )
    aar.save_button.click()
    assert aar.message.startswith("Saved")
    assert all(box.value == "" for box in aar.boxes.values()) and aar.title_box.value == ""
    saved = list_aars(store)
    assert len(saved) == 1 and saved[0]["payload"]["happened"] == HOSTILE
    assert "<script>" not in aar.saved_html.value and "&lt;script&gt;" in aar.saved_html.value
    assert aar.export_choice == saved[0]["id"]

    assert aar.write() is None, "without a preview nothing is written"
    assert aar.last_written is None and "Preview the export first" in aar.export_message

    aar.preview_button.click()
    assert aar.preview == export_text(saved, "html")
    # the preview shows the file's own text, which is itself escaped: shown, never run
    assert "&amp;lt;script&amp;gt;" in aar.preview_html.value and "<script" not in aar.preview_html.value
    assert not aar.write_button.disabled
    aar.write_button.click()
    path = aar.last_written
    assert path is not None and path.parent == tmp_path / "exports" and path.suffix == ".html"
    assert path.read_text(encoding="utf-8") == aar.preview, "the file is exactly the preview"

    aar.format_box.value = "markdown"
    assert aar.preview == "" and aar.write_button.disabled and aar.filename.endswith(".md")
    aar.preview_button.click()
    aar.write_button.click()
    assert aar.last_written.suffix == ".md"
    assert aar.last_written.read_text(encoding="utf-8") == aar.preview == export_text(saved, "markdown")


def test_after_action_review_widget_checks_privacy_and_keeps_text(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    aar.save_button.click()
    assert "nothing to save" in aar.status_html.value and list_aars(store) == []
    _fill(aar, happened="Baby's NHS number 943 476 5919 was on the letter")
    aar.save_button.click()
    assert "NHS number" in aar.message and list_aars(store) == []
    assert aar.boxes["happened"].value.startswith("Baby's"), "nothing typed is lost"
    aar.boxes["happened"].value = "The letter had the wrong details"
    aar.save_button.click()
    assert aar.message.startswith("Saved") and len(list_aars(store)) == 1


def test_after_action_review_widget_confirms_on_second_save(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    _fill(aar, learned="Send reminders to SW1A 1AA clinic")
    aar.save_button.click()
    assert list_aars(store) == []
    aar.save_button.click()
    assert len(list_aars(store)) == 1


def test_after_action_review_widget_survives_a_store_failure(store, tmp_path, monkeypatch):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    _fill(aar, happened="Something to keep")

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "add_record", broken)
    aar.save_button.click()
    assert "could not be saved" in aar.message
    assert aar.boxes["happened"].value == "Something to keep"


def test_after_action_review_widget_exports_all_and_rejects_bad_names(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    save_aar(store, title="One", happened="a")
    save_aar(store, title="Two", happened="b")
    aar = AfterActionReview(store=store, folder=tmp_path)
    assert ("All my After Action Reviews (2)", "all") in aar.choice_box.options
    aar.choice_box.value = "all"
    aar.preview_button.click()
    assert "My After Action Reviews" in aar.preview
    aar.filename_box.value = "../outside.html"
    aar.write_button.click()
    assert "plain file name" in aar.export_message and aar.last_written is None
    with pytest.raises(TraitError):
        aar.export_choice = "not-a-review"
    with pytest.raises(TraitError):
        aar.export_format = "pdf"


def test_package_exposes_the_tools(store, tmp_path):
    import resilience_course as rc

    assert isinstance(rc.support_finder(store=store), rc.SupportFinder)
    assert isinstance(rc.after_action_review(store=store, folder=tmp_path), rc.AfterActionReview)
    assert isinstance(rc.models_of_support(figure=False), rc.ModelsExplorer)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_tools_use_only_accessible_controls_with_labels(store, tmp_path):
    import ipywidgets as w
    from resilience_course.support.aar_widgets import AfterActionReview
    from resilience_course.support.finder_widgets import SupportFinder
    from resilience_course.support.menu_widgets import ModelsExplorer

    allowed = (
        w.VBox,
        w.HBox,
        w.HTML,
        w.ToggleButton,
        w.ToggleButtons,
        w.Dropdown,
        w.Text,
        w.Textarea,
        w.Button,
    )
    for tool in (
        SupportFinder(store=store),
        AfterActionReview(store=store, folder=tmp_path),
        ModelsExplorer(),
    ):
        for widget in _walk(tool):
            assert isinstance(widget, allowed), type(widget).__name__
            assert not isinstance(widget, (w.RadioButtons, w.Checkbox, w.IntSlider, w.FloatSlider))
            if isinstance(widget, (w.Dropdown, w.Text, w.Textarea, w.ToggleButton, w.Button)):
                assert widget.description, f"{type(widget).__name__} without a label in {type(tool).__name__}"


def test_after_action_review_widget_enables_preview_once_a_review_exists(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    aar = AfterActionReview(store=store, folder=tmp_path)
    assert aar.preview_button.disabled
    _fill(aar, learned="Plan the route the night before")
    aar.save_button.click()
    assert not aar.preview_button.disabled and aar.write_button.disabled
