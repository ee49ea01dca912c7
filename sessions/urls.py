from django.urls import path

from sessions import handover
from sessions.views import (
    backlog,
    client,
    episode,
    imports,
    meeting,
    meeting_new,
    norms,
    practice,
    remote,
    remote_client,
    reports,
    research,
    review,
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
    path("clients/<int:client_id>/poll/", client.client_poll, name="client_poll"),
    path("team/statistics/", statistics.statistics, name="statistics"),
    # My practice (issue 16, section 2).
    path("practice/", practice.practice_page, name="practice"),
    path("practice/<int:user_id>/", practice.practice_page, name="practice_of"),
    path("practice/periods/new/", practice.practice_period_new, name="practice_period_new"),
    path(
        "practice/periods/<int:period_id>/",
        practice.practice_period_edit,
        name="practice_period_edit",
    ),
    path("clients/<int:client_id>/report.pdf", reports.client_report, name="client_report"),
    path("reports/team/", reports.team_reports, name="team_reports"),
    path("reports/research/", research.research_export_view, name="research_export"),
    path("reports/jobs/<uuid:job_id>/", reports.report_job, name="report_job"),
    path("reports/jobs/<uuid:job_id>/download/", reports.report_download, name="report_download"),
    # The life of an episode and the corrections of a backlog (issue 11).
    path("clients/<int:client_id>/episodes/", episode.episode_start, name="episode_start"),
    path("episodes/<int:episode_id>/end/", episode.episode_end, name="episode_end"),
    path("episodes/<int:episode_id>/review/", review.episode_review, name="episode_review"),
    path("episodes/<int:episode_id>/reopen/", episode.episode_reopen, name="episode_reopen"),
    path("episodes/<int:episode_id>/meetings/new/", meeting_new.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/delete/", backlog.meeting_delete, name="meeting_delete"),
    path(
        "meetings/<int:meeting_id>/raters/<int:rater_id>/<str:instrument>/withdraw/",
        backlog.form_withdraw,
        name="form_withdraw",
    ),
    # Forms by link when the client is not in the room (issue 14).
    path("meetings/<int:meeting_id>/links/", remote.link_send, name="remote_link_send"),
    path("meetings/<int:meeting_id>/poll/", remote.meeting_poll, name="meeting_poll"),
    path("links/<int:link_id>/revoke/", remote.link_revoke, name="remote_link_revoke"),
    path(
        "links/<int:link_id>/choose/<str:instrument>/",
        remote.link_choose,
        name="remote_link_choose",
    ),
    # The client's page: no login; the token is the only key (short, for a text message).
    path("f/<str:token>/", remote_client.remote_form, name="remote_form"),
    path("f/<str:token>/check/", remote_client.remote_check, name="remote_check"),
    # The service's own norms (issue 16, section 4).
    path("norms/", norms.norms, name="norms"),
    path("norms/models/<int:model_id>/", norms.norms_model, name="norms_model"),
    path("norms/use/", norms.norms_use, name="norms_use"),
    path("norms/jobs/<uuid:job_id>/", norms.norms_job, name="norms_job"),
    # Import of forms from CSV / Excel (issue 15).
    path("imports/", imports.import_upload, name="import_upload"),
    path("imports/samples/<str:name>", imports.import_sample, name="import_sample"),
    path("imports/<uuid:job_id>/", imports.import_job, name="import_job"),
    path("imports/<uuid:job_id>/apply/", imports.import_apply, name="import_apply"),
    path("imports/<uuid:job_id>/cancel/", imports.import_cancel, name="import_cancel"),
]
