"""The rule of 5 and the one identifying-details detector."""

import pytest
from resilience_course.core.privacy import MIN_GROUP, can_show, identifying_details, withheld_message


def test_rule_of_five():
    assert MIN_GROUP == 5 and not can_show(4) and can_show(5)
    assert "1 more is needed" in withheld_message(4)


@pytest.mark.parametrize("text, kind", [
    ("Visited Mrs Smith today", "name"),
    ("Baby Jones was asleep", "name"),
    ("write to someone@example.org", "email"),
    ("NHS no. 943 476 5919", "NHS number"),
    ("NHS 9434765919", "NHS number"),
    ("born 03/04/2019", "date of birth"),
    ("DOB 3/4/19", "date of birth"),
    ("seen on 12-01-2020 with mum", "date of birth"),
    ("lives at SW1A 1AA", "postcode"),
    ("at cv37 6be", "postcode"),
    ("She lives at 12 Acacia Road now", "street address"),
    ("moved to 3b Mill Lane", "street address"),
])
def test_detector_finds_each_kind_of_detail(text, kind):
    found = identifying_details(text)
    assert len(found) == 1 and kind in found[0], found


@pytest.mark.parametrize("text", [
    "I visited a family and felt unsure.",
    "A visit at 10:30 ran over by 20 minutes",
    "On 2 May I saw 3 families and 14 children",
    "We met 4 times in Room 12 on Floor 2",
    "",
])
def test_detector_leaves_ordinary_text_alone(text):
    assert identifying_details(text) == []


def test_one_warning_per_kind_and_several_texts_at_once():
    found = identifying_details("Visited Mrs Smith, NHS 943 476 5919, at CV37 6BE", "mail a@b.org", None)
    assert len(found) == 4


def test_every_tool_that_warns_uses_the_one_detector():
    """The After Action Review and the reflective account warn about exactly the same things."""
    from resilience_course.record.reflective_accounts import identifier_warnings

    samples = ["email me at someone@example.org", "born 03/04/2019", "Mrs Smith", "12 Acacia Road", "SW1A 1AA"]
    for text in samples:
        assert identifier_warnings(text) == identifying_details(text) != []
