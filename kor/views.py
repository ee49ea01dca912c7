"""The start page: a helper goes to their caseload, a leader to their team."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kor.access import teams_led_by


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if teams_led_by(request.user).exists():
        return redirect("team_dashboard")
    if request.user.memberships.exists():
        return redirect("caseload")
    # An organisation administrator or a user with no team yet: nothing clinical to show.
    return render(request, "home.html")
