from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kor import audit_review, rights, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("kor.security.urls")),
    path("audit/", audit_review.audit_log, name="audit_log"),
    path("audit/export.csv", audit_review.audit_export, name="audit_export"),
    path("audit/clients/<int:client_id>/", audit_review.client_audit, name="client_audit"),
    path("audit/users/<int:user_id>/", audit_review.user_audit, name="user_audit"),
    path("clients/<int:client_id>/export.json", rights.export_json, name="client_export_json"),
    path("clients/<int:client_id>/export.pdf", rights.export_pdf, name="client_export_pdf"),
    path("clients/<int:client_id>/rights/", rights.client_rights, name="client_rights"),
    path("clients/<int:client_id>/anonymise/", rights.anonymise, name="client_anonymise"),
    path("clients/<int:client_id>/erase/", rights.erase, name="client_erase"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Organisation administration (issue 11): people, teams and roles, for org administrators.
    path("organisation/", include("kor.orgadmin.urls")),
    path("admin/", admin.site.urls),
    path("", include("clients.urls")),
    path("", include("sessions.urls")),
]
