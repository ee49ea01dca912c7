from django.urls import path

from clients.views import client, dashboard

urlpatterns = [
    path("caseload/", dashboard.caseload, name="caseload"),
    path("team/", dashboard.team_dashboard, name="team_dashboard"),
    path("clients/<int:client_id>/", client.client_detail, name="client_detail"),
]
