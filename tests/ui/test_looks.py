"""Widgets that keep the default look share one layout and one style model per kind (ui/looks.py)."""

import json

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances
from resilience_course.ui.controls import button, own_button_layout
from resilience_course.ui.looks import SharedLookError, shared_look

from tests.conftest import ROOT


def test_widgets_without_a_layout_or_style_share_one_model_of_each_kind():
    a, b = widgets.HTML("a"), widgets.HTML("b")
    assert a.layout is b.layout and a.style is b.style
    assert widgets.VBox().layout is a.layout
    assert widgets.Button().style is widgets.Button().style
    assert widgets.Button().style is not a.style  # one per kind: a button's style is not an HTML's


def test_a_style_given_as_settings_is_shared_by_widgets_given_the_same():
    a = widgets.ToggleButtons(options=["x"], style={"button_width": "auto"})
    b = widgets.ToggleButtons(options=["y"], style={"button_width": "auto"})
    c = widgets.ToggleButtons(options=["z"], style={"button_width": "4rem"})
    assert a.style is b.style and a.style.button_width == "auto"
    assert c.style is not a.style and c.style.button_width == "4rem"


def test_a_layout_of_its_own_is_kept_and_can_change():
    own = widgets.Layout()
    w = widgets.VBox(layout=own)
    w.layout.display = "none"
    assert w.layout is own and own.display == "none"
    assert widgets.VBox().layout.display is None  # the shared one is untouched


def test_changing_a_shared_look_raises_instead_of_changing_every_widget():
    w, other = widgets.HTML("w"), widgets.HTML("other")
    with pytest.raises(SharedLookError, match="layout=widgets.Layout"):
        w.layout.display = "none"
    with pytest.raises(SharedLookError):
        widgets.Button().style.button_color = "red"
    assert other.layout.display is None
    b = button("Hide me", layout=own_button_layout())
    b.layout.display = "none"
    assert button("Still shown").layout.display is None


def test_a_closed_shared_look_is_made_again():
    first = shared_look(widgets.Layout)
    first.close()
    again = widgets.HTML("after").layout
    assert again is not first and again.comm is not None


def test_a_knowledge_check_page_builds_half_the_widget_models_it_did(monkeypatch, tmp_path):
    """02.04 made 418 widget models, 300 of them default layouts and styles; each is a message, a record on
    the server and a model the browser builds before the page can be used."""
    import IPython.display
    import resilience_course as rc

    monkeypatch.setenv("RESILIENCE_COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)
    notebook = json.loads((ROOT / "modules/02-understanding-resilience/02.04-knowledge-check-and-summary.ipynb")
                          .read_text(encoding="utf-8"))
    before = set(_instances)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), {"rc": rc})  # noqa: S102 - the course's own notebook
    made = [w for key, w in _instances.items() if key not in before]
    looks = [w for w in made if isinstance(w, (widgets.Layout, widgets.Style))]
    assert len(made) <= 180, len(made)
    assert len(looks) <= 12, len(looks)


def test_a_knowledge_check_page_sends_its_widgets_whole_not_changed_just_after(monkeypatch, tmp_path):
    """Each widget is sent to the page once, whole, when it is made; a class or the children given to it a
    moment later is a second message the server sends and the browser applies before the page is usable.
    04.04 (the SHARENOW self-check, a knowledge check and the evaluation) sent 106 such changes beside its
    196 widgets, most of them a class given to each rating's options and to each question."""
    import IPython.display
    import resilience_course as rc
    from ipywidgets import Widget

    monkeypatch.setenv("RESILIENCE_COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)
    changes = []
    send = Widget._send

    def counting(self, msg, buffers=None):
        if msg.get("method") == "update":
            changes.append((type(self).__name__, sorted(msg["state"])))
        return send(self, msg, buffers)

    monkeypatch.setattr(Widget, "_send", counting)
    page = ROOT / "modules/04-compassionate-resilience-sharenow/04.04-self-check-knowledge-check-and-summary.ipynb"
    for cell in json.loads(page.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), {"rc": rc})  # noqa: S102 - the course's own notebook
    classes = [c for c in changes if "_dom_classes" in c[1]]
    assert len(classes) <= 8, classes  # 74 before
    assert len(changes) <= 25, changes  # 106 before
