from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from kor.security import views

# Django's form views also answer PUT (as POST), and the reset-confirm page answers any method:
# every URL takes only the methods it is for (issue 12).
get_post = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path(
        "password/",
        get_post(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/changed/",
        require_GET(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    # Django's reset says the same whether or not the address has an account.
    path(
        "password-reset/",
        get_post(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        require_GET(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        get_post(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        require_GET(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
