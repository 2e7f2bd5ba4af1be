"""One time formatter: UK style for people, ISO for files."""

import re
from datetime import date, datetime, timezone

from resilience_course.core.dates import clock, display_date, display_time, file_stamp, local_day, now_iso


def test_display_is_uk_style():
    assert display_date(date(2026, 11, 28)) == "28 Nov 2026"
    assert display_date("2026-11-28") == "28 Nov 2026"
    stamp = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc).isoformat()
    assert re.fullmatch(r"28 Nov 2026 \d\d:\d\d", display_time(stamp))


def test_unreadable_input_is_shown_as_given():
    assert display_time("not a time") == "not a time" and display_time(None) == "None"
    assert display_date("soon") == "soon" and local_day("soonish-and-more") == "soonish-an"


def test_files_and_store_use_iso():
    assert datetime.fromisoformat(now_iso()).tzinfo is not None
    assert local_day("2026-11-28T10:00:00") == "2026-11-28"
    assert file_stamp(datetime(2026, 11, 28, 9, 5)) == "2026-11-28-0905"
    assert clock(datetime(2026, 11, 28, 9, 5)) == "09:05"
