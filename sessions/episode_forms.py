"""The forms of an episode's start and end, and of withdrawing a form entered by mistake."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.models import Episode
from kor.outcomes import ScoreError
from kor.outcomes import instrument as instrument_info
from kor.outcomes.instruments import parse_score
from sessions.episodes import earliest_start, last_meeting_on
from sessions.forms import item_labels

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


class EpisodeStartForm(forms.Form):
    started_on = forms.DateField(
        label=_("Start date"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Give the date the episode started."),
            "invalid": _("Write a date, like 2026-03-01."),
        },
    )

    def __init__(self, *args, client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_started_on(self) -> datetime.date:
        day = self.cleaned_data["started_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("An episode cannot start in the future."))
        earliest = earliest_start(self.client)
        if earliest is not None and day < earliest:
            raise forms.ValidationError(
                _("The client's last episode ended %(day)s: a new one cannot start before that.")
                % {"day": _day(earliest)}
            )
        return day


class EpisodeEndForm(forms.Form):
    """End date and reason, and optionally the client's last outcome form (all items or none)."""

    ended_on = forms.DateField(
        label=_("End date"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Give the date the episode ended."),
            "invalid": _("Write a date, like 2026-03-01."),
        },
    )
    end_reason = forms.ChoiceField(
        label=_("Why did the episode end?"),
        choices=Episode.EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the episode ended.")},
    )
    end_reason_text = forms.CharField(
        label=_("Describe the reason"), max_length=300, required=False
    )

    def __init__(self, *args, episode: Episode, instrument: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.instrument = instrument
        self.info = instrument_info(instrument)
        self.item_keys = [f"item{i}" for i in range(1, len(self.info.items) + 1)]
        for name, (_key, label) in zip(self.item_keys, item_labels(instrument), strict=True):
            self.fields[name] = forms.CharField(label=label, required=False, max_length=10)

    @property
    def items(self) -> list[forms.BoundField]:
        return [self[name] for name in self.item_keys]

    def clean_ended_on(self) -> datetime.date:
        day = self.cleaned_data["ended_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("An episode cannot end in the future."))
        if day < self.episode.started_on:
            raise forms.ValidationError(
                _("The episode started %(day)s: it cannot end before that.")
                % {"day": _day(self.episode.started_on)}
            )
        last = last_meeting_on(self.episode)
        if last is not None and day < last:
            raise forms.ValidationError(
                _("The last meeting was %(day)s: the episode cannot end before that.")
                % {"day": _day(last)}
            )
        return day

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("end_reason") == Episode.EndReason.OTHER
            and not (data.get("end_reason_text") or "").strip()
        ):
            self.add_error("end_reason_text", _("Say in a few words why the episode ended."))
        data["last_outcome"] = self._last_outcome(data)
        return data

    def _last_outcome(self, data: dict) -> list[int] | None:
        """The items in tenths, or None when none was filled in (the form is optional)."""
        raw = [(name, (data.get(name) or "").strip()) for name in self.item_keys]
        if not any(value for _name, value in raw):
            return None
        tenths = []
        low, high = f"{self.info.min:.0f}", f"{self.info.max:.0f}"
        for name, value in raw:
            try:
                tenths.append(
                    parse_score(value, name, self.info.min, self.info.max, self.info.decimals)
                )
            except ScoreError as error:
                if error.code == "missing":
                    message = _("Fill in every line of the form, or none of them.")
                elif error.code == "out_of_range":
                    message = _("Use a number from %(low)s to %(high)s.") % {
                        "low": low,
                        "high": high,
                    }
                elif error.code == "too_many_decimals":
                    message = _("Use at most one decimal.")
                else:
                    message = _("Write a number, like 7.5.")
                self.add_error(name, message)
        return tenths if len(tenths) == len(self.item_keys) else None


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the form withdrawn?"),
        max_length=300,
        error_messages={
            "required": _("Say why the form is withdrawn, e.g. «entered for the wrong client»."),
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the form is withdrawn."))
        return reason
