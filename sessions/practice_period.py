"""A helper's period of deliberate practice ("My practice"), a model of the sessions app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticePeriod(models.Model):
    """A helper's period of deliberate practice ("My practice"): a goal in their own words, from
    one date to another, to compare their figures before and after. Only its helper changes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_periods"
    )
    organisation = models.ForeignKey(
        "kor.Organisation", on_delete=models.CASCADE, related_name="practice_periods"
    )
    goal = models.CharField(_("goal"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("period of deliberate practice")
        verbose_name_plural = _("periods of deliberate practice")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="practice_period_ends_after_start",
            ),
            # Two posts of the same period at once: get_or_create finds the other's row.
            models.UniqueConstraint(
                fields=["user", "goal", "starts_on", "ends_on"], name="practice_period_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal} ({self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d})"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1
