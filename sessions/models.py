"""Meetings and the forms filled in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models import Episode, Rater
from clients.querysets import EpisodePartQuerySet, FormResponseQuerySet, MeetingQuerySet


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
            # The four-item forms: a completed one has every item and the total is their sum,
            # or no item at all (a total only: imported from paper or a spreadsheet that kept
            # only the sum).
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | models.Q(instrument__in=["YCORS", "YCSRS"])
                | models.Q(
                    item1__isnull=True, item2__isnull=True, item3__isnull=True, item4__isnull=True
                )
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
    # The client sees their own progress after the form (issue 14), when the helper turns it on.
    show_progress = models.BooleanField(default=False)

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


class OffTrackReview(models.Model):
    """A short structured review of the course when the episode signals (off track,
    deteriorated, alliance alert), done with the client or alone. Stored with the meeting that
    was the latest when it was written; one review per meeting (a second save updates it). The
    meeting's number is kept too, so the review outlives an empty meeting deleted later."""

    class Trigger(models.TextChoices):
        OFF_TRACK = "off_track", _("off track")
        DETERIORATED = "deteriorated", _("deteriorated")
        ALLIANCE_ALERT = "alliance_alert", _("alliance alert")

    # The points, in the order the form asks them (the project's own words, see sessions.review).
    POINTS = (
        "talked_progress",
        "goals_reviewed",
        "alliance_discussed",
        "changed_approach",
        "involved_network",
        "brought_to_supervision",
        "considered_referral",
    )

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="offtrack_reviews")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, related_name="offtrack_reviews"
    )
    meeting_number = models.PositiveSmallIntegerField(_("meeting number"))
    trigger = models.CharField(_("signal"), max_length=20, choices=Trigger.choices)
    with_client = models.BooleanField(_("done with the client"), default=False)
    talked_progress = models.BooleanField(default=False)
    goals_reviewed = models.BooleanField(default=False)
    alliance_discussed = models.BooleanField(default=False)
    changed_approach = models.BooleanField(default=False)
    involved_network = models.BooleanField(default=False)
    brought_to_supervision = models.BooleanField(default=False)
    considered_referral = models.BooleanField(default=False)
    plan = models.TextField(_("plan"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EpisodePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("off-track review")
        verbose_name_plural = _("off-track reviews")
        ordering = ["-meeting_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "meeting_number"], name="one_review_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.episode} #{self.meeting_number}"

    @property
    def points(self) -> list[str]:
        return [p for p in self.POINTS if getattr(self, p)]


class RemoteLink(models.Model):
    """A one-time link that lets one rater fill in the forms of one meeting from their own phone.

    Only the SHA-256 of the token is stored; the token itself is in the message alone. Each
    form on the link can be saved once; the link ends when all are done, when it expires or when
    the helper revokes it. The address it was sent to is kept only while the link is live.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("text message")
        SCREEN = "screen", _("QR code on the screen")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="remote_links")
    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="+")
    instruments = models.JSONField(default=list)  # ["ORS"], ["SRS"] or both, from forms_for
    token_hash = models.CharField(max_length=64, unique=True)
    # The reminder carries a token of its own (the first one cannot be rebuilt from its hash).
    reminder_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    contact = models.CharField(max_length=200, blank=True)  # cleared when the link ends
    language = models.CharField(max_length=8, default="nb")
    show_progress = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # {instrument: "saved" | "declined" | "kept_aside"}: each form is taken once.
    done = models.JSONField(default=dict, blank=True)
    # Answers that came while the room's form was already saved: the helper chooses.
    kept_aside = models.JSONField(default=dict, blank=True)
    factor_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="remote_link_expires")]

    def __str__(self) -> str:
        return f"{self.meeting} {'+'.join(self.instruments)}"

    @property
    def ended(self) -> bool:
        return bool(self.revoked_at or self.expired_at or self.completed_at)

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.completed_at:
            return "completed"
        if self.expired_at:
            return "expired"
        return "open" if self.opened_at else "sent"

    def open_forms(self) -> list[str]:
        return [code for code in self.instruments if code not in self.done]


# Models kept in modules of their own (beside what they serve), registered with the app here.
from sessions.fhir.models import FhirExportJob  # noqa: E402, F401
from sessions.imports.models import ImportJob  # noqa: E402, F401
from sessions.practice_period import PracticePeriod  # noqa: E402, F401
