"""`{% load widget_attrs %}{{ widget.attrs|html_attrs }}`: a widget's attributes, as Django's
`django/forms/widgets/attrs.html` writes them, without a template of their own.

Every input, option and select of a form included that template once more, with a loop of
template tags over a handful of attributes: 45 of them drew 3 ms of a meeting page. Our copies of
input.html, select.html and select_option.html (templates/django/forms/widgets/) call this filter
instead. select.html writes Django's own options in place rather than including
select_option.html once per option, and so do the app's radios (widgets/choices.html) and score
box (widgets/score.html) with their inputs; tests/kor/test_widget_attrs.py holds the markup equal
to what the included templates write.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def html_attrs(attrs: dict) -> SafeString:
    # attrs.html: False leaves the attribute out, True writes its name alone, anything else
    # name="value" (str(value), escaped), in the widget's own order. Written out rather than
    # with format_html_join: a form's attributes are a few hundred per page, and its
    # format_html per attribute cost 8 % of a save's answer.
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        elif value is not False:
            # what is marked safe stays as it is, as stringformat:'s' in attrs.html keeps it
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return mark_safe("".join(parts))  # every name and value escaped above
