"""The caseload dashboard (a helper's own clients, a leader's teams) and the supervision list.

The table polls itself: every few seconds htmx asks again with the fingerprint of what it shows;
when nothing changed the answer is an empty 204 (htmx swaps nothing), otherwise the fresh table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients import dashboard as dash
from clients import dashboard_page, review_marks
from clients.forms import SupervisionNoteForm
from clients.models import AgeGroup, Episode, Status, SupervisionMark
from clients.views.dashboard_rows import rows_html
from kor.access import teams_led_by
from kor.audit import audit, audit_many
from kor.models import Team
from kor.numbers import decimal

POLL_SECONDS = 5


def _dashboard(
    request: HttpRequest,
    *,
    screen: str,
    episodes: QuerySet[Episode],
    teams: list[Team],
    heading: str,
) -> HttpResponse:
    """`episodes`: what the screen is about, from Episode.objects.visible_to / writable_by."""
    today = timezone.localdate()
    # Read only when asked for: by a filter by helper (reading the ids fills the QuerySet's
    # cache) or by the full page's list of helpers; a poll of the table needs neither.
    helpers = dash.helpers_of([t.pk for t in teams])
    filters = dash.parse_filters(request.GET, _ids(helpers), [t.pk for t in teams])
    if filters.q:
        filters.search_names = request.user.organisation.show_client_names
    screen_episodes = episodes
    # The summary counts over every filter but the status; the table shows the chosen status.
    unfiltered_status = dash.apply_filters(
        dash.open_episodes(episodes), filters, today, status=False
    )
    counts = dash.count_and_fingerprint(unfiltered_status, filters.status, today)
    token = counts.token
    if request.htmx and request.GET.get("fp") == token:
        # Polling, and nothing changed: answer cheaply, htmx keeps the table it has.
        return HttpResponse(status=204)

    episodes = dash.apply_filters(dash.open_episodes(episodes), filters, today)
    count = counts.rows
    page = dashboard_page.page_of(episodes, filters.sort, filters.page, count)
    _say_if_past_the_end(filters, page.paginator.num_pages)
    show_team = len(teams) > 1
    # One row per client shown, in one insert: each client's trail says who saw their scores.
    # The 204 above (an unchanged poll) shows nothing and writes nothing.
    audit_many(request, "view", page.object_list, screen=screen, total=count)

    context = {
        "screen": screen,
        "heading": heading,
        "filters": filters,
        "page": page,
        "rows": rows_html(page.object_list, today, show_team=show_team),
        "columns": _columns(filters, show_team=show_team),
        "show_team": show_team,
        "summary": _summary(filters, counts.per_status),
        "helpers": helpers,
        "teams": teams,
        "statuses": Status.choices,
        "flags": list(dash.FLAG_LABELS.items()),
        "age_groups": AgeGroup.choices,
        "poll_url": "?" + urlencode(filters.as_params(fp=token)),
        "poll_seconds": POLL_SECONDS,
        # Stop polling before the session's idle timeout, so an unattended screen logs out.
        "idle_seconds": max(settings.SESSION_COOKIE_AGE - 2 * 60, 60),
        "previous_url": "?" + urlencode(filters.as_params(page=page.number - 1)),
        "next_url": "?" + urlencode(filters.as_params(page=page.number + 1)),
        "first_url": "?" + urlencode(filters.as_params(page="")),
        "updated_at": timezone.localtime(),
    }
    template = "clients/dashboard.html"
    if request.htmx:
        template += "#dashboard-table"
    else:
        # Found by the search but not in the table (no open episode, or archived).
        context["found"] = dash.found_without_open_episode(screen_episodes, filters)
        context["may_register"] = bool(teams)
        if screen == "team_dashboard":
            # The teams are the ones the user leads, so the header's audit link is theirs
            # (kor.access.may_review_audit): said here, without the header asking again.
            context["may_review_audit"] = True
    return render(request, template, context)


def _ids(objects: Iterable[Model]) -> Iterator[int]:
    """The ids of `objects`, read at the first use, not before (a generator expression would
    read a QuerySet at once)."""
    for obj in objects:
        yield obj.pk


def _say_if_past_the_end(filters: dash.DashboardFilters, pages: int) -> None:
    """A page past the end is an empty page with a message, not an error."""
    if filters.page > pages:
        filters.messages.append(
            ngettext(
                "There is no page %(page)s: the list has %(pages)s page.",
                "There is no page %(page)s: the list has %(pages)s pages.",
                pages,
            )
            % {"page": filters.page, "pages": pages}
        )


def _summary(filters: dash.DashboardFilters, per_status: dict[str, int]) -> dict:
    """The counts per status as links that filter the table by that status (and back)."""
    labels = dict(Status.choices)
    items = [
        {
            "status": value,
            "label": labels[value],
            "count": count,
            "current": filters.status == value,
            "href": "?" + urlencode(filters.as_params(status=value, page="")),
        }
        for value, count in per_status.items()
    ]
    return {
        "items": items,
        "total": sum(per_status.values()),
        "all_href": "?" + urlencode(filters.as_params(status="", page="")),
    }


def _columns(filters: dash.DashboardFilters, show_team: bool) -> list[dict]:
    """The column headings as sort links that keep the filters (the team's only for a screen
    over more than one team)."""
    columns = []
    for key, label in dash.SORT_LABELS.items():
        if key == "team" and not show_team:
            continue
        current = filters.sort_key == key
        # A click on the column sorts by it; a second click turns the order round.
        next_sort = key if not (current and not filters.descending) else f"-{key}"
        if key == "status" and not current:
            next_sort = "-status"  # most urgent first is what one wants on a first click
        columns.append(
            {
                "key": key,
                "label": label,
                "current": current,
                "descending": filters.descending,
                "href": "?" + urlencode(filters.as_params(sort=next_sort, page="")),
            }
        )
    return columns


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """A helper's own caseload: the clients they are responsible for or share, which are the
    ones they may write (a leader's teams' clients are on the team dashboard, not here)."""
    teams = list(Team.objects.filter(memberships__user=request.user).distinct().order_by("name"))
    return _dashboard(
        request,
        screen="caseload",
        episodes=Episode.objects.writable_by(request.user),
        teams=teams,
        heading=_("My caseload"),
    )


@login_required
@require_GET
def team_dashboard(request: HttpRequest) -> HttpResponse:
    """Every open episode of the teams the user leads."""
    teams = list(teams_led_by(request.user))
    if not teams:
        return render(request, "clients/dashboard_no_team.html", status=200)
    return _dashboard(
        request,
        screen="team_dashboard",
        # The same rows as visible_to(user).in_teams(teams), as the teams are the ones the user
        # leads; cheaper to ask for on every request and poll (led_by says why).
        episodes=Episode.objects.led_by(request.user).in_teams([t.pk for t in teams]),
        teams=teams,
        # "Team overview: Familieteamet and Rask psykisk helsehjelp", not "Team Familieteamet,
        # Rask psykisk helsehjelp": team names often hold the word team already.
        heading=_("Team overview: %(teams)s")
        % {"teams": get_text_list([t.name for t in teams], _("and"))},
    )


# Supervision -------------------------------------------------------------------------------


def _changes(mark: SupervisionMark) -> list[str]:
    """What happened to the episode since it was marked, in words."""
    episode = mark.episode
    out = []
    if episode.status != mark.status_then:
        out.append(
            _("Status: %(then)s → %(now)s")
            % {
                "then": Status(mark.status_then).label,
                "now": episode.get_status_display(),
            }
        )
    new_meetings = episode.meeting_count - mark.meeting_count_then
    if new_meetings > 0:
        out.append(
            ngettext("%(n)s new meeting", "%(n)s new meetings", new_meetings) % {"n": new_meetings}
        )
    if episode.latest_ors != mark.latest_ors_then and episode.latest_ors is not None:
        if mark.latest_ors_then is None:
            out.append(_("First ORS: %(now)s") % {"now": decimal(episode.latest_ors)})
        else:
            diff = episode.latest_ors - mark.latest_ors_then
            out.append(
                _("ORS %(then)s → %(now)s (%(diff)s)")
                % {
                    "then": decimal(mark.latest_ors_then),
                    "now": decimal(episode.latest_ors),
                    "diff": ("+" if diff > 0 else "") + decimal(diff),
                }
            )
    if episode.ended_on:
        day = date_format(episode.ended_on, "SHORT_DATE_FORMAT")
        out.append(_("Episode ended %(day)s") % {"day": day})
    return out


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """Episodes brought to supervision, with what changed since they were marked."""
    # A leader's teams and anyone's own caseload: everything the user sees.
    marks = list(
        SupervisionMark.objects.visible_to(request.user)
        .filter(resolved_at__isnull=True)
        .select_related(
            "episode",
            "episode__client",
            "episode__client__organisation",
            "episode__client__responsible_helper",
            "marked_by",
        )
        .order_by("-episode__severity", "marked_at")
    )
    labels = {value: str(label) for value, label in review_marks.REVIEW_LABELS.items()}
    for mark in marks:
        mark.changes = _changes(mark)
        spell = (mark.episode.assessment or {}).get(review_marks.REVIEW_KEY)
        after = mark.episode.client.organisation.review_after_meetings
        mark.review_state = review_marks.review_state(spell, after)
        mark.review_label = labels.get(mark.review_state, "")
    # Off track for the organisation's number of meetings with nobody's review: for the leader
    # (and the helper, for their own), whether or not on the list.
    due = list(review_marks.due_for_review(Episode.objects.visible_to(request.user)))
    # One row per client listed.
    audit_many(request, "view", [*marks, *due], screen="supervision")
    return render(request, "clients/supervision.html", {"marks": marks, "due": due})


@login_required
@require_http_methods(["GET", "POST"])
def supervision_mark(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Mark an episode for supervision (the leader, or a helper on the case), with a note."""
    episode = get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("client"), pk=episode_id
    )
    mark = SupervisionMark.objects.filter(episode=episode, resolved_at__isnull=True).first()
    form = SupervisionNoteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        mark, created = _open_mark(request, episode, form.cleaned_data["note"])
        audit(request, "create" if created else "update", mark)
        messages.success(
            request,
            _("%(client)s is on the supervision list.") % {"client": episode.client},
        )
        return redirect("supervision")
    if request.method == "GET":
        audit(request, "view", episode, screen="supervision_mark")
    errors = form.errors.get("note") if form.is_bound else None
    if form.is_bound:
        # What was typed survives the error (without the NUL that may have caused it).
        note = form.data.get("note", "").replace("\x00", "")
    else:
        note = mark.note if mark else ""
    return render(
        request,
        "clients/supervision_mark.html",
        {"episode": episode, "mark": mark, "note": note, "error": errors[0] if errors else ""},
        status=400 if errors else 200,
    )


def _open_mark(request: HttpRequest, episode: Episode, note: str) -> tuple[SupervisionMark, bool]:
    """The episode's one open mark with this note: created once, however many submits race.

    The database keeps one open mark per episode (`one_open_supervision_mark`). Simultaneous
    submits gave IntegrityErrors (500s); get_or_create tries the insert in a savepoint and, when
    another request won the race, reads that request's mark and updates its note instead.
    """
    mark, created = SupervisionMark.objects.get_or_create(
        episode=episode,
        resolved_at__isnull=True,
        defaults={
            "marked_by": request.user,
            "note": note,
            "status_then": episode.status,
            "latest_ors_then": episode.latest_ors,
            "meeting_count_then": episode.meeting_count,
        },
    )
    if not created and mark.note != note:
        mark.note = note
        mark.save(update_fields=["note"])
    return mark, created


@login_required
@require_POST
def supervision_resolve(request: HttpRequest, mark_id: int) -> HttpResponse:
    """Take an episode off the supervision list (it was talked about)."""
    mark = get_object_or_404(
        SupervisionMark.objects.writable_by(request.user)
        .filter(resolved_at__isnull=True)
        .select_related("episode__client"),
        pk=mark_id,
    )
    mark.resolved_at = timezone.now()
    mark.save(update_fields=["resolved_at"])
    audit(request, "update", mark, resolved=True)
    messages.success(
        request, _("%(client)s is off the supervision list.") % {"client": mark.episode.client}
    )
    return redirect("supervision")
