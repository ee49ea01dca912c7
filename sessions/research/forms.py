"""What a leader chooses for a research export: teams, period and k."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kor.models import Team
from kor.outcomes.anonymity import DEFAULT_K


def _a_year_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=365)


class ResearchExportForm(forms.Form):
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        label=_("Teams"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one team.")},
    )
    period_start = forms.DateField(
        label=_("Meetings from"),
        initial=_a_year_ago,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_end = forms.DateField(
        label=_("to"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    k = forms.IntegerField(
        label=_("k (at least this many clients share every combination)"),
        initial=DEFAULT_K,
        min_value=2,
        max_value=100,
        help_text=_(
            "Combinations of team, age group, year, form and number of meetings shared by fewer "
            "clients are coarsened, then left out."
        ),
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams
        self.fields["teams"].initial = list(teams)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period is before its start."))
        return data
