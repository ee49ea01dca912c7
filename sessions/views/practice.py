"""My practice: a helper's own outcomes over time beside the team's, and their periods of
deliberate practice (issue 16, section 2).

Only the helper and the leaders of the helper's teams open the page; anyone else gets a 404, as
for a client they may not see. Reading it reads the scores of every episode behind its figures,
so each of those clients gets a row in their audit trail, as on the statistics page. Periods of
practice are the helper's own: only they add, change or delete them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kor.access import may_see_clients, teams_led_by
from kor.audit import audit_many
from kor.models import User
from sessions import practice
from sessions import statistics as stats
from sessions.models import PracticePeriod
from sessions.outcome import engine_config
from sessions.practice_chart import chart_data, figure_sections, practice_items
from sessions.practice_forms import PracticePeriodForm

FORM_PAGE = "sessions/practice_period_form.html"


def _helper_for(request: HttpRequest, user_id: int | None) -> User:
    """Whose page: one's own, or, for a leader, a member of a team they lead; else a 404."""
    me = request.user
    if not may_see_clients(me):
        raise Http404
    if user_id is None or user_id == me.pk:
        return me
    members = User.objects.filter(
        organisation_id=me.organisation_id, memberships__team__in=teams_led_by(me)
    ).distinct()
    return get_object_or_404(members, pk=user_id)


@login_required
@require_GET
def practice_page(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    helper = _helper_for(request, user_id)
    own = helper.pk == request.user.pk
    settings, model = engine_config(request.user.organisation)
    data = practice.practice_data(helper, timezone.localdate(), settings, model)
    audit_many(request, "view", data.pop("episodes"), screen="practice", helper=helper.pk)
    sections = figure_sections(data)
    own_label = _("Me") if own else str(helper)
    return render(
        request,
        "sessions/practice.html",
        {
            "helper": helper,
            "own": own,
            "own_label": own_label,
            "data": data,
            "sections": sections,
            "practice_items": practice_items(data),
            "chart": chart_data(sections, own_label, _("Team")),
            # Plotly is loaded only when some figure has a point to draw.
            "any_drawn": any(section["drawn"] for section in sections),
            "min_clients": stats.min_clients(),
            "form": PracticePeriodForm() if own else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_period_new(request: HttpRequest) -> HttpResponse:
    _helper_for(request, None)
    form = PracticePeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same period sent twice (a double click, a reload) is stored once.
        PracticePeriod.objects.get_or_create(
            user=request.user, organisation_id=request.user.organisation_id, **form.cleaned_data
        )
        messages.success(request, _("The period of practice is saved."))
        return redirect("practice")
    return render(request, FORM_PAGE, {"form": form, "period": None})


@login_required
@require_http_methods(["GET", "POST"])
def practice_period_edit(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(PracticePeriod.objects.filter(user_id=request.user.pk), pk=period_id)
    form = PracticePeriodForm(request.POST or None, instance=period)
    if request.method == "POST":
        if "delete" in request.POST:
            period.delete()
            messages.success(request, _("The period of practice is deleted."))
            return redirect("practice")
        if form.is_valid():
            form.save()
            messages.success(request, _("The period of practice is saved."))
            return redirect("practice")
    return render(request, FORM_PAGE, {"form": form, "period": period})
