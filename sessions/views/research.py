"""The anonymised research export: a leader downloads a zip for the teams they lead."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from clients.models import Client, Episode
from kor.access import teams_led_by
from kor.audit import audit, audit_many
from sessions.research.data import research_export
from sessions.research.files import to_zip
from sessions.research.forms import ResearchExportForm


@login_required
@require_http_methods(["GET", "POST"])
def research_export_view(request: HttpRequest) -> HttpResponse:
    """Only a team leader, only for the teams they lead (an administrator or a helper gets a
    404). The zip is made in the request; every client whose forms were read gets an audit row."""
    teams = teams_led_by(request.user)
    if not teams.exists():
        raise Http404
    form = ResearchExportForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team_ids = [t.pk for t in data["teams"]]
        episodes = Episode.objects.visible_to(request.user).in_teams(team_ids)
        export = research_export(episodes, data["period_start"], data["period_end"], k=data["k"])
        content = to_zip(export)
        detail = {
            "export": "research",
            "teams": team_ids,
            "start": str(data["period_start"]),
            "end": str(data["period_end"]),
        } | export.anonymity.to_dict()
        audit(request, "export", None, **detail)
        # Stand-ins carrying only the id: one row per client whose forms were read.
        audit_many(request, "export", [Client(pk=pk) for pk in sorted(export.client_ids)], **detail)
        filename = f"research-{data['period_start']:%Y%m%d}-{data['period_end']:%Y%m%d}.zip"
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "no-store, private"
        return response
    return render(request, "sessions/research_export.html", {"form": form})
