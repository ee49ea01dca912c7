"""`{% load numbers %}{% decimal_separator %}`: Django's decimal separator of the page's language,
which the base template hands to the page scripts (static/js/numbers.js)."""

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.simple_tag
def decimal_separator() -> str:
    return get_format("DECIMAL_SEPARATOR")
