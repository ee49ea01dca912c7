"""What can be wrong with a row of an import, said once: a code, the values it names, and the
translated sentence shown on the preview page and by `manage.py import_forms`.

A problem is stored by code and values (the import job keeps them as JSON), and put into words
in the reader's language when it is shown, so a preview made by the background worker reads in
the language of the person who looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # The file itself
    "unreadable_file": _("The file could not be read as CSV or Excel (.xlsx)."),
    "no_header": _(
        "No header row found: the file needs at least the columns case code, date and form."
    ),
    "empty_file": _("The file has no rows of forms."),
    "missing_value": _("%(column)s is empty."),
    "bad_date": _("%(column)s: “%(value)s” is not a date (use 2025-03-14 or 14.03.2025)."),
    "bad_number": _("%(column)s: “%(value)s” is not a number."),
    # The words in a row
    "unknown_instrument": _("Unknown form “%(value)s” (known: ORS, SRS, CORS, CSRS, YCORS, GSRS)."),
    "unknown_relation": _("Unknown rater “%(value)s” (client, mother, father, partner or other)."),
    "unknown_status": _("Unknown form status “%(value)s” (completed, declined or not offered)."),
    "unknown_age_group": _(
        "Unknown age group “%(value)s” (adult, adolescent, child, young child)."
    ),
    "unknown_end_reason": _("Unknown end reason “%(value)s”."),
    # The scores
    "no_scores": _("Neither item scores nor a total."),
    "item_count": _("%(instrument)s has %(expected)s items; the row gives %(given)s."),
    "item_out_of_range": _("Item %(item)s is %(value)s, outside %(low)s–%(high)s."),
    "total_out_of_range": _("The total %(value)s is outside %(low)s–%(high)s."),
    "total_not_sum": _("The total %(total)s is not the sum of the items (%(sum)s)."),
    # Dates
    "future_date": _("The date %(date)s is in the future."),
    "before_episode_start": _("The date %(date)s is before the episode start %(start)s."),
    "after_episode_end": _("The date %(date)s is after the episode ended (%(end)s)."),
    "end_before_start": _("The episode ends (%(end)s) before it starts (%(start)s)."),
    "before_stored_episodes": _(
        "The date %(date)s is before the client's first stored episode: give the episode start."
    ),
    "open_episode": _(
        "The client already has an episode that is open or ends later: a new episode starting "
        "%(start)s would overlap it."
    ),
    # People, teams, clients
    "duplicate": _("The same form as on line %(other)s (a duplicate in the file)."),
    "unknown_helper": _("Unknown helper “%(value)s” (a username or e-mail of the organisation)."),
    "no_helper": _("A new client needs a responsible helper: fill in the helper column."),
    "unknown_team": _("Unknown team “%(value)s”, or not a team you may import into."),
    "no_team": _("A new client needs a team: fill in the team column."),
    "not_managed": _("Case %(case)s is not a client you may import forms for."),
    "conflict": _(
        "A different form is already stored for this rater, form and meeting: it is kept, "
        "not overwritten."
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a row (line 0: the file as a whole) is not imported."""

    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % {k: _shown(v) for k, v in self.params.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(data["line"], data["code"], data.get("params", {}))


def _shown(value: Any) -> str:
    # Column names are stored as their msgid so they read in the reader's language.
    if isinstance(value, str) and value in COLUMN_NAMES:
        return str(COLUMN_NAMES[value])
    return str(value)


COLUMN_NAMES = {
    "case_code": _("Case code"),
    "meeting_date": _("Date"),
    "instrument": _("Form"),
    "relation": _("Rater"),
    "rater_label": _("Rater label"),
    "item1": _("Item 1"),
    "item2": _("Item 2"),
    "item3": _("Item 3"),
    "item4": _("Item 4"),
    "total": _("Total"),
    "status": _("Form status"),
    "declined_reason": _("Reason declined"),
    "helper": _("Helper"),
    "team": _("Team"),
    "age_group": _("Age group"),
    "episode_start": _("Episode start"),
    "episode_end": _("Episode end"),
    "end_reason": _("End reason"),
}
