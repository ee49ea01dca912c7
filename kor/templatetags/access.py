"""Template questions the access module answers: `{% load access %}`.

Only for showing or hiding a link: the view behind it checks again, through kor.access.
"""

from django import template

from kor import access

register = template.Library()


@register.filter
def can_manage(user, client) -> bool:
    """`{% if user|can_manage:client %}`: may export, anonymise or erase this client."""
    return access.can_manage_client(user, client)


@register.filter
def may_review_audit(user) -> bool:
    return access.may_review_audit(user)
