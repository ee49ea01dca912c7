"""The organisation administrator's forms: every input goes through one, messages by the field."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kor.models import Membership, Team


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, e-mail or title"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("The person gets a link here to choose their own password."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        required=False,
        help_text=_("For example psychologist or family therapist."),
    )


class DetailsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)


ROLE_CHOICES = [("", _("no role")), *Membership.Role.choices]


class RoleForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), empty_label=_("Choose a team")
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)

    def __init__(self, *args, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the administrator's own organisation's teams: another's id is "not a valid choice".
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()


class FlagForm(forms.Form):
    """On or off for one yes/no property (active, administrator, closed): sent by a button."""

    value = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", empty_value=None
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the team a name."))
        return name


MAX_TOKEN_DAYS = 365


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses the token, e.g. the patient record system."),
    )
    expires_on = forms.DateField(
        label=_("Last day"),
        help_text=_("The token stops working after this day (at most a year ahead)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # The form's own token: sent twice, it makes one API token.
    nonce = forms.UUIDField(widget=forms.HiddenInput)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("The last day cannot be in the past."))
        if day > today + datetime.timedelta(days=MAX_TOKEN_DAYS):
            raise forms.ValidationError(_("A token can last at most a year."))
        return day
