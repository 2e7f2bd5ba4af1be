"""The revalidation summary: CPD hours, participatory hours and reflective accounts in a three-year cycle
(no widgets)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..core.dates import display_date
from ..core.html import esc, table
from ..core.store import Store
from .common import read_date, today_or

__all__ = ["SETTINGS_KIND", "TARGETS", "get_settings", "save_settings", "cycle_for", "Revalidation",
           "revalidation_summary"]

SETTINGS_KIND = "cpd-settings"

#: NMC revalidation asks for these in each three-year cycle (the course tracks only these three).
TARGETS = {"hours": 35.0, "participatory": 20.0, "accounts": 5, "years": 3}


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


# -- revalidation ----------------------------------------------------------------------------
def get_settings(store: Store) -> dict:
    rows = store.records(SETTINGS_KIND)
    return dict(rows[-1]["payload"]) if rows else {}


def save_settings(store: Store, revalidation_date: str) -> dict:
    """Save the learner's next revalidation date ('' clears it). Raises ValueError for a bad date."""
    text = str(revalidation_date or "").strip()
    payload = {"revalidation_date": ""}
    if text:
        d = read_date(text, ("%Y-%m-%d", "%d/%m/%Y"))
        if d is None:
            raise ValueError(f"{text!r} is not a date I can read: type it as 2026-03-31 or 31/03/2026.")
        payload["revalidation_date"] = d.isoformat()
    rows = store.records(SETTINGS_KIND)
    if rows:
        store.update_record(rows[-1]["id"], payload)
    else:
        store.add_record(SETTINGS_KIND, payload)
    return payload


def cycle_for(revalidation_date: str | date | None, today: date | None = None) -> tuple[date, date]:
    """The three-year cycle ending on the revalidation date (or today if none is set): (first day, last day)."""
    if isinstance(revalidation_date, str) and revalidation_date:
        end = date.fromisoformat(revalidation_date)
    elif isinstance(revalidation_date, date):
        end = revalidation_date
    else:
        end = today_or(today)
    return _years_before(end, TARGETS["years"]) + timedelta(days=1), end


@dataclass(frozen=True)
class Revalidation:
    """Progress toward the CPD and reflective-account requirements in one cycle."""

    start: date
    end: date
    hours: float
    participatory: float
    accounts: int
    counted: int
    outside: int

    def rows(self) -> list[list[str]]:
        t = TARGETS
        return [
            ["CPD hours", f"{t['hours']:g}", f"{self.hours:g}", f"{max(t['hours'] - self.hours, 0):g}"],
            ["of which participatory", f"{t['participatory']:g}", f"{self.participatory:g}",
             f"{max(t['participatory'] - self.participatory, 0):g}"],
            ["Written reflective accounts", str(t["accounts"]), str(self.accounts),
             str(max(t["accounts"] - self.accounts, 0))],
        ]

    @property
    def met(self) -> bool:
        t = TARGETS
        return self.hours >= t["hours"] and self.participatory >= t["participatory"] and self.accounts >= t["accounts"]

    def percents(self) -> list[float]:
        t = TARGETS
        return [min(100.0, round(100 * self.hours / t["hours"])),
                min(100.0, round(100 * self.participatory / t["participatory"])),
                min(100.0, round(100 * self.accounts / t["accounts"]))]

    def chart(self):
        from ..core.charts import bar_chart

        labels = ["CPD hours", "Participatory hours", "Reflective accounts"]
        summary = (f"You have {self.hours:g} of {TARGETS['hours']:g} CPD hours, {self.participatory:g} of "
                   f"{TARGETS['participatory']:g} participatory hours and {self.accounts} of {TARGETS['accounts']} "
                   "reflective accounts in this cycle.")
        return bar_chart("Progress toward revalidation (% of each requirement)", labels, self.percents(),
                         "Per cent of requirement met", (0, 110), summary)

    def to_html(self, with_chart: bool = True) -> str:
        period = f"{display_date(self.start)} to {display_date(self.end)}"
        parts = [f"<p>Your cycle: <strong>{esc(period)}</strong>. {self.counted} CPD "
                 f"entr{'y' if self.counted == 1 else 'ies'} counted"
                 + (f"; {self.outside} outside this cycle not counted" if self.outside else "") + ".</p>"]
        if self.met:
            parts.append('<div class="rc-ok" role="status"><p>You have met the CPD hours, participatory hours and '
                         "reflective accounts for this cycle. Well done.</p></div>")
        if with_chart:
            parts.append(self.chart().to_html())
        parts.append(table(["Requirement", "Needed", "You have", "Still to do"], self.rows(),
                           caption="Revalidation requirements tracked here"))
        parts.append('<p class="rc-muted">Revalidation also asks for practice hours, five pieces of practice-related '
                     "feedback, a reflective discussion, a health and character declaration, indemnity and a "
                     "confirmer. This course does not track those: check the NMC's revalidation guidance.</p>")
        return "".join(parts)


def revalidation_summary(entries: Iterable[dict], account_dates: Iterable[str], revalidation_date=None,
                         today: date | None = None) -> Revalidation:
    """Count CPD hours, participatory hours and reflective accounts dated within the cycle."""
    start, end = cycle_for(revalidation_date, today)
    hours = part = 0.0
    counted = outside = 0
    for e in entries:
        try:
            d = date.fromisoformat(str(e.get("date")))
        except ValueError:
            outside += 1
            continue
        if start <= d <= end:
            hours += float(e.get("hours") or 0)
            part += float(e.get("participatory_hours") or 0)
            counted += 1
        else:
            outside += 1
    n_accounts = 0
    for a in account_dates:
        try:
            d = date.fromisoformat(str(a))
        except ValueError:
            continue
        if start <= d <= end:
            n_accounts += 1
    return Revalidation(start, end, round(hours, 2), round(part, 2), n_accounts, counted, outside)
