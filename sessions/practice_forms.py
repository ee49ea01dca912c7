"""The form of a period of deliberate practice ("My practice")."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions.models import PracticePeriod

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LONGEST = datetime.timedelta(days=3 * 366)


class PracticePeriodForm(forms.ModelForm):
    class Meta:
        model = PracticePeriod
        fields = ["goal", "starts_on", "ends_on"]
        labels = {
            "goal": _("What I practise, in my own words"),
            "starts_on": _("From"),
            "ends_on": _("To"),
        }
        help_texts = {"goal": _("For example: ask about the alliance earlier in the meeting.")}
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}
        error_messages = {
            "goal": {"required": _("Write what you practise.")},
            "starts_on": {
                "required": _("Give the first day of the period."),
                "invalid": _("Write a date, like 2026-03-01."),
            },
            "ends_on": {
                "required": _("Give the last day of the period."),
                "invalid": _("Write a date, like 2026-03-01."),
            },
        }

    def clean_goal(self) -> str:
        goal = " ".join(self.cleaned_data["goal"].split())
        if not goal:
            raise forms.ValidationError(_("Write what you practise."))
        return goal

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            if end < start:
                self.add_error("ends_on", _("The period must end on or after its first day."))
            elif end - start > LONGEST:
                self.add_error("ends_on", _("A period of practice can be at most three years."))
        return data
