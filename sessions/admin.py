from django.contrib import admin

from sessions.models import FormResponse, Meeting


class FormResponseInline(admin.TabularInline):
    model = FormResponse
    extra = 0
    fields = (
        "rater",
        "instrument",
        "item1",
        "item2",
        "item3",
        "item4",
        "total",
        "status",
        "declined_reason",
        "source",
    )


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("episode", "number", "date", "helper", "format")
    list_filter = ("format",)
    search_fields = ("episode__client__case_code",)
    inlines = [FormResponseInline]


@admin.register(FormResponse)
class FormResponseAdmin(admin.ModelAdmin):
    list_display = ("meeting", "rater", "instrument", "total", "status", "source")
    list_filter = ("instrument", "status", "source")
