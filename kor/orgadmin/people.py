"""People of the organisation: list and search, invite, details, roles, and the account actions.

Every view starts with the administrator check and the lookup in the administrator's own
organisation (404 otherwise, also for leaders and helpers). No page here shows a client.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kor.access import is_org_admin
from kor.models import Membership
from kor.orgadmin import services
from kor.orgadmin.forms import DetailsForm, FlagForm, InviteForm, PeopleSearchForm, RoleForm
from kor.orgadmin.services import Refused, get_person_for_admin, people_managed_by

PAGE_SIZE = 50


def require_org_admin(request: HttpRequest) -> None:
    # Not a 403: to anyone else these pages do not exist.
    if not is_org_admin(request.user):
        raise Http404


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    require_org_admin(request)
    form = PeopleSearchForm(request.GET or None)
    found = people_managed_by(request.user).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("team"))
    )
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        for word in q.split():
            found = found.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
                | Q(title__icontains=word)
            )
    found = found.order_by("-is_active", "first_name", "last_name", "username")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "orgadmin/people.html"
    if request.htmx:
        template += "#people-list"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def invite_person(request: HttpRequest) -> HttpResponse:
    require_org_admin(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invite(request, services.Invitation(**form.cleaned_data))
        except Refused as refusal:
            form.add_error("email", str(refusal))
        else:
            done = _("%(name)s is invited. The e-mail with the link is sent.")
            messages.success(request, done % {"name": person})
            return redirect("orgadmin_person", user_id=person.pk)
    status = 400 if form.errors else 200
    return render(request, "orgadmin/invite.html", {"form": form}, status=status)


def _person_page(
    request: HttpRequest,
    person,
    details: DetailsForm | None = None,
    role_form: RoleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    teams = request.user.organisation.teams.all()
    memberships = person.memberships.select_related("team").order_by("team__name")
    return render(
        request,
        "orgadmin/person.html",
        {
            "person": person,
            "details": details
            or DetailsForm(
                initial={k: getattr(person, k) for k in ("first_name", "last_name", "title")}
            ),
            "role_form": role_form or RoleForm(teams=teams.filter(closed_at__isnull=True)),
            "memberships": memberships,
            "is_self": person.pk == request.user.pk,
            "locked_out": services.is_locked_out(person),
            "has_second_factor": services.has_second_factor(person),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    require_org_admin(request)
    subject = get_person_for_admin(request.user, user_id)
    if request.method != "POST":
        return _person_page(request, subject)
    details = DetailsForm(request.POST)
    if not details.is_valid():
        return _person_page(request, subject, details=details, status=400)
    services.update_details(request, subject, details.cleaned_data)
    messages.success(request, _("The details are saved."))
    return redirect("orgadmin_person", user_id=subject.pk)


@login_required
@require_POST
def person_role(request: HttpRequest, user_id: int) -> HttpResponse:
    require_org_admin(request)
    subject = get_person_for_admin(request.user, user_id)
    form = RoleForm(request.POST, teams=request.user.organisation.teams.all())
    if not form.is_valid():
        return _person_page(request, subject, role_form=form, status=400)
    try:
        services.set_role(request, subject, form.cleaned_data["team"], form.cleaned_data["role"])
    except Refused as refusal:
        # Rendered, not raised: the refusal's audit row commits with this response.
        form.add_error(None, str(refusal))
        return _person_page(request, subject, role_form=form, status=403)
    messages.success(request, _("The role is saved."))
    return redirect("orgadmin_person", user_id=subject.pk)


def _flag_action(request: HttpRequest, user_id: int, change, done: str) -> HttpResponse:
    """One button that turns a yes/no property of a person on or off."""
    require_org_admin(request)
    subject = get_person_for_admin(request.user, user_id)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose on or off."))
        return redirect("orgadmin_person", user_id=subject.pk)
    return _carry_out(
        request, subject, lambda: change(request, subject, form.cleaned_data["value"]), done
    )


@login_required
@require_POST
def person_active(request: HttpRequest, user_id: int) -> HttpResponse:
    return _flag_action(request, user_id, services.set_active, _("The account is changed."))


@login_required
@require_POST
def person_org_admin(request: HttpRequest, user_id: int) -> HttpResponse:
    return _flag_action(
        request, user_id, services.set_org_admin, _("The administrator role is changed.")
    )


def _account_action(request: HttpRequest, user_id: int, action, done: str) -> HttpResponse:
    """One button that does something to a person's account."""
    require_org_admin(request)
    subject = get_person_for_admin(request.user, user_id)
    return _carry_out(request, subject, lambda: action(request, subject), done)


def _carry_out(request: HttpRequest, subject, act, done: str) -> HttpResponse:
    """Do `act` to the person: a refusal (never granting oneself a clinical role, ...) is the
    message, otherwise `done`; back to the person's page either way."""
    try:
        act()
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("orgadmin_person", user_id=subject.pk)


@login_required
@require_POST
def person_lockout(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(
        request, user_id, services.lift_lockout, _("The lockout is lifted: they can log in again.")
    )


@login_required
@require_POST
def person_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(
        request,
        user_id,
        services.reset_second_factor,
        _("Two-step login is reset: they set up a new app at the next login."),
    )


@login_required
@require_POST
def person_password_link(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(
        request, user_id, services.send_password_link, _("A link to set a new password is sent.")
    )
