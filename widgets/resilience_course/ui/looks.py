"""One shared layout and one shared style per kind of widget, for widgets that keep the default look.

ipywidgets gives every widget a Layout model of its own and most a Style model too, even when both
stay at their defaults: on a knowledge-check page that was about half of its 418 widget models. Each
model is a message from the kernel, a record the server keeps for the page, and a model the browser
builds before the page can be used. :func:`share_default_looks` makes a widget created without a
``layout`` (or without a ``style``) use one shared, read-only model of that kind instead. A widget
that will change its look later (shown and hidden, say) is given a layout of its own
(``layout=widgets.Layout()``); changing a shared one raises :class:`SharedLookError` at once, so the
mistake shows in the widget tests rather than as a whole page of hidden widgets.
"""

from __future__ import annotations

import ipywidgets as widgets
from ipywidgets.widgets.trait_types import InstanceDict

__all__ = ["SharedLookError", "share_default_looks", "shared_layout", "shared_look"]


class SharedLookError(AttributeError):
    """A shared (default) layout or style was changed: give that widget a layout or style of its own."""


_shared: dict[tuple, widgets.Widget] = {}
_frozen: set[int] = set()  # ids of the shared models, read-only once made


def _guard(cls: type) -> type:
    """*cls* (Layout or a Style class) whose synced traits cannot be changed on a shared instance."""

    def __setattr__(self, name, value, _base=cls.__setattr__):
        if id(self) in _frozen and name in self.keys and not name.startswith("_"):
            raise SharedLookError(
                f"this widget shares the default {cls.__name__} with others; give it one of its own "
                f"(for example layout=widgets.Layout()) before changing {name!r}")
        _base(self, name, value)

    cls.__setattr__ = __setattr__
    return cls


def shared_look(cls: type, settings: dict | None = None) -> widgets.Widget:
    """The shared instance of *cls* with *settings* (made again if it was closed)."""
    key = (cls, tuple(sorted((settings or {}).items())))
    model = _shared.get(key)
    if model is None or getattr(model, "comm", None) is None:
        if model is not None:
            _frozen.discard(id(model))  # (its id may be reused once it is gone)
        model = cls(**(settings or {}))
        _shared[key] = model
        _frozen.add(id(model))
    return model


def shared_layout(**settings) -> widgets.Layout:
    """One read-only layout for every widget given the same *settings* (``layout=shared_layout(width="auto")``)."""
    return shared_look(widgets.Layout, settings)


def _look_traits():
    seen: set[int] = set()
    stack = [widgets.Widget]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        for name in ("layout", "style"):
            trait = cls.class_traits().get(name)
            if isinstance(trait, InstanceDict) and id(trait) not in seen:
                seen.add(id(trait))
                yield trait


def _hashable(settings: dict) -> bool:
    try:
        hash(tuple(settings.items()))
    except TypeError:
        return False
    return True


_done = False


def share_default_looks() -> None:
    """From now on a widget made without ``layout``/``style`` shares one default of each kind (once)."""
    global _done
    if _done:
        return
    _done = True
    for trait in _look_traits():
        klass = trait.klass
        if not (issubclass(klass, (widgets.Layout, widgets.Style)) and not trait.default_args
                and not trait.default_kwargs):
            continue
        if not vars(klass).get("_rc_guarded", False):
            _guard(klass)
            klass._rc_guarded = True
        trait.make_dynamic_default = lambda klass=klass: shared_look(klass)
        # a look given as a dict (style={"button_width": "auto"}) is shared by every widget given the same
        trait.validate = lambda obj, value, trait=trait, klass=klass: InstanceDict.validate(
            trait, obj, shared_look(klass, value) if isinstance(value, dict) and _hashable(value) else value)
