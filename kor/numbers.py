"""Numbers on pages, reports and in messages: Django's formats of the active language (a decimal
comma in bokmål, a point in English), from one function."""

from decimal import Decimal

from django.utils.formats import number_format


def decimal(value: float | Decimal, places: int = 1) -> str:
    """`value` to `places` decimals in the active language: 16.96 -> "17,0" in bokmål.

    Django's number_format cuts extra decimals off (16.96 -> "16,9"); rounding first makes it
    agree with the engine's texts and with `floatformat` in the templates."""
    return number_format(round(value, places), places)
