"""Outcome statistics per helper and for the team over a chosen period."""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from clients import dashboard as dash
from clients.models import Episode
from kor.access import teams_led_by
from kor.audit import audit_many
from kor.models import User
from kor.outcomes import change_histogram
from sessions import statistics as stats
from sessions.completion import MAX_MISSING, completion
from sessions.outcome import engine_config
from sessions.review_stats import ReviewFigures, review_figures

DEFAULT_DAYS = 365


def parse_period(
    params, today: datetime.date
) -> tuple[datetime.date, datetime.date, list[str], bool]:
    """(start, end, messages, empty). Unreadable dates fall back to the last year, with a message;
    a period that ends before it starts is said so and gives no figures."""
    messages: list[str] = []
    end = today
    start = today - datetime.timedelta(days=DEFAULT_DAYS)
    raw_start = (params.get("start") or "").strip()
    raw_end = (params.get("end") or "").strip()
    if raw_end:
        parsed = _date(raw_end)
        if parsed is None:
            messages.append(_("The end date is not a date (use YYYY-MM-DD); using today."))
        else:
            end = parsed
            if not raw_start:
                start = end - datetime.timedelta(days=DEFAULT_DAYS)
    if raw_start:
        parsed = _date(raw_start)
        if parsed is None:
            messages.append(
                _("The start date is not a date (use YYYY-MM-DD); using a year before the end.")
            )
        else:
            start = parsed
    empty = end < start
    if empty:
        messages.append(_("The period ends before it starts: there are no figures to show."))
    return start, end, messages, empty


def _date(raw: str) -> datetime.date | None:
    try:
        return parse_date(raw)
    except ValueError:
        return None


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """A leader sees every helper of the teams they lead and the team; a helper sees their own."""
    today = timezone.localdate()
    start, end, messages, empty = parse_period(request.GET, today)
    teams = list(teams_led_by(request.user))
    team_ids = [t.pk for t in teams]
    if teams:
        episodes = Episode.objects.visible_to(request.user).in_teams(team_ids)
        heading = _("Outcomes of team %(teams)s") % {"teams": ", ".join(t.name for t in teams)}
    else:
        episodes = Episode.objects.writable_by(request.user)  # the helper's own cases
        heading = _("My outcomes")
    if empty:
        episodes = episodes.none()
    settings, model = (
        engine_config(request.user.organisation) if request.user.organisation else (None, None)
    )

    team, per_helper = stats.team_and_helper_statistics(
        episodes, start, end, settings, model, per_helper=bool(teams)
    )
    # Data quality (issue 16): the same function feeds the team PDF.
    quality, quality_per_helper = completion(episodes, start, end, per_helper=bool(teams))
    rows, quality_rows = [], []
    if teams:
        people = {u.pk: u for u in dash.helpers_of(team_ids)}
        missing = (set(per_helper) | set(quality_per_helper)) - set(people)
        if missing:
            # A responsible helper who has left the team still has their clients counted.
            people |= {u.pk: u for u in User.objects.filter(pk__in=missing)}
        for helper_id, figures in per_helper.items():
            rows.append({"helper": people[helper_id], "figures": figures})
        rows.sort(key=lambda r: str(r["helper"]).lower())
        quality_rows = sorted(
            ({"helper": people[pk], "figures": f} for pk, f in quality_per_helper.items()),
            key=lambda r: str(r["helper"]).lower(),
        )
    review = review_figures(episodes, start, end, settings, model, stats.min_clients())
    # The figures are aggregates, but each is built from the scores of every episode closed in
    # the period (and of those whose off-track course the review figures read): that is a read
    # of those clients' data, so each has a row in their trail (one insert). The counts of
    # active clients now are head counts of statuses, not scores: no rows.
    read = {e.pk: e for e in [*team.pop("episodes"), *review.episodes]}
    audit_many(
        request, "view", list(read.values()), screen="statistics", start=str(start), end=str(end)
    )
    rci = team["summary"]["settings"]["rci"]
    # The bars are binned here, by the engine, as for the team report: the script only draws.
    chart = {
        "bins": [asdict(b) for b in change_histogram(team["changes"], rci)],
        "rci": rci,
        "labels": {
            "x": _("Change in ORS from first to last meeting"),
            "y": _("Clients"),
            "improved": pgettext("dashboard", "Reliable improvement"),
            "deteriorated": pgettext("dashboard", "Reliable deterioration"),
        },
    }
    return render(
        request,
        "clients/statistics.html",
        {
            "heading": heading,
            "start": start,
            "end": end,
            "messages_period": messages,
            "team": team,
            "rows": rows,
            "is_leader": bool(teams),
            "min_clients": stats.min_clients(),
            "chart": chart,
            "review": _review_rows(review, rows, bool(teams)),
            "quality": quality,
            "quality_rows": quality_rows,
            "max_missing_pct": round(100 * MAX_MISSING),
        },
    )


def _review_rows(review: ReviewFigures, rows: list[dict], is_leader: bool) -> dict:
    """The team's figure and, for a leader, each helper's, in the order of the table above (by
    name): never sorted by the figure, so it cannot be read as a league table."""
    if not is_leader:
        return {"team": review.team, "helpers": []}
    people = {r["helper"].pk: r["helper"] for r in rows}
    missing = set(review.helpers) - set(people)
    if missing:
        people |= {u.pk: u for u in User.objects.filter(pk__in=missing)}
    helpers = sorted(
        ({"helper": people[pk], "effect": effect} for pk, effect in review.helpers.items()),
        key=lambda r: str(r["helper"]).lower(),
    )
    return {"team": review.team, "helpers": helpers}
