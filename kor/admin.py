from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.access import is_org_admin
from kor.audit import record
from kor.models import AuditEvent, Membership, Organisation, Team, TrajectoryModel, User


class OrgScopedAdmin(admin.ModelAdmin):
    """An organisation administrator (User.is_org_admin, with is_staff to reach the admin) manages
    the people and teams of their own organisation here, and nothing else; superusers all."""

    org_field = "organisation"

    def _org_admin(self, request) -> bool:
        return not request.user.is_superuser and is_org_admin(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if self._org_admin(request):
            return queryset.filter(**{self.org_field: request.user.organisation_id})
        return queryset.none()

    def has_module_permission(self, request) -> bool:
        return self._org_admin(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._org_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return self._org_admin(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._org_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # People and teams with a history are deactivated, not deleted (the audit log keeps them).
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self._org_admin(request):
            if db_field.name == "organisation":
                kwargs["queryset"] = Organisation.objects.filter(pk=request.user.organisation_id)
            elif db_field.name == "team":
                kwargs["queryset"] = Team.objects.filter(
                    organisation_id=request.user.organisation_id
                )
            elif db_field.name == "user":
                kwargs["queryset"] = User.objects.filter(
                    organisation_id=request.user.organisation_id
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if self._org_admin(request):
            setattr(obj, f"{self.org_field}_id", request.user.organisation_id)
        super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0

    def _org_admin(self, request) -> bool:
        return not request.user.is_superuser and is_org_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._org_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._org_admin(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._org_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._org_admin(request) or super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self._org_admin(request):
            org = request.user.organisation_id
            if db_field.name == "team":
                kwargs["queryset"] = Team.objects.filter(organisation_id=org)
            elif db_field.name == "user":
                kwargs["queryset"] = User.objects.filter(organisation_id=org)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.action(description=_("Reset two-step login (lost phone)"))
def reset_second_factor(modeladmin, request, queryset) -> None:
    for person in queryset:
        TOTPDevice.objects.filter(user=person).delete()
        record(
            AuditEvent.Action.UPDATE,
            person,
            user=request.user,
            request=request,
            path=request.path,
            second_factor="reset",
        )


@admin.action(description=_("Lift a login lockout"))
def unlock_login(modeladmin, request, queryset) -> None:
    for user in queryset:
        axes_reset(username=user.username)


@admin.register(User)
class UserAdmin(OrgScopedAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("KOR", {"fields": ("organisation", "is_org_admin", "title")}),
    )
    list_display = ("username", "first_name", "last_name", "organisation", "is_org_admin")
    list_filter = ("organisation", "is_org_admin", "is_active")
    inlines = [MembershipInline]
    actions = [reset_second_factor, unlock_login]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Not for an organisation administrator to hand out: superuser status and raw permissions.
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "show_client_names")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Team)
class TeamAdmin(OrgScopedAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    inlines = [MembershipInline]


@admin.register(TrajectoryModel)
class TrajectoryModelAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "source", "created_at")


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
