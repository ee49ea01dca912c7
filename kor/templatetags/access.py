"""Template questions about access: `{% load access %}`.

Only for showing or hiding a link: the view behind it looks the object up again, through the
QuerySet methods of the clinical models.
"""

from django import template

from kor import access

register = template.Library()


@register.filter
def can_manage(user, client) -> bool:
    """`{% if user|can_manage:client %}`: may export, anonymise or erase this client."""
    # Asked of the client (Client.is_managed_by), not imported: the core knows no app.
    return client.is_managed_by(user)


@register.filter
def may_review_audit(user) -> bool:
    return access.may_review_audit(user)
