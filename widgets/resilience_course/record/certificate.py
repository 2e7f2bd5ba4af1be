"""The certificate of completion: issued only when every module in ``course/course.yml`` is complete and its
knowledge check has been answered (no widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.content import ContentError
from ..core.course import Module, Outline, load_outline
from ..core.dates import display_date
from ..core.html import esc
from ..core.store import Store
from .common import PRINT_CSS, local_date

__all__ = ["ModuleStatus", "CertificateStatus", "certificate_status", "certificate_html"]


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    sections_missing: tuple[str, ...]
    questions_total: int
    questions_missing: int
    bank_problem: str = ""
    completed_on: str = ""

    @property
    def complete(self) -> bool:
        return (not self.sections_missing and not self.bank_problem and self.questions_total > 0
                and self.questions_missing == 0)

    def missing_text(self) -> list[str]:
        out = []
        if self.sections_missing:
            out.append(f"sections not yet marked complete: {', '.join(self.sections_missing)}")
        if self.bank_problem:
            out.append(self.bank_problem)
        elif self.questions_missing:
            out.append(f"{self.questions_missing} of {self.questions_total} knowledge-check questions not yet "
                       "answered correctly")
        return out


@dataclass(frozen=True)
class CertificateStatus:
    modules: tuple[ModuleStatus, ...]
    minutes: int
    completed_on: str = ""
    course_title: str = "Resilience with Compassion"
    citation: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.modules) and all(m.complete for m in self.modules)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    def missing_html(self) -> str:
        done = sum(1 for m in self.modules if m.complete)
        items = []
        for m in self.modules:
            if m.complete:
                continue
            items.append(f"<li><strong>Module {m.module.number}: {esc(m.module.title)}</strong>: "
                         f"{esc('; '.join(m.missing_text()))}.</li>")
        return (f"<p>Your certificate is ready when every module is complete: all its sections marked complete "
                f"and every question in its knowledge check answered correctly at least once. You have completed "
                f"{done} of {len(self.modules)} modules. Still to do:</p><ul>{''.join(items)}</ul>")


def _bank_ids(module: Module, root: Path) -> list[str]:
    from ..knowledge.model import load_bank

    return [q.id for q in load_bank(root / module.folder / "questions.yml")]


def certificate_status(store: Store, outline: Outline | None = None,
                       banks: dict[str, list[str]] | None = None) -> CertificateStatus:
    """What the learner has completed. ``banks`` (module id -> question ids) replaces the question files."""
    outline = outline or load_outline()
    done = store.completed()
    out = []
    last = ""
    for m in outline.modules:
        missing = tuple(s.title for s in m.sections if s.id not in done)
        problem = ""
        try:
            ids = list(banks[m.id]) if banks is not None else _bank_ids(m, outline.root)
        except KeyError:
            ids, problem = [], "its knowledge check is not available yet"
        except ContentError as exc:
            ids = []
            problem = ("its knowledge check is not available yet" if "does not exist" in exc.reason
                       else "its knowledge check cannot be read just now")
        right: dict[str, str] = {}
        for r in store.records("knowledge-check", m.id):
            p = r["payload"] if isinstance(r["payload"], dict) else {}
            if p.get("verdict") == "correct" and p.get("question") in ids:
                right.setdefault(p["question"], r["created_at"])
        status = ModuleStatus(m, missing, len(ids), len(set(ids) - set(right)), problem)
        if status.complete:
            stamps = [done[s.id] for s in m.sections] + list(right.values())
            when = max(local_date(s) for s in stamps)
            status = ModuleStatus(m, missing, len(ids), 0, "", when)
            last = max(last, when)
        out.append(status)
    return CertificateStatus(tuple(out), sum(m.minutes for m in outline.modules), last, outline.title,
                             outline.citation)


def certificate_html(status: CertificateStatus, name: str = "") -> str:
    """A printable certificate of completion. Raises ValueError unless every module is complete."""
    if not status.complete:
        raise ValueError("The certificate is available once every module is complete.")
    when = display_date(date.fromisoformat(status.completed_on))
    rows = "".join(f"<tr><th scope=\"row\">Module {m.module.number}</th><td>{esc(m.module.title)}</td>"
                   f"<td>{m.module.minutes} minutes</td><td>{esc(m.completed_on)}</td></tr>" for m in status.modules)
    who = (f'<p class="name">{esc(name.strip())}</p>' if name and name.strip()
           else '<p class="name blank">Name: ____________________________________</p>')
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>Certificate of completion: {esc(status.course_title)}</title><style>{PRINT_CSS}"
            f"{_CERT_CSS}</style></head><body><main class=\"certificate\">"
            "<p class=\"kicker\">Certificate of completion</p>"
            f"<h1>{esc(status.course_title)}</h1>{who}"
            f"<p>has completed all {len(status.modules)} modules of this open course on the health visiting "
            f"Resilience Framework, about <strong>{status.hours:g} hours</strong> of study "
            f"({status.minutes} minutes), finishing on <strong>{esc(when)}</strong>.</p>"
            "<table><caption>Modules completed</caption><thead><tr><th scope=\"col\">Module</th>"
            "<th scope=\"col\">Title</th><th scope=\"col\">Estimated time</th><th scope=\"col\">Completed on</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            "<p>Completing a module means that every section was marked complete and every question of its "
            "knowledge check was answered correctly at least once.</p>"
            '<section class="limits"><h2>What this certificate does not say</h2><ul>'
            "<li>It is not a qualification and carries no academic credit.</li>"
            "<li>It is not an assessment of competence or of fitness to practise: the knowledge checks are "
            "formative and can be retried.</li>"
            "<li>It is not endorsed by the Nursing and Midwifery Council (NMC) or by the Institute of Health "
            "Visiting.</li></ul>"
            "<p>You may use it as evidence of CPD for revalidation, alongside your own reflective accounts.</p>"
            "</section>"
            f'<p class="small">{esc(status.citation)}</p></main></body></html>\n')


_CERT_CSS = (".certificate{border:4px double #1b5e7a;padding:2rem 2.5rem;}.kicker{text-transform:uppercase;"
             "letter-spacing:0.1em;color:#1b5e7a;font-weight:600;}.name{font-size:1.4rem;margin:1rem 0;}"
             ".limits{border-top:1px solid #c9ced6;margin-top:1.5rem;}@page{size:A4;margin:1.5cm;}")
