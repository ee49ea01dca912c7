from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.audit import audit
from kor.models import AuditEvent, Membership, Organisation, Team, TrajectoryModel, User


# The Django admin is the service operators' tool: superusers only. Organisation administrators
# manage people and teams in the product (kor.orgadmin), where an administrator cannot give
# themselves a clinical role; here a staff user could (issue 11), so staff alone gets nothing.
def superusers_only(request) -> bool:
    allowed = bool(request.user.is_active and request.user.is_superuser)
    if not allowed and request.user.is_authenticated and request.method == "POST":
        # A write tried by someone logged in but refused here (admin_view asks this once per
        # request; the admin's login form asks only on GET): recorded, as a refused self-grant
        # in the product is. Their organisation's administrators see it in the trail.
        audit(
            request,
            "update",
            request.user,
            administration="admin_refused",
            admin=request.resolver_match.url_name if request.resolver_match else "",
        )
    return allowed


admin.site.has_permission = superusers_only


def _audit_admin_change(request, obj, kind: str, form=None, **detail) -> None:
    """Changes of people, teams and roles made here go to the append-only audit log too, in the
    organisation of what was changed, so its leaders and administrators see them."""
    if form is not None and form.changed_data:
        changed = [f for f in form.changed_data if f not in ("password", "password1", "password2")]
        detail["before"] = {f: _plain(form.initial.get(f)) for f in changed}
        detail["after"] = {f: _plain(form.cleaned_data.get(f)) for f in changed}
    audit(
        request,
        detail.pop("action", "update"),
        obj,
        organisation_id=_organisation_of(obj),
        administration=kind,
        admin=request.resolver_match.url_name if request.resolver_match else "",
        **detail,
    )


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def _organisation_of(obj) -> int | None:
    if isinstance(obj, User | Team):
        return obj.organisation_id
    return None


class AuditedAdmin(admin.ModelAdmin):
    audit_kind = "details"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _audit_admin_change(
            request, obj, self.audit_kind, form, action="update" if change else "create"
        )

    def delete_model(self, request, obj) -> None:
        _audit_admin_change(request, obj, self.audit_kind, action="delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            _audit_admin_change(request, obj, self.audit_kind, action="delete")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change) -> None:
        """Role changes in the membership rows: one audit row each, about the person."""
        before = {
            f.instance.pk: (f.initial.get("team"), f.initial.get("role"))
            for f in formset.initial_forms
        }
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        changed = [obj for obj, _fields in formset.changed_objects]
        for m in [*formset.new_objects, *changed]:
            old_role = "" if m in formset.new_objects else before.get(m.pk, (None, ""))[1]
            _audit_role(request, m, old_role, m.role)
        for m in formset.deleted_objects:
            _audit_role(request, m, m.role, "")


def _audit_role(request, membership: Membership, before: str, after: str) -> None:
    _audit_admin_change(
        request,
        membership.user,
        "role",
        team=membership.team_id,
        team_name=membership.team.name,
        before={"role": before},
        after={"role": after},
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.action(description=_("Reset two-step login (lost phone)"))
def reset_second_factor(modeladmin, request, queryset) -> None:
    for user in queryset:
        deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
        _audit_admin_change(request, user, "second_factor_reset", devices=deleted)


@admin.action(description=_("Lift a login lockout"))
def unlock_login(modeladmin, request, queryset) -> None:
    for user in queryset:
        attempts = axes_reset(username=user.username)
        _audit_admin_change(request, user, "lockout_lifted", attempts=attempts)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("KOR", {"fields": ("organisation", "is_org_admin", "title")}),
    )
    list_display = ("username", "first_name", "last_name", "organisation", "is_org_admin")
    list_filter = ("organisation", "is_org_admin", "is_active")
    inlines = [MembershipInline]
    actions = [reset_second_factor, unlock_login]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "show_client_names", "review_after_meetings")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    audit_kind = "team_changed"
    list_display = ("name", "organisation", "closed_at")
    list_filter = ("organisation",)
    inlines = [MembershipInline]


@admin.register(TrajectoryModel)
class TrajectoryModelAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "organisation", "source", "created_at")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, in the admin as in the database."""

    list_display = ("at", "user", "action", "object_type", "object_id", "client_id", "ip")
    list_filter = ("action", "organisation")
    search_fields = ("user__username", "object_id", "path")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
