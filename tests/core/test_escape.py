"""The course's one HTML escaper and one Markdown escaper."""

from resilience_course.core.escape import esc, md_escape
from resilience_course.core.html import esc as html_esc


def test_html_escaper_is_the_one_in_core_html():
    assert html_esc is esc
    assert esc('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    assert esc(None) == ""


def test_markdown_escaper_neutralises_links_images_and_html():
    out = md_escape("[x](javascript:alert(1)) ![img](http://evil/x.png) <javascript:alert(1)> <b>hi</b>")
    assert "](" not in out.replace("\\](", "")
    assert "\\[x\\]" in out and "\\!\\[img\\]" in out
    assert "<" not in out and ">" not in out and "&lt;b&gt;" in out


def test_markdown_escaper_stops_block_syntax_at_line_starts():
    out = md_escape("# h\n- a\n+ b\n1. c\n2) d\n===\n| t |\n> quote")
    lines = out.splitlines()
    assert lines[0].startswith("\\#") and lines[1].startswith("\\-") and lines[2].startswith("\\+")
    assert lines[3].startswith("1\\.") and lines[4].startswith("2\\)") and lines[5].startswith("\\=")
    assert lines[6].startswith("\\|") and lines[7].startswith("&gt;")


LINK = "[click me](javascript:alert(1)) <javascript:alert(2)> ![x](http://example.org/t.png)"


def _no_live_link(md: str) -> None:
    assert "](" not in md.replace("\\](", ""), md
    assert "<javascript" not in md and "<" not in md.replace("&lt;", "")


def test_after_action_review_markdown_keeps_no_live_link():
    """Issue 14 item 9: the After Action Review's own escaper let [x](javascript:...) through."""
    from resilience_course.support.aar import aar_markdown

    md = aar_markdown([{"title": LINK, "expected": LINK, "happened": "", "difference": "", "learned": LINK,
                        "created": "2026-11-28T10:00:00+00:00"}])
    _no_live_link(md)
    assert "\\[click me\\]" in md


def test_reflective_account_markdown_keeps_no_live_link():
    from resilience_course.record.reflective_accounts import account_markdown

    md = account_markdown({"title": LINK, "date": "2026-11-01", "what": LINK, "learned": LINK, "changed": LINK,
                           "code": LINK, "themes": []})
    _no_live_link(md)
