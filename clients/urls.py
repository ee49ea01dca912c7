from django.urls import path

from clients import views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("team/", views.team_dashboard, name="team_dashboard"),
    path("clients/<int:client_id>/", views.client_detail, name="client_detail"),
]
