"""One rated item: its answer options as ONE radio group named by the item's text (issue 15).

Used by every rated item (the self-checks, the ten-steps audit, the benchmark's factor ratings and
60 indicators). The buttons are ipywidgets ToggleButtons; the item's text is their ``description``
(drawn as the group's label above the options). ``static/rating.js`` in the course's page template
then gives the group radio semantics: ``role="radiogroup"`` named by that label, each option a
``role="radio"`` with ``aria-checked``, one Tab stop per item (the chosen option, or the first), and
the arrow keys (and Home / End) moving the choice within the item.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from .controls import choice_buttons

__all__ = ["RATING_CLASS", "rating_buttons"]

#: The class that marks a ToggleButtons as a rated item (the page script looks for it).
RATING_CLASS = "rc-rating"


def rating_buttons(label: str, options: Sequence, tooltips: Sequence[str] | None = None,
                   value=None) -> widgets.ToggleButtons:
    """The options of one rated item, labelled by the item's text (plain text, never HTML).

    Parameters
    ----------
    label : str
        The item's text; it names the group for screen readers and is shown above the options.
    options : sequence
        ``(label, value)`` pairs, as for :class:`ipywidgets.ToggleButtons`.
    tooltips : sequence of str, optional
    value : optional
        The chosen value (``None``: nothing chosen yet).
    """
    return choice_buttons(options, value, classes=(RATING_CLASS,), description=str(label),
                          tooltips=list(tooltips or []), style={"button_width": "auto", "description_width": "initial"})
