"""Issue 15: one default save folder for every tool (the benchmark used the home folder)."""

from __future__ import annotations

from pathlib import Path


def test_benchmark_tools_offer_the_courses_export_folder(store, tmp_path, monkeypatch):
    from resilience_course.benchmark.base_widgets import typed_folder
    from resilience_course.benchmark.widgets import ActionPlan, BenchmarkResponse, BenchmarkSession
    from resilience_course.core.exports import export_dir
    from resilience_course.record.certificate_widgets import CertificatePanel

    monkeypatch.setenv("RESILIENCE_COURSE_EXPORT_DIR", str(tmp_path / "exports"))
    folder = str(export_dir())
    assert BenchmarkResponse(store=store).folder_text.value == folder
    assert ActionPlan(store=store, session=BenchmarkSession()).folder_text.value == folder
    assert CertificatePanel(store=store).folder.value == folder
    path, problem = typed_folder(folder)  # made, privately, on first use
    assert path == Path(folder) and not problem and (path.stat().st_mode & 0o777) == 0o700
