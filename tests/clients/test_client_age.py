"""A client's age group on a day, from the birth year (the engine's rule, the one place)."""

import datetime

import pytest

from clients.models import AgeGroup, Client

DAY = datetime.date(2026, 6, 1)


@pytest.mark.parametrize(
    "birth_year, group",
    [
        (2008, AgeGroup.ADULT),  # 18 this year
        (2009, AgeGroup.ADOLESCENT),
        (2013, AgeGroup.ADOLESCENT),
        (2014, AgeGroup.CHILD),
        (2020, AgeGroup.CHILD),
        (2021, AgeGroup.YOUNG_CHILD),
        (2026, AgeGroup.YOUNG_CHILD),
        (2027, AgeGroup.YOUNG_CHILD),  # a birth year typed wrong does not break the page
    ],
)
def test_it_picks_the_age_group_at_the_boundaries(birth_year, group):
    assert Client(birth_year=birth_year).age_group_on(DAY) == group
