from django.urls import path

from sessions import handover, views

urlpatterns = [
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:meeting_id>/raters/<int:rater_id>/<str:instrument>/",
        views.save_form,
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
    path("episodes/<int:episode_id>/meetings/", views.meeting_start, name="meeting_start"),
    path("episodes/<int:episode_id>/goals/", views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/reached/", views.goal_reached, name="goal_reached"),
    path("episodes/<int:episode_id>/raters/", views.rater_add, name="rater_add"),
    path("clients/<int:client_id>/episodes/", views.episode_start, name="episode_start"),
]
