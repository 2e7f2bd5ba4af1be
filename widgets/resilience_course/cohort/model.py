"""Anonymous group tools: the cohort check-in and the course evaluation (no widgets).

How it works
------------
1. Each learner answers on their own computer and saves a small **response file** (JSON). It
   holds a random id, the group (cohort) code, the session or module, the survey version and the
   answers: no name, no time stamp, nothing else.
2. The learner sends the file to the facilitator (or saves it in a shared folder).
3. The facilitator points the report at the folder. Every ``*.json`` file is checked; files that
   are malformed, duplicated, from another version, another cohort or another session are
   listed with the reason and skipped.
4. Group results appear only for at least :data:`~.privacy.MIN_GROUP` valid responses, and free
   text only then (escaped, in alphabetical order so it cannot be matched to other answers).

The evaluation follows Kirkpatrick's first two levels: *reaction* (a short survey after each
module) and *learning* (confidence on each of the module's outcomes before and after).
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.content import ContentError, load_yaml, package_data
from ..core.course import Outline, load_outline
from ..core.html import esc, table
from ..core.privacy import MIN_GROUP, can_show, withheld_message
from ..core.responses import ResponseFileError, keep_one_per_id, parse_json, read_folder
from ..core.store import Store

__all__ = [
    "CHECK_IN_FORMAT", "EVALUATION_FORMAT", "EVAL_KIND", "STAGES", "Survey", "SurveyError", "load_survey",
    "clean_code", "validate_answers", "needs_signpost", "make_check_in", "response_filename",
    "save_evaluation", "latest_evaluation", "make_evaluation", "read_responses", "ReadResult",
    "summarise_check_in", "summarise_evaluation", "GroupSummary", "MAX_FILE_BYTES",
]

CHECK_IN_FORMAT = "resilience-course-check-in"
EVALUATION_FORMAT = "resilience-course-evaluation"
EVAL_KIND = "evaluation"
STAGES = {"before": "Before I start the module", "after": "After I finish the module"}
MAX_FILE_BYTES = 64_000
_ID = re.compile(r"^[0-9a-f]{32}$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 _-]{0,39}$")


class SurveyError(ValueError):
    """Answers or codes that cannot be used; ``problems`` maps each field to a message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


@dataclass(frozen=True)
class Survey:
    """A validated survey definition (``data/cohort/*.yml``, schema ``survey``)."""

    id: str
    title: str
    version: int
    introduction: str
    privacy: str
    questions: tuple[dict, ...]
    signpost_message: str = ""
    confidence_scale: tuple[dict, ...] = ()
    source: str = "<data>"

    def question(self, qid: str) -> dict:
        for q in self.questions:
            if q["id"] == qid:
                return q
        raise KeyError(qid)

    def label(self, qid: str, oid: str) -> str:
        for o in self.question(qid).get("options", []):
            if o["id"] == oid:
                return o["label"]
        return oid

    @property
    def confidence_values(self) -> list[int]:
        return [c["value"] for c in self.confidence_scale]

    def confidence_label(self, value: int) -> str:
        return next((c["label"] for c in self.confidence_scale if c["value"] == value), str(value))


def load_survey(name_or_path: str | Path) -> Survey:
    """Load ``"check-in"``/``"evaluation"`` from the package, or a survey file by path, and check it."""
    p = Path(name_or_path)
    path = p if p.suffix in (".yml", ".yaml") else package_data("cohort", f"{name_or_path}.yml")
    data = load_yaml(path, "survey")
    f = str(path)
    seen: set[str] = set()
    for n, q in enumerate(data["questions"]):
        where = f"questions[{n}]"
        if q["id"] in seen:
            raise ContentError(f, f"{where}.id", f"duplicate question id {q['id']!r}")
        seen.add(q["id"])
        if q["type"] == "choice":
            opts = q.get("options")
            if not opts:
                raise ContentError(f, f"{where}.options", "a choice question needs options")
            ids = [o["id"] for o in opts]
            if len(set(ids)) != len(ids):
                raise ContentError(f, f"{where}.options", "duplicate option id")
            if "max_chars" in q:
                raise ContentError(f, f"{where}.max_chars", "only text questions have max_chars")
        elif "options" in q:
            raise ContentError(f, f"{where}.options", "a text question has no options")
    if any(o.get("signpost") for q in data["questions"] for o in q.get("options", [])) and \
            not data.get("signpost_message"):
        raise ContentError(f, "signpost_message", "options are marked signpost, so a signpost_message is needed")
    scale = data.get("confidence_scale", [])
    values = [c["value"] for c in scale]
    if values != sorted(set(values)):
        raise ContentError(f, "confidence_scale", "values must be different and in ascending order")
    return Survey(data["id"], data["title"], data["version"], data["introduction"], data["privacy"],
                  tuple(data["questions"]), data.get("signpost_message", ""), tuple(scale), f)


def clean_code(value, label: str = "The group code") -> str:
    """A cohort or session code: letters, digits, spaces, - and _ (up to 40), compared without case."""
    text = re.sub(r"\s+", " ", str(value or "").strip()).upper()
    if not text:
        raise ValueError(f"{label} is missing: ask your facilitator for it.")
    if not _CODE.match(text):
        raise ValueError(f"{label} {str(value)!r} can only use letters, numbers, spaces, - and _ (at most 40).")
    return text


def validate_answers(survey: Survey, answers: dict) -> dict:
    """Check answers against the survey; returns them without empty text. Raises SurveyError."""
    if not isinstance(answers, dict):
        raise SurveyError({"answers": "The answers are not in the expected shape."})
    problems: dict[str, str] = {}
    out: dict[str, str] = {}
    known = {q["id"] for q in survey.questions}
    for k in answers:
        if k not in known:
            problems[str(k)] = f"{k!r} is not a question of this survey."
    for q in survey.questions:
        value = answers.get(q["id"])
        if q["type"] == "choice":
            if value in (None, ""):
                if q.get("required"):
                    problems[q["id"]] = f"Please answer: {q['text']}"
                continue
            if value not in {o["id"] for o in q["options"]}:
                problems[q["id"]] = f"{value!r} is not one of the answers to: {q['text']}"
                continue
            out[q["id"]] = value
        else:
            if value is not None and not isinstance(value, str):
                problems[q["id"]] = f"The answer to {q['text']!r} should be text."
                continue
            text = (value or "").strip()
            if not text:
                if q.get("required"):
                    problems[q["id"]] = f"Please answer: {q['text']}"
                continue
            limit = q.get("max_chars", 1000)
            if len(text) > limit:
                problems[q["id"]] = f"Your answer to {q['text']!r} is {len(text)} characters; at most {limit}."
                continue
            out[q["id"]] = text
    if problems:
        raise SurveyError(problems)
    return out


def needs_signpost(survey: Survey, answers: dict) -> bool:
    """Whether any chosen answer is marked ``signpost`` (it suggests the person may be struggling)."""
    for q in survey.questions:
        for o in q.get("options", []):
            if o.get("signpost") and answers.get(q["id"]) == o["id"]:
                return True
    return False


def make_check_in(survey: Survey, answers: dict, cohort: str, session: str) -> dict:
    """An anonymous check-in response, ready to save as JSON. Raises SurveyError listing every problem."""
    problems: dict[str, str] = {}
    codes = {}
    for key, value, label in (("cohort", cohort, "The group code"), ("session", session, "The session code")):
        try:
            codes[key] = clean_code(value, label)
        except ValueError as exc:
            problems[key] = str(exc)
    try:
        clean = validate_answers(survey, answers)
    except SurveyError as exc:
        problems.update(exc.problems)
    if problems:
        raise SurveyError(problems)
    return {"format": CHECK_IN_FORMAT, "version": survey.version, "id": uuid.uuid4().hex,
            "cohort": codes["cohort"], "session": codes["session"], "answers": clean}


def response_filename(response: dict) -> str:
    kind = "check-in" if response["format"] == CHECK_IN_FORMAT else "evaluation"
    where = response.get("session") or f"module-{response.get('module')}"
    safe = re.sub(r"[^a-z0-9-]+", "-", f"{response['cohort']}-{where}".lower()).strip("-")
    return f"{kind}-{safe}-{response['id'][:8]}.json"


# -- the evaluation: saved locally, exported anonymously --------------------------------------------
def _check_confidence(survey: Survey, outline: Outline, module: str, confidence: dict) -> dict:
    outcomes = [o["id"] for o in outline.module(module).outcomes]
    problems = {}
    out = {}
    for k, v in (confidence or {}).items():
        if k not in outcomes:
            problems[k] = f"{k!r} is not an outcome of module {module}."
        elif v is not None and (isinstance(v, bool) or v not in survey.confidence_values):
            problems[k] = f"{v!r} is not on the confidence scale."
        elif v is not None:
            out[k] = v
    missing = [o for o in outcomes if o not in out]
    if missing and not problems:
        problems["confidence"] = (f"Please rate your confidence for every outcome ({len(missing)} still to "
                                  "rate).")
    if problems:
        raise SurveyError(problems)
    return {o: out[o] for o in outcomes}


def save_evaluation(store: Store, survey: Survey, module: str, stage: str, confidence: dict,
                    reaction: dict | None = None, outline: Outline | None = None) -> str:
    """Keep one evaluation (before or after a module) in the learner's own store. Raises SurveyError."""
    outline = outline or load_outline()
    if stage not in STAGES:
        raise SurveyError({"stage": "Choose whether this is before or after the module."})
    problems = {}
    try:
        conf = _check_confidence(survey, outline, module, confidence)
    except SurveyError as exc:
        problems.update(exc.problems)
    react: dict = {}
    if stage == "after":
        try:
            react = validate_answers(survey, reaction or {})
        except SurveyError as exc:
            problems.update(exc.problems)
    elif reaction:
        problems["reaction"] = "The reaction questions are answered after the module."
    if problems:
        raise SurveyError(problems)
    return store.add_record(EVAL_KIND, {"stage": stage, "confidence": conf, "reaction": react,
                                        "version": survey.version}, module)


def latest_evaluation(store: Store, module: str) -> dict[str, dict]:
    """The learner's latest saved 'before' and 'after' evaluations for a module (payloads)."""
    out: dict[str, dict] = {}
    for r in store.records(EVAL_KIND, module):
        p = r["payload"]
        if isinstance(p, dict) and p.get("stage") in STAGES:
            out[p["stage"]] = p
    return out


def make_evaluation(survey: Survey, module: str, cohort: str, saved: dict[str, dict]) -> dict:
    """An anonymous evaluation response for a module from the learner's saved answers."""
    problems = {}
    try:
        code = clean_code(cohort)
    except ValueError as exc:
        problems["cohort"] = str(exc)
    if not saved:
        problems["saved"] = "Save your answers first (before the module, after it, or both)."
    if problems:
        raise SurveyError(problems)
    before, after = saved.get("before", {}), saved.get("after", {})
    return {"format": EVALUATION_FORMAT, "version": survey.version, "id": uuid.uuid4().hex, "cohort": code,
            "module": module, "confidence_before": dict(before.get("confidence", {})),
            "confidence_after": dict(after.get("confidence", {})), "reaction": dict(after.get("reaction", {}))}


# -- reading a folder of responses -------------------------------------------------------------
@dataclass
class ReadResult:
    valid: list[dict] = field(default_factory=list)
    bad: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    problem: str = ""  # the folder itself could not be read

    def bad_html(self) -> str:
        if not self.bad:
            return ""
        rows = [[name, reason] for name, reason in self.bad]
        return ('<div class="rc-warn" role="status"><p>Some files were skipped and are not counted:</p>'
                f"{table(['File', 'Why it was skipped'], rows, caption='Skipped files')}</div>")


_KEYS = {
    CHECK_IN_FORMAT: {"format", "version", "id", "cohort", "session", "answers"},
    EVALUATION_FORMAT: {"format", "version", "id", "cohort", "module", "confidence_before", "confidence_after",
                        "reaction"},
}


def _check_evaluation_body(survey: Survey, outline: Outline, data: dict) -> str:
    outcomes = {o["id"] for o in outline.module(data["module"]).outcomes}
    for key in ("confidence_before", "confidence_after"):
        conf = data.get(key)
        if not isinstance(conf, dict):
            return f"'{key}' is not a set of ratings"
        for k, v in conf.items():
            if k not in outcomes:
                return f"'{key}' rates {k!r}, which is not an outcome of module {data['module']}"
            if isinstance(v, bool) or v not in survey.confidence_values:
                return f"'{key}' has a rating {v!r} that is not on the confidence scale"
    if not data["confidence_before"] and not data["confidence_after"] and not data.get("reaction"):
        return "it holds no answers"
    try:
        validate_answers(survey, data.get("reaction") or {})
    except SurveyError as exc:
        return "the reaction answers are not valid (" + "; ".join(exc.problems.values()) + ")"
    return ""


def read_responses(folder: str | Path, survey: Survey, cohort: str, session: str | None = None,
                   module: str | None = None, outline: Outline | None = None) -> ReadResult:
    """Read every ``*.json`` response in *folder*; keep the good ones, list the bad ones with reasons.

    For the check-in give ``session``; for the evaluation give ``module``.
    """
    result = ReadResult()
    fmt = EVALUATION_FORMAT if module is not None else CHECK_IN_FORMAT
    kind = "evaluation" if module is not None else "check-in"
    text = str(folder or "").strip()
    if not text:
        result.problem = "Type the folder that holds the response files."
        return result
    path = Path(text).expanduser()
    if not path.is_dir():
        result.problem = f"There is no folder at {path}. Check the path and try again."
        return result
    try:
        want_cohort = clean_code(cohort, "The group code")
        want_session = clean_code(session, "The session code") if module is None else None
    except ValueError as exc:
        result.problem = str(exc)
        return result
    if module is not None:
        outline = outline or load_outline()
        outline.module(module)  # KeyError for an unknown module: a programming error
    try:
        files, unreadable = read_folder(path, MAX_FILE_BYTES, list_others=False)
    except OSError as exc:
        result.problem = f"The folder {path} cannot be read ({exc.strerror or exc.__class__.__name__})."
        return result
    result.bad.extend((s.file, s.reason) for s in unreadable)
    good: list[tuple[str, dict]] = []
    for name, raw in files:
        try:
            data = parse_json(raw, MAX_FILE_BYTES, file=name)
        except ResponseFileError as exc:
            result.bad.append((name, str(exc)))
            continue
        reason = _check_one(data, fmt, kind, survey, want_cohort, want_session, module, outline)
        if reason:
            result.bad.append((name, reason))
        else:
            good.append((name, data))
    kept, copies = keep_one_per_id(
        good, key=lambda d: d["id"],
        why=lambda first, _copy: f"it is a duplicate of {first[0]} (the same response id); only the first is counted")
    result.valid.extend(data for _name, data in kept)
    result.bad.extend((c.file, c.reason) for c in copies)
    if not files and not unreadable:
        result.problem = f"There are no .json response files in {path}."
    return result


def _check_one(data, fmt, kind, survey, want_cohort, want_session, module, outline) -> str:
    if not isinstance(data, dict) or data.get("format") not in _KEYS:
        return f"it is not a course response file (expected a {kind} file)"
    if data["format"] != fmt:
        other = "check-in" if data["format"] == CHECK_IN_FORMAT else "evaluation"
        return f"it is a {other} file, not a {kind} file"
    extra = set(data) - _KEYS[fmt]
    if extra:
        return f"it has unexpected fields ({', '.join(sorted(map(str, extra)))}); response files hold no names"
    missing = _KEYS[fmt] - set(data)
    if missing:
        return f"it is incomplete (no {', '.join(sorted(missing))})"
    if not isinstance(data["version"], int) or isinstance(data["version"], bool) or data["version"] != survey.version:
        return (f"it was made with version {data['version']!r} of the {kind} questions; this course uses "
                f"version {survey.version}")
    if not isinstance(data["id"], str) or not _ID.match(data["id"]):
        return "it has no valid response id"
    try:
        got_cohort = clean_code(data["cohort"])
    except ValueError:
        return "its group code is not valid"
    if got_cohort != want_cohort:
        return f"it is for group {got_cohort!r}, not {want_cohort!r}"
    if module is None:
        try:
            got = clean_code(data["session"])
        except ValueError:
            return "its session code is not valid"
        if got != want_session:
            return f"it is for session {got!r}, not {want_session!r}"
        try:
            validate_answers(survey, data["answers"])
        except SurveyError as exc:
            return "its answers are not valid (" + "; ".join(exc.problems.values()) + ")"
    else:
        if data["module"] != module:
            return f"it is for module {data['module']!r}, not {module!r}"
        return _check_evaluation_body(survey, outline, data)
    return ""


# -- group summaries -------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupSummary:
    """A group's results; ``shown`` is False below the threshold and then nothing else is filled in."""

    n: int
    shown: bool
    html: str
    counts: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    means: dict = field(default_factory=dict)
    signposted: int = 0


def _choice_blocks(survey: Survey, answers: list[dict], n: int, qids: list[str] | None = None) -> tuple[str, dict]:
    from ..core.charts import bar_chart

    parts, counts = [], {}
    for q in survey.questions:
        if q["type"] != "choice" or (qids is not None and q["id"] not in qids):
            continue
        c = Counter(a.get(q["id"]) for a in answers if a.get(q["id"]))
        counts[q["id"]] = {o["id"]: c.get(o["id"], 0) for o in q["options"]}
        labels = [o["label"] for o in q["options"]]
        values = [counts[q["id"]][o["id"]] for o in q["options"]]
        answered = sum(values)
        chart = bar_chart(q["text"], labels, values, "Number of people", (0, max(n, 1) + 0.5),
                          f"{answered} of {n} people answered this question.")
        parts.append(f"<h4>{esc(q['text'])}</h4>{chart.to_html()}")
    return "".join(parts), counts


def _text_blocks(survey: Survey, answers: list[dict]) -> tuple[str, dict]:
    parts, texts = [], {}
    for q in survey.questions:
        if q["type"] != "text":
            continue
        got = sorted((a[q["id"]] for a in answers if a.get(q["id"])), key=str.lower)
        texts[q["id"]] = got
        items = "".join(f"<li>{esc(t)}</li>" for t in got) or "<li>No one wrote anything here.</li>"
        parts.append(f"<h4>{esc(q['text'])}</h4><p class=\"rc-muted\">In alphabetical order, not in the order "
                     f"they were sent.</p><ul>{items}</ul>")
    return "".join(parts), texts


def summarise_check_in(survey: Survey, responses: list[dict]) -> GroupSummary:
    """The group's picture from valid check-in responses (nothing at all below the threshold)."""
    n = len(responses)
    if not can_show(n):
        return GroupSummary(n, False, f'<div class="rc-note" role="status"><p>{esc(withheld_message(n))}</p></div>')
    answers = [r["answers"] for r in responses]
    signposted = sum(1 for a in answers if needs_signpost(survey, a))
    charts, counts = _choice_blocks(survey, answers, n)
    texts_html, texts = _text_blocks(survey, answers)
    parts = [f"<p><strong>{n} people</strong> checked in.</p>"]
    if signposted:
        parts.append('<div class="rc-signpost" role="note"><p>Some of the group '
                     f"({signposted} {'person' if signposted == 1 else 'people'}) said things are hard at the "
                     "moment. You do not know who, and you should not try to find out. Remind everyone, kindly and "
                     "without singling anyone out, of the support contacts in the guide, and that they can talk "
                     "to you privately after the session.</p></div>")
    parts += [charts, texts_html]
    return GroupSummary(n, True, "".join(parts), counts, texts, {}, signposted)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def summarise_evaluation(survey: Survey, responses: list[dict], module: str,
                         outline: Outline | None = None) -> GroupSummary:
    """Reaction counts and mean confidence before and after, per outcome (each figure needs 5 people)."""
    from ..core.charts import bar_chart

    outline = outline or load_outline()
    m = outline.module(module)
    n = len(responses)
    if not can_show(n):
        return GroupSummary(n, False, f'<div class="rc-note" role="status"><p>{esc(withheld_message(n))}</p></div>')
    means: dict[str, dict] = {}
    rows = []
    labels, before_vals, after_vals = [], [], []
    for o in m.outcomes:
        b = [r["confidence_before"][o["id"]] for r in responses if o["id"] in r["confidence_before"]]
        a = [r["confidence_after"][o["id"]] for r in responses if o["id"] in r["confidence_after"]]
        mb = _mean(b) if can_show(len(b)) else None
        ma = _mean(a) if can_show(len(a)) else None
        means[o["id"]] = {"before": mb, "after": ma, "n_before": len(b), "n_after": len(a)}
        change = f"{ma - mb:+.1f}" if mb is not None and ma is not None else "not shown"
        rows.append([f"{o['id']} {o['text']}", "not shown (fewer than 5)" if mb is None else f"{mb:g} ({len(b)})",
                     "not shown (fewer than 5)" if ma is None else f"{ma:g} ({len(a)})", change])
        if mb is not None and ma is not None:
            labels += [f"{o['id']} before", f"{o['id']} after"]
            before_vals.append(mb)
            after_vals.append(ma)
    parts = [f"<p><strong>{n} people</strong> sent an evaluation of module {m.number}: {esc(m.title)}.</p>",
             "<h4>Learning: confidence on each outcome (Kirkpatrick level 2)</h4>",
             f"<p class=\"rc-muted\">Mean rating from {min(survey.confidence_values)} "
             f"({esc(survey.confidence_label(min(survey.confidence_values)))}) to {max(survey.confidence_values)} "
             f"({esc(survey.confidence_label(max(survey.confidence_values)))}); the number of people in brackets. "
             f"A mean is shown only when at least {MIN_GROUP} people gave it.</p>"]
    if labels:
        values = [v for pair in zip(before_vals, after_vals) for v in pair]
        chart = bar_chart(f"Module {m.number}: mean confidence before and after", labels, values,
                          "Mean confidence", (0, max(survey.confidence_values) + 0.5))
        parts.append(chart.to_html())
    parts.append(table(["Outcome", "Before", "After", "Change"], rows,
                       caption=f"Module {m.number}: confidence before and after"))
    reactions = [r.get("reaction") or {} for r in responses]
    n_react = sum(1 for r in reactions if r)
    counts: dict = {}
    texts: dict = {}
    parts.append("<h4>Reaction (Kirkpatrick level 1)</h4>")
    if can_show(n_react):
        charts, counts = _choice_blocks(survey, reactions, n_react)
        texts_html, texts = _text_blocks(survey, reactions)
        parts += [charts, texts_html]
    else:
        parts.append(f"<p>{esc(withheld_message(n_react, 'reaction answer'))}</p>")
    return GroupSummary(n, True, "".join(parts), counts, texts, means)
