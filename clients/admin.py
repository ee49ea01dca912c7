from django.contrib import admin

from clients.models import Client, ClientLanguage, Episode, Goal, Rater, SupervisionMark


class EpisodeInline(admin.TabularInline):
    model = Episode
    extra = 0
    fields = ("started_on", "ended_on", "end_reason", "age_group", "status")
    readonly_fields = ("status",)


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = (
        "case_code",
        "organisation",
        "team",
        "responsible_helper",
        "birth_year",
        "active",
    )
    list_filter = ("organisation", "team", "active")
    search_fields = ("case_code",)
    filter_horizontal = ("shared_with",)
    inlines = [EpisodeInline]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class RaterInline(admin.TabularInline):
    model = Rater
    extra = 0
    fields = ("relation", "label", "status")
    readonly_fields = ("status",)


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ("client", "started_on", "ended_on", "status", "meeting_count", "latest_ors")
    list_filter = ("status", "age_group", "end_reason")
    search_fields = ("client__case_code",)
    readonly_fields = ("status", "severity", "flags", "assessment", "status_changed_at")
    inlines = [GoalInline, RaterInline]


@admin.register(SupervisionMark)
class SupervisionMarkAdmin(admin.ModelAdmin):
    list_display = ("episode", "marked_by", "marked_at", "status_then", "resolved_at")


@admin.register(ClientLanguage)
class ClientLanguageAdmin(admin.ModelAdmin):
    """The languages clients can be met in: data a service extends (nb, nn, en to start)."""

    list_display = ("code", "name", "position")
