"""The forms of a client's intake and details: who the client is, who holds the case, and the
first episode. Every field says what is wrong with it next to itself; nothing is saved here."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import AgeGroup, Client, ClientLanguage, FormsConsent
from kor.models import Organisation, Team, User
from kor.outcomes import age_group_for

# Letters, digits and a few separators: a case code is typed, read aloud and printed.
CASE_CODE = re.compile(r"^[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå._/-]*$")
OLDEST = 120  # years


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people_label(user: User, teams: list[str]) -> str:
    return f"{user} ({', '.join(teams)})" if teams else str(user)


class ClientDetailsForm(forms.ModelForm):
    """Who the client is: case code, birth year or age group, name (where names are shown),
    language and consent to the feedback forms. Used by the intake and by the edit page."""

    class Meta:
        model = Client
        fields = [
            "case_code",
            "name",
            "birth_year",
            "age_group",
            "language",
            "forms_consent",
            "forms_consent_on",
        ]
        widgets = {
            "forms_consent": forms.RadioSelect,
            "forms_consent_on": date_input(),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "case_code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        labels = {"forms_consent": _("Has the client agreed to the feedback forms?")}
        help_texts = {
            "birth_year": _("The birth year decides which form version the client gets."),
            "age_group": _("Only when the birth year is not known."),
            "forms_consent_on": _("The day the client said yes or no."),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.today = timezone.localdate()
        if not organisation.show_client_names:
            # The organisation shows clients by case code only: no name is asked or stored.
            del self.fields["name"]
        else:
            self.fields["name"].help_text = _("Optional.")
        self.fields["age_group"].choices = [
            ("", _("Not needed: the birth year is given")),
            *AgeGroup.choices,
        ]
        self.fields["case_code"].error_messages["required"] = _("Write the case code.")
        self.fields["language"].queryset = ClientLanguage.objects.all()
        self.fields["language"].empty_label = None
        self.fields["forms_consent"].choices = FormsConsent.choices
        self.fields["birth_year"].widget.attrs |= {"min": self.today.year - OLDEST}
        self.fields["birth_year"].widget.attrs |= {"max": self.today.year}
        self.fields["forms_consent_on"].widget.attrs["max"] = self.today.isoformat()

    def clean_case_code(self) -> str:
        code = (self.cleaned_data.get("case_code") or "").strip()
        if not code:
            raise forms.ValidationError(_("Write the case code."), code="required")
        if not CASE_CODE.match(code):
            raise forms.ValidationError(
                _("Use letters, digits and - _ / . only, starting with a letter or digit."),
                code="invalid",
            )
        taken = Client.objects.filter(organisation=self.organisation, case_code__iexact=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("The case code %(code)s is already in use in your organisation. Choose another."),
                code="taken",
                params={"code": code},
            )
        return code

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not (self.today.year - OLDEST <= year <= self.today.year):
            raise forms.ValidationError(
                _("Write a birth year from %(first)s to %(last)s."),
                code="range",
                params={"first": self.today.year - OLDEST, "last": self.today.year},
            )
        return year

    def clean_forms_consent_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("forms_consent_on")
        if day is not None and day > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return day

    def clean(self) -> dict:
        data = super().clean()
        year, group = data.get("birth_year"), data.get("age_group")
        if year is None and not group and "birth_year" not in self.errors:
            self.add_error(
                "birth_year",
                forms.ValidationError(
                    _("Write the birth year, or choose an age group if it is not known."),
                    code="required",
                ),
            )
        elif year is not None and group:
            if group != age_group_for(max(self.today.year - year, 0)):
                self.add_error(
                    "age_group",
                    forms.ValidationError(
                        _("The birth year says another age group: leave this empty."),
                        code="mismatch",
                    ),
                )
            else:
                data["age_group"] = ""  # the birth year decides; the group is not stored twice
        consent = data.get("forms_consent")
        if consent in (FormsConsent.YES, FormsConsent.NO):
            if data.get("forms_consent_on") is None and "forms_consent_on" not in self.errors:
                self.add_error(
                    "forms_consent_on",
                    forms.ValidationError(
                        _("Write the date the client answered."), code="required"
                    ),
                )
        elif consent == FormsConsent.NOT_ASKED:
            data["forms_consent_on"] = None
        return data


class IntakeForm(ClientDetailsForm):
    """A new client: details, the team and responsible helper, and the first episode's start."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    responsible_helper = forms.TypedChoiceField(label=_("Responsible helper"), coerce=int)
    started_on = forms.DateField(
        label=_("The episode of care started"),
        widget=date_input(),
        help_text=_("Today, or an earlier day when the client came before."),
        error_messages={"required": _("Write the day the episode started.")},
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    field_order = [
        "case_code",
        "name",
        "birth_year",
        "age_group",
        "team",
        "responsible_helper",
        "language",
        "forms_consent",
        "forms_consent_on",
        "started_on",
    ]

    def __init__(
        self, *args, teams: QuerySet[Team], helpers: list[tuple[User, list[str]]], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = None if len(teams) == 1 else _("Choose a team")
        self.helpers = {user.pk: user for user, _teams in helpers}
        self.fields["responsible_helper"].choices = [
            (user.pk, people_label(user, names)) for user, names in helpers
        ]
        self.fields["started_on"].widget.attrs["max"] = self.today.isoformat()
        if self.organisation.case_code_pattern:
            self.fields["case_code"].required = False
            self.fields["case_code"].help_text = _(
                "Leave empty to get the next code of your organisation's pattern."
            )

    def clean_case_code(self) -> str:
        if (
            self.organisation.case_code_pattern
            and not (self.cleaned_data.get("case_code") or "").strip()
        ):
            return ""  # generated when the client is saved
        return super().clean_case_code()

    def clean_started_on(self) -> datetime.date:
        day = self.cleaned_data["started_on"]
        if day > self.today:
            raise forms.ValidationError(_("An episode cannot start in the future."), code="future")
        return day

    def clean(self) -> dict:
        data = super().clean()
        team, helper_id = data.get("team"), data.get("responsible_helper")
        helper = self.helpers.get(helper_id)
        if (
            team is not None
            and helper is not None
            and not team.memberships.filter(user=helper).exists()
        ):
            self.add_error(
                "responsible_helper",
                forms.ValidationError(
                    _("%(helper)s is not in team %(team)s."),
                    code="not_member",
                    params={"helper": helper, "team": team},
                ),
            )
        data["helper"] = helper
        day, year = data.get("started_on"), data.get("birth_year")
        if day is not None and year is not None and day.year < year:
            self.add_error(
                "started_on",
                forms.ValidationError(
                    _("The episode cannot start before the client's birth year."),
                    code="before_birth",
                ),
            )
        return data
