"""The two surveys, loaded once per test module."""

import pytest
from resilience_course.cohort import model as co


@pytest.fixture(scope="module")
def checkin():
    return co.load_survey("check-in")


@pytest.fixture(scope="module")
def evaluation():
    return co.load_survey("evaluation")
