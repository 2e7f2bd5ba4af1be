"""The models explorer widget, driven in Python."""

from __future__ import annotations

import pytest
from traitlets import TraitError


def test_models_explorer_shows_models_and_variants():
    from resilience_course.support.menu_widgets import ModelsExplorer

    explorer = ModelsExplorer(figure=False)
    assert explorer.variant_chooser.layout.display == "none"
    explorer.chooser.value = "coaching"
    assert explorer.selected == "coaching"
    assert "more structured than mentoring" in explorer.body_html.value
    assert "Brandt, R. (2013)" in explorer.body_html.value
    explorer.chooser.value = "interagency-groups"
    assert explorer.variant_chooser.layout.display == ""
    explorer.variant_chooser.value = "compassion-circles"
    assert explorer.variant == "compassion-circles"
    assert "Up to 12 people" in explorer.body_html.value
    explorer.chooser.value = "mentorship"
    assert explorer.variant == "" and "An ongoing relationship" in explorer.body_html.value
    with pytest.raises(TraitError):
        explorer.selected = "knitting-circle"
    with pytest.raises(TraitError):
        explorer.variant = "schwartz-rounds"


def test_models_explorer_includes_the_figure():
    from resilience_course.support.menu_widgets import ModelsExplorer

    explorer = ModelsExplorer()
    assert 'alt="Illustration:' in explorer.children[0].value
