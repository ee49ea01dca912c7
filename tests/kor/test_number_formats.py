"""Numbers go through Django's formats: a decimal comma in bokmål, a point in English.

The outcome engine cannot import Django, so it writes the numbers of its bilingual reasons
itself; these tests hold that one copy to what Django writes for the same language.
"""

import pytest
from django.utils import translation
from django.utils.formats import get_format, number_format
from hypothesis import given
from hypothesis import strategies as st

from kor.numbers import decimal
from kor.outcomes.texts import number_en, number_nb


@pytest.mark.parametrize("lang, separator", [("nb", ","), ("en", ".")])
def test_the_page_languages_have_their_decimal_separator(lang, separator):
    with translation.override(lang):
        assert get_format("DECIMAL_SEPARATOR") == separator
        assert number_format(16.9, 1) == f"16{separator}9"


@pytest.mark.parametrize("value", [0.0, 2.5, 9.0, 16.94, 16.96, 39.99, 40.0])
def test_the_engine_writes_numbers_as_django_does(value):
    for lang, engine in (("nb", number_nb), ("en", number_en)):
        with translation.override(lang):
            assert engine(value) == decimal(value)


def test_it_rounds_where_django_alone_would_cut_off():
    with translation.override("nb"):
        assert number_format(16.96, 1) == "16,9"  # why kor.numbers.decimal rounds first
        assert decimal(16.96) == "17,0"
    with translation.override("en"):
        assert decimal(-2.04) == "-2.0" and decimal(25) == "25.0"


@given(
    value=st.floats(min_value=-5000, max_value=5000, allow_nan=False)
    | st.decimals(min_value=-5000, max_value=5000, places=3),
    places=st.integers(min_value=0, max_value=3),
    lang=st.sampled_from(["nb", "en"]),
)
def test_decimal_writes_what_djangos_number_format_writes_for_the_rounded_value(
    value, places, lang
):
    with translation.override(lang):
        assert decimal(value, places) == number_format(round(value, places), places)
