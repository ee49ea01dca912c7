from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kor.models import AuditEvent, Membership, Organisation, Team, TrajectoryModel, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("KOR", {"fields": ("organisation", "is_org_admin", "title")}),
    )
    list_display = ("username", "first_name", "last_name", "organisation", "is_org_admin")
    list_filter = ("organisation", "is_org_admin", "is_active")
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "show_client_names")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
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
