"""Module 5's tools through rc.*, with accessible, labelled controls."""

from __future__ import annotations

from .helpers import (
    _walk,
)


def test_package_exposes_the_tools(store, tmp_path):
    import resilience_course as rc

    assert isinstance(rc.support_finder(store=store), rc.SupportFinder)
    assert isinstance(rc.after_action_review(store=store, folder=tmp_path), rc.AfterActionReview)
    assert isinstance(rc.models_of_support(figure=False), rc.ModelsExplorer)


def test_tools_use_only_accessible_controls_with_labels(store, tmp_path):
    import ipywidgets as w
    from resilience_course.support.aar_widgets import AfterActionReview
    from resilience_course.support.finder_widgets import SupportFinder
    from resilience_course.support.menu_widgets import ModelsExplorer

    allowed = (
        w.VBox,
        w.HBox,
        w.HTML,
        w.ToggleButton,
        w.ToggleButtons,
        w.Dropdown,
        w.Text,
        w.Textarea,
        w.Button,
    )
    for tool in (
        SupportFinder(store=store),
        AfterActionReview(store=store, folder=tmp_path),
        ModelsExplorer(),
    ):
        for widget in _walk(tool):
            assert isinstance(widget, allowed), type(widget).__name__
            assert not isinstance(widget, (w.RadioButtons, w.Checkbox, w.IntSlider, w.FloatSlider))
            if isinstance(widget, (w.Dropdown, w.Text, w.Textarea, w.ToggleButton, w.Button)):
                assert widget.description, f"{type(widget).__name__} without a label in {type(tool).__name__}"
