"""The organisation side: organisations, teams, people and their roles, trajectory models, audit."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kor.case_codes import validate_pattern
from kor.jobs import JobProgress, JobState
from kor.outcomes.wording import WordingError, check_overrides


def validate_form_wording(value: object) -> None:
    try:
        check_overrides(value)
    except WordingError as error:
        raise ValidationError(str(error)) from None


class Organisation(models.Model):
    """A municipality or service: the outer wall. Nobody sees anything of another organisation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    show_client_names = models.BooleanField(
        _("show client names"),
        default=False,
        help_text=_("Off: clients are shown by case code only, on screen and in reports."),
    )
    trajectory_model = models.ForeignKey(
        "kor.TrajectoryModel",
        verbose_name=_("expected-change model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the published 2023 model."),
    )
    case_code_pattern = models.CharField(
        _("case code pattern"),
        max_length=30,
        blank=True,
        validators=[validate_pattern],
        help_text=_(
            "How new clients are numbered, e.g. {year}-{seq:04d}. Empty: case codes are typed by hand."  # noqa: E501
        ),
    )
    outcome_settings = models.JSONField(
        _("outcome settings"),
        default=dict,
        blank=True,
        help_text=_("Overrides of cut-offs and thresholds; empty uses the published defaults."),
    )
    # The text the client reads on the forms (instructions, words at the ends of the lines).
    # Empty: the project's own plain-language text. A service that holds a licence for the
    # authors' wording loads it here (manage.py load_form_wording), checked by the engine.
    form_wording = models.JSONField(
        _("form wording"),
        default=dict,
        blank=True,
        validators=[validate_form_wording],
        help_text=_("The service's own licensed form text; empty uses the project's own text."),
    )
    # Forms by link (issue 14): the client types their birth year before the form opens, and
    # may see their own progress after it, where the service has turned these on.
    link_birth_year_check = models.BooleanField(
        _("ask for the birth year on form links"), default=False
    )
    client_own_view = models.BooleanField(
        _("clients may see their own progress"),
        default=False,
        help_text=_("After a form by link, or on the tablet when the helper turns it on."),
    )

    # Issue 16: a client off track this many meetings in a row with no review is marked for
    # the leader (dashboard, supervision list).
    review_after_meetings = models.PositiveSmallIntegerField(
        _("review due after meetings off track"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Meetings in a row off track with no review before the leader is told."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet):
    def open(self) -> TeamQuerySet:
        """Teams that take new clients (intake offers only these)."""
        return self.filter(closed_at__isnull=True)


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    # A closed team keeps its clients, episodes and history, but takes no new clients.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_name_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class User(AbstractUser):
    """A person who logs in: a helper, a team leader or an organisation administrator."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    is_org_admin = models.BooleanField(
        _("organisation administrator"),
        default=False,
        help_text=_("Manages people and teams, not clinical data."),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    class Role(models.TextChoices):
        HELPER = "helper", _("helper")
        LEADER = "leader", _("team leader")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.HELPER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"


class TrajectoryModel(models.Model):
    """A named set of expected-change coefficients: the published one or a service's own norms."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trajectory_models",
        help_text=_("Empty: available to every organisation (the published model)."),
    )
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=[("published", _("published")), ("fitted", _("fitted on own data"))],
        default="published",
    )
    # Fitted models count up per organisation (1, 2, ...); the published one is version 1.
    version = models.PositiveIntegerField(_("version"), default=1)
    coefficients = models.JSONField(_("coefficients"))
    calibration = models.JSONField(_("calibration report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        "kor.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expected-change model")
        verbose_name_plural = _("expected-change models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="trajectory_model_name_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "version"],
                condition=models.Q(source="fitted"),
                name="trajectory_model_version_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.source == "fitted":
            return _("%(name)s, version %(version)s") % {"name": self.name, "version": self.version}
        return self.name


class NormsJob(JobProgress, models.Model):
    """Fitting a service's own norms, or recomputing the open episodes after a switch of model,
    in the background (sessions.norms.tasks): its progress and its result."""

    class Kind(models.TextChoices):
        FIT = "fit", _("fit own norms")
        SWITCH = "switch", _("recompute statuses")

    State = JobState

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="norms_jobs")
    requested_by = models.ForeignKey("kor.User", models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80, blank=True)  # of the model to fit
    # FIT: the model stored; SWITCH: the model switched to (empty: the published one).
    model = models.ForeignKey(
        TrajectoryModel, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=5, default="nb")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)  # SWITCH: the status changes
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organisation_id} {self.created_at:%Y-%m-%d %H:%M}"


class AuditEvent(models.Model):
    """One read or write of client data. Append-only: the database refuses updates and deletes."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        PRINT = "print", _("printed")
        ANONYMISE = "anonymise", _("anonymised")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logged out")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object id"), max_length=50, blank=True)
    # The client whose data was touched: a plain id (not a foreign key) so the trail survives
    # the erasure of the client.
    client_id = models.BigIntegerField(_("client"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="audit_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, today=None) -> ApiTokenQuerySet:
        """Tokens that open the API now: not revoked, not past their last day."""
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True, expires_on__gte=today)


class ApiToken(models.Model):
    """A key for the organisation's own systems to read its data through the FHIR API.

    Made by an organisation administrator (kor.orgadmin.tokens), scoped to one organisation and
    to reading. Only the SHA-256 of the secret is stored: the secret is shown once, when made.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it."))
    scope = models.CharField(_("access"), max_length=10, choices=Scope.choices, default="read")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)  # the start, to tell tokens apart
    expires_on = models.DateField(_("last day"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The hidden token of the form that made it: the form sent twice makes one token.
    form_nonce = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()
