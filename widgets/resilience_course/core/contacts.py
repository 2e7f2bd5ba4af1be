"""Support contacts: who a learner can turn to. Data an organisation can replace."""

from __future__ import annotations

import os
from pathlib import Path

from .content import load_yaml, package_data
from .html import esc

__all__ = ["load_contacts", "contacts_html", "CONTACTS_ENV"]

CONTACTS_ENV = "RESILIENCE_COURSE_CONTACTS"


def load_contacts(path: str | Path | None = None) -> dict:
    """The contacts file: *path*, else ``$RESILIENCE_COURSE_CONTACTS``, else the course's general UK list."""
    path = path or os.environ.get(CONTACTS_ENV) or package_data("contacts.yml")
    return load_yaml(path, "contacts")


def contacts_html(message: str, contacts: dict | None = None) -> str:
    """A kind signposting panel: the message, who to contact, and what to do in an emergency."""
    c = contacts or load_contacts()
    items = []
    for entry in c["contacts"]:
        when = f" <span class=\"rc-muted\">{esc(entry['when'])}</span>" if entry.get("when") else ""
        items.append(f"<li><strong>{esc(entry['name'])}</strong>: {esc(entry['how'])}{when}</li>")
    urgent = f"<p><strong>{esc(c['urgent'])}</strong></p>" if c.get("urgent") else ""
    return (f'<aside class="rc-signpost" role="note" aria-label="Support is available">'
            f"<h3>Support is available</h3><p>{esc(message)}</p><p>{esc(c['intro'])}</p>"
            f"<ul>{''.join(items)}</ul>{urgent}</aside>")
