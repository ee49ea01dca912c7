"""Meetings and the forms filled in them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models import Episode, Rater
from clients.querysets import FormResponseQuerySet, MeetingQuerySet


class Instrument(models.TextChoices):
    ORS = "ORS", "ORS"
    SRS = "SRS", "SRS"
    CORS = "CORS", "CORS"
    CSRS = "CSRS", "CSRS"
    YCORS = "YCORS", "YCORS"
    YCSRS = "YCSRS", "YCSRS"
    GSRS = "GSRS", "GSRS"


OUTCOME_INSTRUMENTS = (Instrument.ORS, Instrument.CORS, Instrument.YCORS)
ALLIANCE_INSTRUMENTS = (Instrument.SRS, Instrument.CSRS, Instrument.YCSRS, Instrument.GSRS)


class Meeting(models.Model):
    class Format(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        COUPLE = "couple", _("couple")
        FAMILY = "family", _("family")
        GROUP = "group", _("group")

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("meeting number"))
    date = models.DateField(_("date"))
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("helper"),
    )
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.INDIVIDUAL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["episode", "number"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="meeting_number_min_1"),
        ]

    def __str__(self) -> str:
        return f"{self.episode.client} #{self.number}"


def _item_in_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__isnull": True}) | models.Q(
        **{f"{field}__gte": 0, f"{field}__lte": 100}
    )


class FormResponse(models.Model):
    """One form filled (or declined) by one rater in one meeting. Items are stored in tenths
    (0–100 for 0.0–10.0 cm) so totals add up exactly; the total is computed, never entered."""

    class Status(models.TextChoices):
        COMPLETED = "completed", _("completed")
        DECLINED = "declined", _("declined")
        NOT_OFFERED = "not_offered", _("not offered")

    class Source(models.TextChoices):
        MEETING = "meeting", _("in the meeting")
        REMOTE = "remote", _("remote link")
        IMPORT = "import", _("import")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="responses")
    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="responses")
    instrument = models.CharField(_("form"), max_length=6, choices=Instrument.choices)
    item1 = models.PositiveSmallIntegerField(null=True, blank=True)
    item2 = models.PositiveSmallIntegerField(null=True, blank=True)
    item3 = models.PositiveSmallIntegerField(null=True, blank=True)
    item4 = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("total (tenths)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.COMPLETED
    )
    # Why a form was declined: the reason chosen from the list (a code, see sessions.decline)
    # and the helper's own words, kept apart so both can be shown back as they were given.
    declined_reason_code = models.CharField(
        _("reason chosen"), max_length=20, blank=True, db_default=""
    )
    declined_reason = models.CharField(_("reason"), max_length=300, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MEETING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FormResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("form response")
        verbose_name_plural = _("form responses")
        ordering = ["meeting__number", "rater_id", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "rater", "instrument"], name="one_response_per_form"
            ),
            models.CheckConstraint(condition=_item_in_range("item1"), name="item1_0_100"),
            models.CheckConstraint(condition=_item_in_range("item2"), name="item2_0_100"),
            models.CheckConstraint(condition=_item_in_range("item3"), name="item3_0_100"),
            models.CheckConstraint(condition=_item_in_range("item4"), name="item4_0_100"),
            # A completed form has a total of 0–400 tenths; a declined or unoffered one has none.
            models.CheckConstraint(
                condition=(
                    models.Q(status="completed", total__isnull=False, total__lte=400)
                    | (~models.Q(status="completed") & models.Q(total__isnull=True))
                ),
                name="total_only_when_completed",
            ),
            # The four-item forms: a completed one has every item, and the total is their sum.
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | models.Q(instrument__in=["YCORS", "YCSRS"])
                | models.Q(
                    item1__isnull=False,
                    item2__isnull=False,
                    item3__isnull=False,
                    item4__isnull=False,
                    total=models.F("item1")
                    + models.F("item2")
                    + models.F("item3")
                    + models.F("item4"),
                ),
                name="total_is_sum_of_items",
            ),
        ]
        indexes = [models.Index(fields=["rater", "instrument"], name="response_rater_form")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.meeting} {self.rater}"

    @property
    def items(self) -> list[int | None]:
        return [self.item1, self.item2, self.item3, self.item4]

    @property
    def total_score(self) -> float | None:
        return None if self.total is None else self.total / 10

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class Handover(models.Model):
    """One hand-over of the tablet to the client, and the password checks on the way back.

    The checks are counted here, not in the session: parallel requests each loaded their own copy
    of the session and lost each other's count (24 parallel guesses were all checked). One
    conditional UPDATE per check lets at most MAX_UNLOCK_ATTEMPTS of them through.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=10, choices=Instrument.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    password_checks = models.PositiveSmallIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.meeting} ({self.started_at:%Y-%m-%d %H:%M})"


class WithdrawnForm(models.Model):
    """A form entered by mistake and withdrawn, with the reason: its values as they were, so the
    history is kept while the series, the chart and the statistics no longer see it (they read
    FormResponse only). The meeting may be deleted later (it was empty): the snapshot keeps its
    number and date."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="withdrawn_forms")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, related_name="withdrawn_forms"
    )
    meeting_number = models.PositiveSmallIntegerField(_("meeting number"))
    meeting_date = models.DateField(_("date"))
    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(_("form"), max_length=6, choices=Instrument.choices)
    item1 = models.PositiveSmallIntegerField(null=True, blank=True)
    item2 = models.PositiveSmallIntegerField(null=True, blank=True)
    item3 = models.PositiveSmallIntegerField(null=True, blank=True)
    item4 = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=FormResponse.Status.choices)
    declined_reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=FormResponse.Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    entered_at = models.DateTimeField()
    reason = models.CharField(_("why it was withdrawn"), max_length=300)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("withdrawn form")
        verbose_name_plural = _("withdrawn forms")
        ordering = ["-withdrawn_at"]

    def __str__(self) -> str:
        return f"{self.instrument} #{self.meeting_number} ({self.withdrawn_at:%Y-%m-%d})"

    @property
    def total_score(self) -> float | None:
        return None if self.total is None else self.total / 10


class FhirExportJob(models.Model):
    """A bulk export of an organisation's data as NDJSON (FHIR Bulk Data style), started with an
    API token and built in the background (sessions.fhir.jobs). Its files lie under
    MEDIA_ROOT/fhir-exports/<id>/ and are served only to a usable token of the organisation."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("kor.Organisation", on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(
        "kor.ApiToken", on_delete=models.SET_NULL, null=True, related_name="exports"
    )
    request_url = models.CharField(max_length=500, blank=True)
    types = models.JSONField(default=list, blank=True)  # empty: every type
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=dict, blank=True)  # resource type -> number of lines
    # The clients whose data the files hold, for the audit trail when they are downloaded.
    client_ids = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FHIR export")
        verbose_name_plural = _("FHIR exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.created_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
