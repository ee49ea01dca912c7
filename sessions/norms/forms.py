from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class FitForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new model"),
        max_length=80,
        required=False,
        help_text=_("Empty: “Own norms”. Each fit is stored as the next version."),
    )


class UseForm(forms.Form):
    """Which model to use: the id of one of the organisation's own, or empty for the published."""

    model = forms.IntegerField(required=False, min_value=1)
