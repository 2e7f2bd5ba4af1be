"""Monday Club pack: session plans, the anonymous check-in, the course evaluation, the rule of five."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest
import yaml
from resilience_course.cohort import facilitator as fac
from resilience_course.cohort import model as co
from resilience_course.core.content import ContentError
from resilience_course.core.course import load_outline
from resilience_course.core.privacy import MIN_GROUP, can_show, withheld_message

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def checkin():
    return co.load_survey("check-in")


@pytest.fixture(scope="module")
def evaluation():
    return co.load_survey("evaluation")


def answers(n: int) -> dict:
    doing = ["good", "okay", "mixed", "stretched", "struggling"]
    skills = ["hope", "now", "hope", "acceptance", "self-awareness", "relationships"]
    return {"doing": doing[n % len(doing)], "skill": skills[n % len(skills)], "want": "talk",
            "note": f"note {n} {HOSTILE}"}


def responses(survey, n: int, cohort="MC-A", session="03") -> list[dict]:
    return [co.make_check_in(survey, answers(i), cohort, session) for i in range(n)]


def write(folder: Path, name: str, data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


# -- the rule of five --------------------------------------------------------------------------
def test_the_threshold_lives_in_one_place():
    assert MIN_GROUP == 5
    assert [can_show(n) for n in (4, 5, 6)] == [False, True, True]
    assert "1 more is needed" in withheld_message(4)
    assert "There is 1 response so far" in withheld_message(1)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_check_in_summary_at_four_five_and_six(checkin, n):
    summary = co.summarise_check_in(checkin, responses(checkin, n))
    assert summary.n == n
    if n < MIN_GROUP:
        assert not summary.shown
        assert summary.counts == {} and summary.texts == {}
        assert "note 0" not in summary.html and "img" not in summary.html and "Bar chart" not in summary.html
        assert f"{MIN_GROUP - n} more" in summary.html
    else:
        assert summary.shown
        assert sum(summary.counts["doing"].values()) == n
        assert summary.counts["skill"]["hope"] == sum(1 for i in range(n) if answers(i)["skill"] == "hope")
        assert summary.texts["note"] == sorted((answers(i)["note"] for i in range(n)), key=str.lower)
        assert "<script>" not in summary.html and "&lt;script&gt;" in summary.html
        assert summary.signposted == sum(1 for i in range(n) if answers(i)["doing"] in ("stretched", "struggling"))
        assert 'alt="Bar chart' in summary.html and "<table" in summary.html


# -- surveys and response files ----------------------------------------------------------------
def test_survey_files_are_checked(tmp_path, checkin):
    data = yaml.safe_load(Path(checkin.source).read_text(encoding="utf-8"))
    data["questions"].append(dict(data["questions"][0]))
    bad = tmp_path / "dup.yml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=r"questions\[4\]\.id"):
        co.load_survey(bad)
    data = yaml.safe_load(Path(checkin.source).read_text(encoding="utf-8"))
    del data["signpost_message"]
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match="signpost_message"):
        co.load_survey(bad)


def test_a_check_in_response_is_anonymous(checkin):
    r = co.make_check_in(checkin, answers(3), " mc-a ", "03")
    assert set(r) == {"format", "version", "id", "cohort", "session", "answers"}
    assert r["cohort"] == "MC-A" and re.fullmatch(r"[0-9a-f]{32}", r["id"])
    assert co.needs_signpost(checkin, r["answers"]) and not co.needs_signpost(checkin, answers(0))
    assert co.response_filename(r).startswith("check-in-mc-a-03-")


def test_bad_check_in_answers_and_codes_are_explained(checkin):
    with pytest.raises(co.SurveyError) as err:
        co.make_check_in(checkin, {"doing": "fabulous", "extra": "x", "note": "y" * 401}, "", "no/slashes")
    assert {"cohort", "session", "doing", "extra", "skill", "want", "note"} <= set(err.value.problems)


def test_bad_files_are_listed_with_reasons_and_skipped(tmp_path, checkin, evaluation):
    folder = tmp_path / "in"
    good = responses(checkin, 5)
    for n, r in enumerate(good):
        write(folder, f"good-{n}.json", r)
    dup = write(folder, "z-duplicate.json", good[0])
    write(folder, "broken.json", "{not json")
    write(folder, "list.json", [1, 2])
    write(folder, "old.json", {**responses(checkin, 1)[0], "version": 99})
    write(folder, "badid.json", {**responses(checkin, 1)[0], "id": "../../etc"})
    write(folder, "other-group.json", responses(checkin, 1, cohort="MC-B")[0])
    write(folder, "other-session.json", responses(checkin, 1, session="04")[0])
    write(folder, "named.json", {**responses(checkin, 1)[0], "name": "Sam"})
    write(folder, "badanswer.json", {**responses(checkin, 1)[0], "answers": {"doing": "fine"}})
    saved = {"after": {"confidence": {}, "reaction": {}}, "before": {"confidence": {"3.1": 2}}}
    write(folder, "evaluation.json", co.make_evaluation(evaluation, "03", "MC-A", saved))
    write(folder, "huge.json", " " * (co.MAX_FILE_BYTES + 1))
    write(folder, "notes.txt", "ignored: not a .json file")
    result = co.read_responses(folder, checkin, "mc-a", session="03")
    assert len(result.valid) == 5
    reasons = dict(result.bad)
    assert "duplicate of good-0.json" in reasons[dup.name]
    assert "cannot be read as JSON" in reasons["broken.json"]
    assert "not a course response file" in reasons["list.json"]
    assert "version 99" in reasons["old.json"]
    assert "response id" in reasons["badid.json"]
    assert "group 'MC-B'" in reasons["other-group.json"]
    assert "session '04'" in reasons["other-session.json"]
    assert "unexpected fields (name)" in reasons["named.json"]
    assert "answers are not valid" in reasons["badanswer.json"]
    assert "evaluation file, not a check-in file" in reasons["evaluation.json"]
    assert "too large" in reasons["huge.json"]
    assert "notes.txt" not in reasons
    html = result.bad_html()
    assert "broken.json" in html and "<table" in html


def test_a_deeply_nested_file_is_skipped_and_the_report_still_shows(tmp_path, checkin):
    """One hostile check-in file (nested 30,000 deep) once raised RecursionError and blocked the report."""
    folder = tmp_path / "in"
    for n, r in enumerate(responses(checkin, 5)):
        write(folder, f"good-{n}.json", r)
    write(folder, "deep.json", "[" * 30_000 + "]" * 30_000)
    write(folder, "deep-object.json", '{"answers":' * 50 + "1" + "}" * 50)
    result = co.read_responses(folder, checkin, "MC-A", session="03")
    reasons = dict(result.bad)
    assert len(result.valid) == 5 and "nested too deeply" in reasons["deep.json"]
    assert "nested too deeply" in reasons["deep-object.json"]
    assert co.summarise_check_in(checkin, result.valid).shown


def test_a_missing_or_empty_folder_is_explained(tmp_path, checkin):
    assert "no folder" in co.read_responses(tmp_path / "nope", checkin, "A", session="1").problem
    (tmp_path / "empty").mkdir()
    assert "no .json" in co.read_responses(tmp_path / "empty", checkin, "A", session="1").problem
    assert "missing" in co.read_responses(tmp_path / "empty", checkin, "", session="1").problem


# -- the evaluation ------------------------------------------------------------------------------
def test_evaluation_is_saved_locally_with_checks(store, evaluation):
    outline = load_outline()
    outcomes = [o["id"] for o in outline.module("03").outcomes]
    with pytest.raises(co.SurveyError) as err:
        co.save_evaluation(store, evaluation, "03", "before", {outcomes[0]: 2})
    assert "confidence" in err.value.problems
    with pytest.raises(co.SurveyError) as err:
        co.save_evaluation(store, evaluation, "03", "during", dict.fromkeys(outcomes, 2))
    assert "stage" in err.value.problems
    with pytest.raises(co.SurveyError) as err:
        co.save_evaluation(store, evaluation, "03", "after", dict.fromkeys(outcomes, 9), {"useful": "very"})
    assert set(err.value.problems) >= {outcomes[0], "clear"}
    co.save_evaluation(store, evaluation, "03", "before", dict.fromkeys(outcomes, 1))
    co.save_evaluation(store, evaluation, "03", "before", dict.fromkeys(outcomes, 2))
    reaction = {"useful": "very", "clear": "clear", "time": "right", "recommend": "yes", "best": "The prompts"}
    co.save_evaluation(store, evaluation, "03", "after", dict.fromkeys(outcomes, 4), reaction)
    saved = co.latest_evaluation(store, "03")
    assert saved["before"]["confidence"] == dict.fromkeys(outcomes, 2)  # the latest one counts
    response = co.make_evaluation(evaluation, "03", "mc-a", saved)
    assert set(response) == {"format", "version", "id", "cohort", "module", "confidence_before",
                             "confidence_after", "reaction"}
    assert response["reaction"] == reaction and response["cohort"] == "MC-A"
    with pytest.raises(co.SurveyError):
        co.make_evaluation(evaluation, "03", "mc-a", {})


def eval_responses(evaluation, n, module="03", drop_after_for=()):
    outline = load_outline()
    outcomes = [o["id"] for o in outline.module(module).outcomes]
    out = []
    for i in range(n):
        before = {o: 1 + (i + k) % 2 for k, o in enumerate(outcomes)}
        after = {o: 3 + (i + k) % 2 for k, o in enumerate(outcomes) if not (o in drop_after_for and i == 0)}
        reaction = {"useful": ["quite", "very"][i % 2], "clear": "clear", "time": "right", "recommend": "yes",
                    "change": f"more {i} {HOSTILE}"}
        out.append({"format": co.EVALUATION_FORMAT, "version": evaluation.version, "id": f"{i:032x}",
                    "cohort": "MC-A", "module": module, "confidence_before": before, "confidence_after": after,
                    "reaction": reaction})
    return out


@pytest.mark.parametrize("n", [4, 5, 6])
def test_evaluation_summary_respects_the_threshold(evaluation, n):
    rs = eval_responses(evaluation, n)
    summary = co.summarise_evaluation(evaluation, rs, "03")
    if n < MIN_GROUP:
        assert not summary.shown and summary.means == {} and summary.counts == {}
        assert "more 0" not in summary.html and "Bar chart" not in summary.html and "<table" not in summary.html
        return
    outcome = load_outline().module("03").outcomes[0]["id"]
    assert summary.means[outcome]["before"] == round(statistics.mean(r["confidence_before"][outcome] for r in rs), 1)
    assert summary.means[outcome]["after"] == round(statistics.mean(r["confidence_after"][outcome] for r in rs), 1)
    assert summary.counts["useful"]["very"] == sum(1 for r in rs if r["reaction"]["useful"] == "very")
    assert "&lt;script&gt;" in summary.html and "<script>" not in summary.html
    assert 'alt="Bar chart' in summary.html


def test_an_outcome_rated_by_fewer_than_five_is_not_shown(evaluation):
    outline = load_outline()
    outcome = outline.module("03").outcomes[1]["id"]
    rs = eval_responses(evaluation, 5, drop_after_for=(outcome,))
    summary = co.summarise_evaluation(evaluation, rs, "03")
    assert summary.shown
    assert summary.means[outcome]["after"] is None and summary.means[outcome]["n_after"] == 4
    assert summary.means[outcome]["before"] is not None


def test_evaluation_files_are_read_and_checked(tmp_path, evaluation):
    folder = tmp_path / "eval"
    rs = eval_responses(evaluation, 5)
    for r in rs:
        write(folder, f"e-{r['id'][-2:]}.json", r)
    write(folder, "module4.json", {**rs[0], "id": "f" * 32, "module": "04"})
    write(folder, "badrating.json", {**rs[0], "id": "e" * 32, "confidence_after": {"3.1": 7}})
    write(folder, "badoutcome.json", {**rs[0], "id": "d" * 32, "confidence_before": {"9.9": 1}})
    result = co.read_responses(folder, evaluation, "MC-A", module="03")
    reasons = dict(result.bad)
    assert len(result.valid) == 5
    assert "module '04'" in reasons["module4.json"]
    assert "confidence scale" in reasons["badrating.json"]
    assert "not an outcome" in reasons["badoutcome.json"]


# -- session plans and the guide ------------------------------------------------------------------
def test_every_module_has_a_session_plan_of_about_ninety_minutes_with_lunch():
    outline = load_outline()
    plans = fac.load_sessions()["sessions"]
    assert list(plans) == [m.id for m in outline.modules]
    for plan in plans.values():
        assert abs(fac.session_minutes(plan) - fac.SESSION_MINUTES) <= fac.TOLERANCE
        assert any(t.get("lunch") for t in plan["timings"])
        html = fac.session_html(plan, outline)
        for part in ("Aim:", "Opening check-in", "Discussion prompts", "Group activity", "Closing reflection",
                     "Before the next session"):
            assert part in html
        md = fac.session_markdown(plan, outline)
        assert md.startswith("# Session ") and "lunch" in md.lower()


@pytest.mark.parametrize("change, words", [
    (lambda d: d["sessions"][0]["timings"].__setitem__(0, {"minutes": 60, "activity": "Long"}), "add up to"),
    (lambda d: [t.pop("lunch", None) for t in d["sessions"][0]["timings"]], "lunch"),
    (lambda d: d["sessions"].pop(), "no session plan for module(s) 07"),
    (lambda d: d["sessions"][1].__setitem__("module", "01"), "a second plan"),
    (lambda d: d["sessions"][1].__setitem__("module", "42"), "not in the course outline"),
])
def test_bad_session_plans_are_refused(tmp_path, change, words):
    data = yaml.safe_load(fac.sessions_path().read_text(encoding="utf-8"))
    change(data)
    p = tmp_path / "sessions.yml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(words)):
        fac.load_sessions(p, load_outline())


def test_markdown_is_rendered_safely():
    html = fac.render_markdown("# Title\n\nText with **bold** and " + HOSTILE + "\n\n- one\n- two\n\n1. a\n2. b\n\n"
                               "> quote\n\n[ok](https://example.org) [bad](javascript:alert(1))")
    assert html.startswith("<h2>Title</h2>")
    assert "<strong>bold</strong>" in html and "<ul><li>one</li><li>two</li></ul>" in html
    assert "<ol><li>a</li><li>b</li></ol>" in html and "<blockquote>" in html
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org">ok</a>' in html and 'href="javascript' not in html


def test_the_guide_covers_what_a_facilitator_needs():
    html = fac.guide_html()
    for words in ("Ground rules", "reflective practice", "Action learning", "After Action Review",
                  "If someone is distressed", "999", "support contacts"):
        assert words.lower() in html.lower()


def test_the_new_content_files_are_validated(root):
    from resilience_course.validate_all import content_files, validate_all

    kinds = {(p.name, s) for p, s in content_files(root)}
    assert {("sessions.yml", "sessions"), ("check-in.yml", "survey"), ("evaluation.yml", "survey")} <= kinds
    problems, _ = validate_all(root)
    assert not [p for p in problems if "facilitator" in p or "cohort" in p]


# -- widgets, driven in Python ---------------------------------------------------------------------
def test_check_in_widget_signposts_previews_and_writes(tmp_path, checkin):
    from resilience_course.cohort.widgets import CheckIn, CheckInReport

    out = tmp_path / "responses"
    paths = []
    for i in range(5):
        w = CheckIn(folder=str(out))
        w.on_submit(lambda _w, p: paths.append(p))
        w.cohort_input.value = "mc-a"
        w.session_input.value = "03"
        for qid, value in answers(i).items():
            w.form.controls[qid].value = value
        assert ("Support is available" in w.signpost_html.value) == co.needs_signpost(checkin, answers(i))
        assert w.write() is None  # nothing is written before the preview
        assert len(list(out.iterdir())) == i if out.exists() else i == 0
        w.preview_button.click()
        assert '"cohort": "MC-A"' in w.preview_html.value.replace("&quot;", '"')
        assert "&lt;script&gt;" in w.preview_html.value
        w.write_button.click()
        assert "Written" in w.message
    assert len(paths) == 5 and all(Path(p).is_file() for p in paths)
    w = CheckIn(folder=str(out))
    w.preview_button.click()
    assert "skill" in w.problems and w.write_button.disabled

    report = CheckInReport()
    report.folder_input.value = str(out)
    report.cohort_input.value = "MC-A"
    report.session_input.value = "03"
    report.button.click()
    assert report.summary.shown and report.summary.n == 5
    Path(paths[0]).unlink()
    report.button.click()
    assert not report.summary.shown and "1 more is needed" in report.report_html.value
    assert "note 1" not in report.report_html.value and "Bar chart" not in report.report_html.value


def test_check_in_preview_is_cleared_when_answers_change(tmp_path):
    from resilience_course.cohort.widgets import CheckIn

    w = CheckIn(folder=str(tmp_path / "x"))
    w.cohort, w.session, w.answers = "A", "1", {"doing": "good", "skill": "hope", "want": "talk"}
    assert w.make_preview() is not None and not w.write_button.disabled
    w.form.controls["want"].value = "listen"
    assert w.preview == "" and w.write_button.disabled and w.write() is None


def test_evaluation_widget_and_report(store, tmp_path, evaluation):
    from resilience_course.cohort.widgets import Evaluation, EvaluationReport

    outline = load_outline()
    w = Evaluation("03", store=store, outline=outline, folder=str(tmp_path / "eval"))
    assert len(w.conf_controls) == len(outline.module("03").outcomes)
    w.stage_tb.value = "before"
    assert w.react_box.layout.display == "none"
    w.save_button.click()
    assert "confidence" in w.problems
    for c in w.conf_controls.values():
        c.value = 2
    w.save_button.click()
    assert "Saved" in w.message
    w.stage_tb.value = "after"
    for c in w.conf_controls.values():
        c.value = 4
    for qid, value in {"useful": "very", "clear": "clear", "time": "right", "recommend": "yes"}.items():
        w.react_form.controls[qid].value = value
    w.save_button.click()
    assert set(co.latest_evaluation(store, "03")) == {"before", "after"}
    w.cohort_input.value = "MC-A"
    w.preview_button.click()
    w.write_button.click()
    [path] = (tmp_path / "eval").iterdir()
    data = json.loads(path.read_text())
    assert set(data["confidence_after"].values()) == {4} and "name" not in data

    chooser = Evaluation(store=store, outline=outline)
    assert chooser.conf_controls == {}
    chooser.module_dd.value = "05"
    assert len(chooser.conf_controls) == len(outline.module("05").outcomes)

    for r in eval_responses(evaluation, 4):
        write(tmp_path / "eval", f"{r['id']}.json", r)
    report = EvaluationReport(outline=outline)
    report.folder_input.value = str(tmp_path / "eval")
    report.cohort_input.value = "mc-a"
    report.module_dd.value = "03"
    report.button.click()
    assert report.summary.shown and report.summary.n == 5


def test_facilitator_pack_shows_plans_the_guide_and_contacts(tmp_path):
    from resilience_course.cohort.widgets import FacilitatorPack

    w = FacilitatorPack(folder=str(tmp_path / "plans"))
    guide = w.children[-1].value
    assert "Ground rules" in guide and "Samaritans" in guide
    assert w.write() is None
    w.chooser.value = "07"
    plan = fac.session_for("07")
    assert plan["aim"].split()[0] in w.plan_html.value
    w.write_button.click()
    [page] = (tmp_path / "plans").iterdir()
    assert page.name == "session-07.html" and "<!DOCTYPE html>" in page.read_text()


def test_evaluation_with_a_fixed_stage_hides_the_choice(store):
    from resilience_course.cohort.widgets import Evaluation

    before = Evaluation("03", stage="before", store=store)
    assert before.stage == "before" and before.stage_tb.layout.display == "none"
    assert before.react_box.layout.display == "none"  # the reaction survey comes after the module
    for ctl in before.conf_controls.values():
        ctl.value = ctl.options[-1][1]
    before.save_button.click()
    assert "Saved" in before.status_html.value
    after = Evaluation("03", stage="after", store=store)
    assert after.react_box.layout.display is None and "before" in after.saved_html.value
