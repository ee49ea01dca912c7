"""The helper's form for sending a form link (issue 14)."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from sessions.models import RemoteLink

PHONE = re.compile(r"^\+?[0-9]{8,15}$")


class LinkForm(forms.Form):
    rater = forms.ModelChoiceField(label=_("Who fills in"), queryset=None, empty_label=None)
    part = forms.ChoiceField(
        label=_("Which form"),
        choices=[
            ("before", _("Before the meeting (outcome form)")),
            ("after", _("After the meeting (alliance form)")),
            ("both", _("Both")),
        ],
    )
    channel = forms.ChoiceField(label=_("Send by"), choices=RemoteLink.Channel.choices)
    contact = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=200,
        required=False,
        help_text=_("Kept only until the link is used or has expired."),
    )
    show_progress = forms.BooleanField(
        label=_("Show the client their own progress after the form"), required=False
    )

    def __init__(self, *args, episode, allow_progress: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rater"].queryset = episode.raters.all()  # what a posted choice must be
        # The options from the episode's raters as loaded (the meeting page has them already):
        # a ModelChoiceField would read them from the database twice for one <select>.
        self.fields["rater"].choices = [(r.pk, str(r)) for r in episode.raters.all()]
        if not allow_progress:
            del self.fields["show_progress"]

    def clean(self) -> dict:
        data = super().clean()
        channel, contact = data.get("channel"), (data.get("contact") or "").strip()
        if channel == RemoteLink.Channel.EMAIL:
            try:
                validate_email(contact)
            except forms.ValidationError:
                self.add_error("contact", _("Write an e-mail address, like name@example.no."))
        elif channel == RemoteLink.Channel.SMS:
            contact = re.sub(r"[\s-]", "", contact)
            if not PHONE.match(contact):
                self.add_error("contact", _("Write a mobile number, like +47 912 34 567."))
        else:
            contact = ""
        data["contact"] = contact
        return data
