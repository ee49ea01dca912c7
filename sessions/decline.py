"""Why a form was not filled in: the reasons a helper picks from, named after the rater.

A declined form stores the chosen reason as a code (FormResponse.declined_reason_code) and the
helper's own words apart (FormResponse.declined_reason), so both are shown back as given.
"""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OTHER = "other"
# The order of the list the helper picks from; "other" asks for the helper's own words.
REASON_CODES = ("did_not_want", "too_distressed", "language", "does_not_fit", "no_time", OTHER)


def reason_label(code: str, who: str) -> str:
    """The reason in the page's language, with the rater named where the reason is theirs:
    "Mor ville ikke", "Klienten ville ikke"."""
    if code == "did_not_want":
        return _("%(who)s did not want to") % {"who": capfirst(who)}
    return str(_FIXED_LABELS.get(code, ""))


# Translated one at a time, when asked for: a meeting page lists every reason for each form.
_FIXED_LABELS = {
    "too_distressed": gettext_lazy("Too distressed today"),
    "language": gettext_lazy("Language or reading difficulties"),
    "does_not_fit": gettext_lazy("The form does not fit this person"),
    "no_time": gettext_lazy("No time in this meeting"),
    OTHER: gettext_lazy("Other (write below)"),
}


def reason_choices(who: str) -> list[tuple[str, str]]:
    return [("", _("Choose a reason"))] + [(code, reason_label(code, who)) for code in REASON_CODES]


def describe(code: str, text: str, who: str) -> str:
    """The reason as one line to read back (chart, lists): the chosen reason, then the words."""
    label = reason_label(code, who) if code and code != OTHER else ""
    return " – ".join(part for part in (label, text.strip()) if part)
