"""Issue 15: every export also arrives as a browser download from the page (the UI kit's
download_link_html / SaveOrDownload), carrying exactly the file that would be written."""

from __future__ import annotations

import base64
import html
import re
from datetime import date

from resilience_course.record.common import CODE_THEMES


def _downloads(markup: str) -> dict[str, bytes]:
    """{file name: bytes} of every download link in *markup*."""
    out = {}
    for href, name in re.findall(r'<a class="rc-download" href="data:[^;]+(?:;charset=utf-8)?;base64,([^"]+)" '
                                 r'download="([^"]+)"', markup):
        out[html.unescape(name)] = base64.b64decode(href)
    return out


def test_reflective_account_preview_offers_html_and_markdown_downloads(store):
    from resilience_course.record.reflective_accounts import account_html, account_markdown, validate_account
    from resilience_course.record.reflective_accounts_widgets import ReflectiveAccountBuilder

    w = ReflectiveAccountBuilder(store=store, today=date(2026, 11, 28))
    w.account = {"title": "A week of change", "date": "2026-11-28", "activity": "Module 2", "learned": "Pausing helps",
                 "changed": "I take breaks", "code": "Practise effectively", "themes": [next(iter(CODE_THEMES))]}
    w.preview()
    files = _downloads(w.preview_html.value)
    clean = validate_account(w.account, date(2026, 11, 28))
    assert files["reflective-account-2026-11-28.html"].decode() == account_html(clean)
    assert files["reflective-account-2026-11-28.md"].decode() == account_markdown(clean)


def test_after_action_review_preview_is_also_a_download(store, tmp_path):
    from resilience_course.support.aar_widgets import AfterActionReview

    w = AfterActionReview(store=store, folder=tmp_path)
    w.expected, w.happened, w.difference, w.learned = "calm", "rushed", "no back-up", "plan ahead"
    w.save()
    w.make_preview()
    files = _downloads(w.preview_html.value)
    assert list(files.values()) == [w.preview.encode("utf-8")]
    assert list(files)[0] == w.filename


def test_action_plan_preview_offers_both_files(store, tmp_path):
    from resilience_course.benchmark.widgets import ActionPlan, BenchmarkSession

    plan = ActionPlan(store=store, session=BenchmarkSession(), folder=tmp_path)
    plan.team_text.value, plan.cycle_text.value = "north-hv", "2027"
    plan.action_text.value = "Book training"
    plan.due_text.value, plan.review_text.value = "31/03/2027", "30/06/2027"
    plan.add_button.click()
    plan.make_preview()
    files = _downloads(plan.preview_html.value)
    csv_name, html_name = plan._names()
    assert files[html_name].decode() == plan.preview["html"] and files[csv_name].decode() == plan.preview["csv"]


def test_team_report_is_a_download_as_well(tmp_path):
    from resilience_course.benchmark.report_document import report_document
    from resilience_course.benchmark.widgets import TeamReport

    from tests.benchmark.helpers import write_team

    write_team(tmp_path / "resp", 5)
    w = TeamReport()
    w.folder_text.value = str(tmp_path / "resp")
    w.make()
    files = _downloads(w.report_html.value)
    assert files["report.html"].decode() == report_document(w.report, w.tool)
    assert b'"format"' in files["report.json"]
