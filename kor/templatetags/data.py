"""`{% load data %}{{ figure|chart_data:"chart-data" }}`: Django's `json_script`, quicker.

Writes exactly what `json_script` writes (tests/kor/test_chart_data.py holds the two equal), but
escapes the three characters with `str.replace` instead of `str.translate` over a mapping, which
walks the text a character at a time in Python's slow path: for a chart's 10 kB of JSON that was
3.5 ms of every client page and every save, more than the chart's own query.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def chart_data(value: object, element_id: str) -> SafeString:
    text = json.dumps(value, cls=DjangoJSONEncoder)
    # The same escapes as django.utils.html._json_script_escapes: no "</script>", no "<!--".
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )
