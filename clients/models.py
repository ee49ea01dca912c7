"""Clients, their episodes of care, the people who rate, goals and supervision marks."""

# Re-exported: the choices live in clients/choices.py.
__all__ = [
    "STATUS_SEVERITY",
    "AgeGroup",
    "CaseCodeSequence",
    "Client",
    "ClientLanguage",
    "Episode",
    "FormsConsent",
    "Goal",
    "Rater",
    "ReportJob",
    "Status",
    "SupervisionMark",
]

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.choices import STATUS_SEVERITY, AgeGroup, FormsConsent, Status
from clients.querysets import (
    ClientQuerySet,
    EpisodePartQuerySet,
    EpisodeQuerySet,
    ReportJobQuerySet,
    SupervisionMarkQuerySet,
    answer_once,
)
from kor.jobs import JobProgress, JobState
from kor.models import Organisation, Team
from kor.outcomes import age_group_for


class ClientLanguage(models.Model):
    """A language a client can be met in. Data, not code: a service adds the languages it uses."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    # In the language itself ("Norsk nynorsk", "English"), as language pickers name them.
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CaseCodeSequence(models.Model):
    """The last number handed out by an organisation's case code pattern (per year when the
    pattern shows the year). Read with a row lock, so two intakes at once get two numbers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(default=0)  # 0: one sequence for all years
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_case_code_sequence_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year or '-'}: {self.last}"


class Client(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="clients", verbose_name=_("team")
    )
    responsible_helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responsible_clients",
        verbose_name=_("responsible helper"),
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_clients",
        verbose_name=_("shared with"),
    )
    case_code = models.CharField(_("case code"), max_length=30)
    name = models.CharField(_("name"), max_length=200, blank=True)
    # The birth year decides the form version; when it is not known, the age group says it.
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    age_group = models.CharField(
        _("age group"),
        max_length=12,
        choices=AgeGroup.choices,
        blank=True,
        help_text=_("Only when the birth year is not known."),
    )
    language = models.ForeignKey(
        "clients.ClientLanguage",
        on_delete=models.PROTECT,
        default="nb",
        related_name="+",
        verbose_name=_("the client's language"),
    )
    forms_consent = models.CharField(
        _("consent to feedback forms"),
        max_length=10,
        choices=FormsConsent.choices,
        default=FormsConsent.NOT_ASKED,
    )
    forms_consent_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    # The hidden token of the intake form that created this client: the same form sent twice
    # finds the client it made the first time instead of making a second one.
    intake_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    forms_unsuitable_note = models.CharField(
        _("forms do not fit"),
        max_length=300,
        blank=True,
        help_text=_("Why the forms are not used with this client, if they are not."),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["case_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_code"], name="case_code_unique_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=False) | ~models.Q(age_group=""),
                name="client_birth_year_or_age_group",
            ),
        ]

    def __str__(self) -> str:
        return self.case_code

    def age_on(self, day: datetime.date) -> int | None:
        # Only the birth year is stored (data minimisation): the age is the one reached that year.
        if self.birth_year is None:
            return None
        return day.year - self.birth_year

    def age_group_on(self, day: datetime.date) -> str:
        # The engine's rule decides (its values are AgeGroup's). A birth year after the day, a
        # typing error, counts as the youngest group rather than failing the page.
        age = self.age_on(day)
        if age is None:  # no birth year: the age group given at intake
            return self.age_group
        return AgeGroup(age_group_for(max(age, 0)))

    # For showing or hiding a link or a form; the view behind it looks the client up again.
    # Asked several times while one page is drawn: kept on the instance (one request's).
    def is_writable_by(self, user) -> bool:
        return answer_once(self, "writable", user, Client.objects.writable_by)

    def is_managed_by(self, user) -> bool:
        return answer_once(self, "managed", user, Client.objects.managed_by)


class Episode(models.Model):
    """An episode of care (behandlingsforløp). Its status is cached for the dashboard and
    recomputed in the same transaction as every saved form."""

    class EndReason(models.TextChoices):
        # The one list the statistics use (sessions.statistics maps it for the engine).
        PLANNED = "planned", _("planned ending")
        DROPOUT = "dropout", _("client dropped out")
        REFERRED = "referred", _("referred on")
        MOVED = "moved", _("moved")
        DIED = "died", _("died")
        OTHER = "other", _("other")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="episodes", verbose_name=_("client")
    )
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_reason_text = models.CharField(_("end reason in words"), max_length=300, blank=True)
    # When and by whom it was ended in the app: the time to reopen by mistake counts from here
    # (ended_on may lie in the past, for an episode ended from paper).
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Fixed at the start so the form version does not change with a birthday mid-episode.
    age_group = models.CharField(_("age group"), max_length=12, choices=AgeGroup.choices)

    # Cached by sessions.outcome.refresh_episode(); status_model: the model used (empty: published).
    status_model = models.ForeignKey(
        "kor.TrajectoryModel", models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NONE, db_index=True
    )
    severity = models.PositiveSmallIntegerField(default=0, db_index=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    assessment = models.JSONField(default=dict, blank=True)
    meeting_count = models.PositiveSmallIntegerField(_("meetings"), default=0)
    last_meeting_on = models.DateField(_("last meeting"), null=True, blank=True)
    latest_ors = models.DecimalField(
        _("latest ORS"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    latest_srs = models.DecimalField(
        _("latest SRS"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("episode of care")
        verbose_name_plural = _("episodes of care")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["ended_on", "-severity"], name="episode_open_severity")]

    def __str__(self) -> str:
        return f"{self.client} {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class Goal(models.Model):
    """The client's own goal, in their own words."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    set_on = models.DateField(_("set"))
    reached_on = models.DateField(_("reached"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = EpisodePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["set_on", "id"]

    def __str__(self) -> str:
        return self.text


class Rater(models.Model):
    """Someone who fills in forms in an episode: the client, or a parent or partner rating the
    client ("collateral"). The outcome form follows the client's age group, the alliance form
    the rater's own."""

    class Relation(models.TextChoices):
        CLIENT = "client", _("the client")
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        PARENT = "parent", _("parent or carer")
        PARTNER = "partner", _("partner")
        SIBLING = "sibling", _("sibling")
        TEACHER = "teacher", _("teacher")
        OTHER = "other", _("other")

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="raters")
    relation = models.CharField(
        _("who"), max_length=10, choices=Relation.choices, default=Relation.CLIENT
    )
    label = models.CharField(_("name or label"), max_length=100, blank=True)
    # Cached assessment of this rater's own series, written with the episode's.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NONE)
    assessment = models.JSONField(default=dict, blank=True)

    objects = EpisodePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("rater")
        verbose_name_plural = _("raters")
        ordering = ["id"]

    def __str__(self) -> str:
        # Only this relation's name is translated (get_relation_display() and Relation.choices
        # build and translate the whole list): a chart names its rater at each point, dozens
        # of times per page.
        if self.label:
            return self.label
        try:
            return str(self.Relation(self.relation).label)
        except ValueError:  # a value no longer among the choices: shown as stored
            return self.relation

    @property
    def is_client(self) -> bool:
        return self.relation == self.Relation.CLIENT


class SupervisionMark(models.Model):
    """An episode brought to supervision, with what it looked like when it was marked."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="supervision_marks")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    marked_at = models.DateTimeField(auto_now_add=True)
    status_then = models.CharField(max_length=20, choices=Status.choices)
    latest_ors_then = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    meeting_count_then = models.PositiveSmallIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = SupervisionMarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision mark")
        verbose_name_plural = _("supervision marks")
        ordering = ["-marked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_supervision_mark",
            )
        ]

    def __str__(self) -> str:
        return f"{self.episode} ({self.marked_at:%Y-%m-%d})"


class ReportJob(JobProgress, models.Model):
    """A report built in the background (sessions.reports.tasks): its progress and its file.

    The file lies under MEDIA_ROOT/reports/ and is served only by an access-checked view to the
    person who asked for it; there is no public URL.
    """

    class Kind(models.TextChoices):
        TEAM = "team", _("team report (statistics)")
        CLIENTS_ZIP = "clients_zip", _("one PDF per client (zip)")
        CLIENTS_PDF = "clients_pdf", _("all clients in one PDF")

    State = JobState

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="report_jobs")
    kind = models.CharField(_("report"), max_length=12, choices=Kind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    hide_helpers = models.BooleanField(_("leave helpers' names out"), default=False)
    language = models.CharField(_("language"), max_length=5, default="nb")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=200, blank=True)  # relative to MEDIA_ROOT
    error = models.CharField(max_length=300, blank=True)
    # The clients whose data the file shows, for the audit trail when it is downloaded.
    client_ids = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.team} {self.period_start}–{self.period_end}"
