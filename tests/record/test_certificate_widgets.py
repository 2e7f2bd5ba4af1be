"""The certificate widget, driven in Python."""

from __future__ import annotations

from resilience_course.core.course import load_outline

from .helpers import complete_everything, fake_banks


def test_certificate_widget_explains_what_is_missing_then_writes(store, tmp_path):
    from resilience_course.record.certificate_widgets import CertificatePanel

    outline = load_outline()
    banks = fake_banks(outline)
    w = CertificatePanel(store=store, banks=banks, folder=str(tmp_path / "out"))
    assert "0 of 7 modules" in w.status_html.value.replace(str(len(outline.modules)), "7")
    assert w.ready_box.layout.display == "none"
    assert w.write() is None and not (tmp_path / "out").exists()
    complete_everything(store, outline, banks)
    w.check_button.click()
    assert w.status.complete and w.ready_box.layout.display != "none"
    w.write_button.click()
    assert "Preview" in w.message and not (tmp_path / "out").exists()
    w.name_input.value = "<i>Sam</i>"
    w.preview_button.click()
    assert "&lt;i&gt;Sam&lt;/i&gt;" in w.preview_html.value
    w.write_button.click()
    [path] = (tmp_path / "out").iterdir()
    assert path.name.startswith("certificate-") and "not a qualification" in path.read_text()
