"""The forms of the session view: start a meeting, one rating form, goals, raters."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clients.models import Goal, Rater
from kor.outcomes import ScoreError
from kor.outcomes import instrument as instrument_info
from kor.outcomes.instruments import parse_score
from kor.outcomes.wording import FormWording
from sessions import decline
from sessions.models import FormResponse, Meeting
from sessions.widgets import ChoiceRadios, ScoreInput


def lang_is_nb() -> bool:
    return (get_language() or "nb").startswith(("nb", "no", "nn"))


def item_labels(code: str) -> list[tuple[str, str]]:
    """(key, label) of a form's items in the page's language."""
    nb = lang_is_nb()
    return [
        (item.key, item.label_nb if nb else item.label_en) for item in instrument_info(code).items
    ]


def form_name(code: str) -> str:
    info = instrument_info(code)
    return info.name_nb if lang_is_nb() else info.name_en


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "format"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, episode=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A meeting cannot be dated in the future."))
        if self.episode is not None and date < self.episode.started_on:
            raise forms.ValidationError(
                _("The episode of care started %(day)s: a meeting cannot be dated before that.")
                % {"day": date_format(self.episode.started_on, "SHORT_DATE_FORMAT")}
            )
        return date


class _BoundField(forms.BoundField):
    @property
    def aria_describedby(self) -> str:
        # The page's name for a field's error line, "<id>-error" (Django's own is "<id>_error"),
        # after the words at the ends of an item's line, "<id>-ends", where the item has them.
        ids = []
        if getattr(self.field.widget, "ends", None):
            ids.append(f"{self.auto_id}-ends")
        if self.errors:
            ids.append(f"{self.auto_id}-error")
        return " ".join(ids)


class ResponseForm(forms.Form):
    """One rating form of one rater in one meeting: the items as numbers 0.0-10.0 (the slider
    writes into these fields; they also stand alone without JavaScript), or declined / not offered.
    """

    bound_field_class = _BoundField
    # The form has novalidate and its own messages; `required` would only make screen readers
    # call every radio button and item required, which a declined form is not.
    use_required_attribute = False

    status = forms.ChoiceField(
        label=_("The form was"),
        choices=FormResponse.Status.choices,
        initial=FormResponse.Status.COMPLETED,
        widget=ChoiceRadios,
    )
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    reason_text = forms.CharField(
        label=_("Reason in your own words"), max_length=300, required=False
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, instrument: str, rater: Rater, wording: FormWording, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.info = instrument_info(instrument)
        self.item_keys = [f"item{i}" for i in range(1, len(self.info.items) + 1)]
        lang = get_language() or "nb"  # nynorsk where the wording has it
        # What the client reads: the time frame and what the ends of each line mean.
        self.instruction = wording.instruction.in_language(lang)
        self.fields["reason"].choices = decline.reason_choices(str(rater))
        step = "0.1" if self.info.decimals else "1"
        for name, (key, label) in zip(self.item_keys, item_labels(instrument), strict=True):
            ends = wording.items[key]
            # Text, not a DecimalField: clean() reads "2,5" and "2.5" alike (parse_score) and
            # says what is wrong in the form's own words. localize shows 2,5 back in bokmål.
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=10,
                localize=True,
                widget=ScoreInput(
                    low=self.info.min,
                    high=self.info.max,
                    step=step,
                    ends=(ends.low.in_language(lang), ends.high.in_language(lang)),
                ),
                template_name="widgets/score_field.html",
            )

    @property
    def items(self) -> list[forms.BoundField]:
        return [self[name] for name in self.item_keys]

    def clean(self) -> dict:
        data = super().clean()
        status = data.get("status")
        if status == FormResponse.Status.COMPLETED:
            tenths = []
            for name in self.item_keys:
                try:
                    tenths.append(
                        parse_score(
                            data.get(name), name, self.info.min, self.info.max, self.info.decimals
                        )
                    )
                except ScoreError as error:
                    self.add_error(name, self.item_message(error.code))
            data["tenths"] = tenths if len(tenths) == len(self.item_keys) else None
        elif status == FormResponse.Status.DECLINED:
            text = data.get("reason_text", "").strip()
            if not data.get("reason") and not text:
                self.add_error("reason", _("Say why, from the list or in your own words."))
            elif data.get("reason") == decline.OTHER and not text:
                self.add_error("reason_text", _("Write the reason in a few words."))
        return data

    def item_message(self, code: str) -> str:
        low, high = (f"{self.info.min:.0f}", f"{self.info.max:.0f}")
        if code == "missing":
            return _("Mark the line, or write a number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        if code == "out_of_range":
            return _("Use a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        if code == "too_many_decimals":
            if self.info.decimals == 0:
                return _("Use a whole number.")
            return _("Use at most one decimal.")
        return _("Write a number, like 7.5.")

    def declined_reason(self) -> tuple[str, str]:
        """(code, words): the reason chosen from the list and the helper's own words, apart."""
        data = self.cleaned_data
        return data.get("reason", ""), data.get("reason_text", "").strip()

    @classmethod
    def initial_from(cls, response: FormResponse | None) -> dict:
        if response is None:
            return {"status": FormResponse.Status.COMPLETED, "version": "new"}
        from sessions.services import version_of

        initial = {"status": response.status, "version": version_of(response)}
        places = Decimal(1).scaleb(-instrument_info(response.instrument).decimals)
        for i, value in enumerate(response.items, 1):
            if value is not None:
                # A Decimal, so the localized box shows it as the page writes numbers: 2,5 / 2.5.
                initial[f"item{i}"] = (Decimal(value) / 10).quantize(places)
        initial["reason"] = response.declined_reason_code
        initial["reason_text"] = response.declined_reason
        return initial


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text"]
        labels = {"text": _("A goal in the client's own words")}


class RaterForm(forms.ModelForm):
    # The newest rater of the episode when the form was shown: a rater the page did not show yet
    # that is the same as this one was added by this very form (a double click, or the same form
    # sent twice), so it is "done" again, not "tell them apart".
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Rater
        fields = ["relation", "label"]
        labels = {"relation": _("Who rates"), "label": _("Name or label (optional)")}

    def __init__(self, *args, episode=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        # The client rates themself once per episode; this form adds the others.
        self.fields["relation"].choices = [
            c for c in Rater.Relation.choices if c[0] != Rater.Relation.CLIENT
        ]
        if episode is not None:
            self.fields["seen"].initial = max((r.pk for r in episode.raters.all()), default=0)

    def clean(self) -> dict:
        data = super().clean()
        relation, label = data.get("relation"), (data.get("label") or "").strip()
        if self.episode is not None and relation:
            same = self.episode.raters.filter(relation=relation, label__iexact=label)
            seen = data.get("seen")
            if seen is not None:
                same = same.filter(pk__lte=seen)  # newer ones: this form's own (add_rater)
            if same.exists():
                # Two raters the page cannot tell apart ("mor" twice) would mix up their forms
                # and lines in the chart: ask for a label that tells them apart.
                who = label or Rater.Relation(relation).label
                self.add_error(
                    "label",
                    _(
                        "%(who)s already rates in this episode. Write a name or label that "
                        "tells them apart, for example a first name."
                    )
                    % {"who": capfirst(who)},
                )
        data["label"] = label
        return data


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=_("Helper's password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
