"""The fixed choices of the clients app: age groups, statuses and their urgency, consent.

Apart from the models so that models.py stays readable; `clients.models` re-exports them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("adult (18+)")
    ADOLESCENT = "adolescent", _("adolescent (13–17)")
    CHILD = "child", _("child (6–12)")
    YOUNG_CHILD = "young_child", _("young child (5 and under)")


class Status(models.TextChoices):
    """The status of an episode's outcome series (KOR-REFERENCE: status and flags)."""

    NONE = "none", _("not assessed")
    INTAKE = "intake", _("intake")
    HIGH_INTAKE = "high_intake", _("high intake")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")
    DETERIORATED = "deteriorated", _("deteriorated")


# How urgent a status is for the dashboard's sort and for picking an episode's status among
# several raters: the most urgent rater decides.
STATUS_SEVERITY = {
    Status.DETERIORATED: 6,
    Status.OFF_TRACK: 5,
    Status.AT_RISK: 4,
    Status.HIGH_INTAKE: 3,
    Status.INTAKE: 2,
    Status.ON_TRACK: 1,
    Status.NONE: 0,
}


class FormsConsent(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    NOT_ASKED = "not_asked", _("not asked")
