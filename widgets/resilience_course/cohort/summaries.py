"""Group summaries of anonymous responses: nothing at all for fewer than five people (no widgets)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..core.course import Outline, load_outline
from ..core.html import esc, table
from ..core.privacy import MIN_GROUP, can_show, withheld_message
from .survey import Survey, needs_signpost

__all__ = ["GroupSummary", "summarise_check_in", "summarise_evaluation"]


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
    projector_html: str = ""  # the same picture for a projector: no free text, no signposting note

    def __post_init__(self):
        if not self.projector_html and not self.shown:
            object.__setattr__(self, "projector_html", self.html)  # (a frozen dataclass)


NO_TEXT_NOTE = ('<p class="rc-muted">Projector view: written comments are not shown here. In a small group a '
                'comment can identify the person who wrote it.</p>')


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
    projector = "".join([parts[0], charts, NO_TEXT_NOTE])
    parts += [charts, texts_html]
    return GroupSummary(n, True, "".join(parts), counts, texts, {}, signposted, projector)


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
    projector = list(parts)
    if can_show(n_react):
        charts, counts = _choice_blocks(survey, reactions, n_react)
        texts_html, texts = _text_blocks(survey, reactions)
        parts += [charts, texts_html]
        projector += [charts, NO_TEXT_NOTE]
    else:
        parts.append(f"<p>{esc(withheld_message(n_react, 'reaction answer'))}</p>")
        projector.append(parts[-1])
    return GroupSummary(n, True, "".join(parts), counts, texts, means, 0, "".join(projector))
