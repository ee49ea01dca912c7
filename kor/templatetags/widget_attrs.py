"""`{% load widget_attrs %}{{ widget.attrs|html_attrs }}`: a widget's attributes, as Django's
`django/forms/widgets/attrs.html` writes them, without a template of their own.

Every input, option and select of a form included that template once more, with a loop of
template tags over a handful of attributes: 45 of them drew 3 ms of a meeting page. Our copies of
input.html, select.html and select_option.html (templates/django/forms/widgets/) call this filter
instead; tests/kor/test_widget_attrs.py holds their markup equal to Django's own.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def html_attrs(attrs: dict) -> SafeString:
    # attrs.html: False leaves the attribute out, True writes its name alone, anything else
    # name="value" (str(value), escaped), in the widget's own order.
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )
