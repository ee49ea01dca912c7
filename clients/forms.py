"""Forms of the clients app: every input goes through one, so bad input gets a message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SupervisionNoteForm(forms.Form):
    # CharField refuses NUL characters itself (ProhibitNullCharactersValidator, with Django's own
    # translated message): PostgreSQL cannot store them and answered a note of "a\0b" with a 500.
    note = forms.CharField(
        required=False,
        max_length=500,
        error_messages={"max_length": _("The note can be at most 500 characters long.")},
    )
