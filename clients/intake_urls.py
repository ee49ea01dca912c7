"""The client's life outside the meetings: intake, details, sharing, transfer, archive."""

from django.urls import path

from clients.views import intake, moves

urlpatterns = [
    path("clients/new/", intake.client_new, name="client_new"),
    path("clients/<int:client_id>/edit/", intake.client_edit, name="client_edit"),
    path("clients/<int:client_id>/sharing/", moves.client_sharing, name="client_sharing"),
    path(
        "clients/<int:client_id>/sharing/<int:user_id>/stop/",
        moves.client_stop_sharing,
        name="client_stop_sharing",
    ),
    path("clients/<int:client_id>/transfer/", moves.client_transfer, name="client_transfer"),
    path("clients/<int:client_id>/archive/", moves.client_archive, name="client_archive"),
    path("clients/<int:client_id>/unarchive/", moves.client_unarchive, name="client_unarchive"),
]
