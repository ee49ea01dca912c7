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
