"""The course's controls: one button, one labelled text box, one row of choices."""

from __future__ import annotations

import ipywidgets as widgets

from .looks import shared_layout
from .style import LABEL_STYLE, WIDE

__all__ = ["button", "choice_buttons", "own_button_layout", "text_input", "OPTIONS_CLASS"]

OPTIONS_CLASS = "rc-options"  # the look of a row of choices (course.css)

BUTTON_LAYOUT = {"width": "auto", "min_width": "9rem"}


def own_button_layout() -> widgets.Layout:
    """The button layout, for a button whose own layout will change (hidden or shown)."""
    return widgets.Layout(**BUTTON_LAYOUT)


def button(description: str, **kwargs) -> widgets.Button:
    """The course's one button: as wide as its label (never cut short), at least 9rem.

    Any :class:`ipywidgets.Button` keyword may be given (``button_style="primary"`` for the main
    action of a form, ``icon``, ``tooltip``, ``disabled``). Buttons share one layout (``looks.py``): a
    button that will be hidden or shown is given ``layout=own_button_layout()``.
    """
    kwargs.setdefault("layout", shared_layout(**BUTTON_LAYOUT))
    return widgets.Button(description=description, **kwargs)


def text_input(description: str, value: str = "", placeholder: str = "", area: bool = False):
    """A labelled Text (or Textarea) as wide as the page; the description is its accessible name."""
    cls = widgets.Textarea if area else widgets.Text
    return cls(value=value, description=description, placeholder=placeholder, style=LABEL_STYLE, layout=WIDE,
               _dom_classes=("rc-textarea",) if area else ())


def choice_buttons(options, value=None, classes: tuple[str, ...] = (), **kwargs) -> widgets.ToggleButtons:
    """A few choices as a row of buttons, each as wide as its label, in the course's look.

    *options* are ``(label, value)`` pairs; ``value=None``: nothing chosen yet. Any
    :class:`ipywidgets.ToggleButtons` keyword may be given (``description``, ``tooltips``, ``style``, a
    ``layout`` of its own for one that will be hidden). Its classes are given as it is made, so the page
    gets it whole, in one message.
    """
    kwargs.setdefault("style", {"button_width": "auto"})
    return widgets.ToggleButtons(options=list(options), value=value, _dom_classes=(OPTIONS_CLASS, *classes),
                                 **kwargs)
