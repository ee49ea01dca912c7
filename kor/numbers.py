"""Numbers on pages, reports and in messages: Django's formats of the active language (a decimal
comma in bokmål, a point in English), from one function."""

from decimal import Decimal

from django.conf import settings
from django.utils.formats import get_format, number_format


def decimal(value: float | Decimal, places: int = 1) -> str:
    """`value` to `places` decimals in the active language: 16.96 -> "17,0" in bokmål.

    Django's number_format cuts extra decimals off (16.96 -> "16,9"); rounding first makes it
    agree with the engine's texts and with `floatformat` in the templates."""
    rounded = round(value, places)
    if abs(rounded) < 1000 or not settings.USE_THOUSAND_SEPARATOR:
        # What number_format writes for a number without thousands, at a tenth of its cost:
        # a chart or a table writes hundreds of them per page. The separator is still the
        # language's (tests/kor/test_number_formats.py holds the two equal).
        text = f"{rounded:.{places}f}"
        if isinstance(rounded, Decimal) and not rounded:
            text = text.removeprefix("-")  # as number_format writes a Decimal -0.0
        return text.replace(".", get_format("DECIMAL_SEPARATOR")) if places else text
    return number_format(rounded, places)
