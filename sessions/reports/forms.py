"""The team report form: which team, which period, which report."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import ReportJob
from kor.models import Team

from .pdf import LANGUAGES

LANGUAGE_NAMES = {"nb": _("Norwegian"), "en": _("English")}


def _first_of_year() -> datetime.date:
    return timezone.localdate().replace(month=1, day=1)


class TeamReportForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"), empty_label=None)
    period_start = forms.DateField(
        label=_("From"), initial=_first_of_year, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("To"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=ReportJob.Kind.choices,
        initial=ReportJob.Kind.TEAM,
        widget=forms.RadioSelect,
    )
    hide_helpers = forms.BooleanField(
        label=_("Leave helpers' names out"),
        required=False,
        help_text=_("Helpers are then numbered, for a report that goes outside the team."),
    )
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
    )

    def __init__(self, *args, teams, language: str = "nb", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["language"].initial = language if language in LANGUAGES else "nb"

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period is before its start."))
        return data
