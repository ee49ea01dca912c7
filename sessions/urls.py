from django.urls import path

from sessions import handover
from sessions.views import (
    backlog,
    client,
    episode,
    imports,
    meeting,
    meeting_new,
    reports,
    statistics,
)

urlpatterns = [
    path("meetings/<int:meeting_id>/", meeting.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:meeting_id>/raters/<int:rater_id>/<str:instrument>/",
        meeting.save_form,
        name="save_form",
    ),
    path(
        "meetings/<int:meeting_id>/raters/<int:rater_id>/<str:instrument>/handover/start/",
        handover.handover_start,
        name="handover_start",
    ),
    path(
        "meetings/<int:meeting_id>/raters/<int:rater_id>/<str:instrument>/handover/",
        handover.handover,
        name="handover",
    ),
    path("handover/unlock/", handover.handover_unlock, name="handover_unlock"),
    path("episodes/<int:episode_id>/meetings/", meeting.meeting_start, name="meeting_start"),
    path("episodes/<int:episode_id>/goals/", meeting.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/reached/", meeting.goal_reached, name="goal_reached"),
    path("episodes/<int:episode_id>/raters/", meeting.rater_add, name="rater_add"),
    path("clients/<int:client_id>/", client.client_detail, name="client_detail"),
    path("team/statistics/", statistics.statistics, name="statistics"),
    path("clients/<int:client_id>/report.pdf", reports.client_report, name="client_report"),
    path("reports/team/", reports.team_reports, name="team_reports"),
    path("reports/jobs/<uuid:job_id>/", reports.report_job, name="report_job"),
    path("reports/jobs/<uuid:job_id>/download/", reports.report_download, name="report_download"),
    # The life of an episode and the corrections of a backlog (issue 11).
    path("clients/<int:client_id>/episodes/", episode.episode_start, name="episode_start"),
    path("episodes/<int:episode_id>/end/", episode.episode_end, name="episode_end"),
    path("episodes/<int:episode_id>/reopen/", episode.episode_reopen, name="episode_reopen"),
    path("episodes/<int:episode_id>/meetings/new/", meeting_new.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/delete/", backlog.meeting_delete, name="meeting_delete"),
    path(
        "meetings/<int:meeting_id>/raters/<int:rater_id>/<str:instrument>/withdraw/",
        backlog.form_withdraw,
        name="form_withdraw",
    ),
    # Import of forms from CSV / Excel (issue 15).
    path("imports/", imports.import_upload, name="import_upload"),
    path("imports/samples/<str:name>", imports.import_sample, name="import_sample"),
    path("imports/<uuid:job_id>/", imports.import_job, name="import_job"),
    path("imports/<uuid:job_id>/apply/", imports.import_apply, name="import_apply"),
    path("imports/<uuid:job_id>/cancel/", imports.import_cancel, name="import_cancel"),
]
