from django.urls import include, path

from clients.views import dashboard

urlpatterns = [
    path("caseload/", dashboard.caseload, name="caseload"),
    path("team/", dashboard.team_dashboard, name="team_dashboard"),
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
    # Intake, details, sharing, transfer, archive: a block of their own.
    path("", include("clients.intake_urls")),
]
