from django.urls import path

from clients.views import client, dashboard, statistics

urlpatterns = [
    path("caseload/", dashboard.caseload, name="caseload"),
    path("team/", dashboard.team_dashboard, name="team_dashboard"),
    path("team/statistics/", statistics.statistics, name="statistics"),
    path("supervision/", dashboard.supervision, name="supervision"),
    path(
        "episodes/<int:episode_id>/supervision/",
        dashboard.supervision_mark,
        name="supervision_mark",
    ),
    path(
        "supervision/<int:mark_id>/resolve/",
        dashboard.supervision_resolve,
        name="supervision_resolve",
    ),
    path("clients/<int:client_id>/", client.client_detail, name="client_detail"),
]

# Reports (clients/views/reports.py)
from clients.views import reports  # noqa: E402

urlpatterns += [
    path("clients/<int:client_id>/report.pdf", reports.client_report, name="client_report"),
    path("reports/team/", reports.team_reports, name="team_reports"),
    path("reports/jobs/<uuid:job_id>/", reports.report_job, name="report_job"),
    path("reports/jobs/<uuid:job_id>/download/", reports.report_download, name="report_download"),
]
