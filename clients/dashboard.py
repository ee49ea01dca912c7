"""The caseload dashboard as queries: which episodes, filtered and sorted how, one page at a time.

Everything the table shows is cached on the episode (status, flags, meetings, latest scores), so a
page is a fixed handful of queries whatever the size of the caseload: the filters and sorts below
are QuerySet operations, the rows come with `select_related`, and nothing is fetched per row.
Bad input never raises: it becomes a message for the user and, where it cannot be read sensibly,
an empty result.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clients.models import STATUS_SEVERITY, AgeGroup, Client, Episode, Status
from kor.models import User

PAGE_SIZE = 50
MAX_WEEKS = 520
MAX_SEARCH = 60
FOUND_LIMIT = 20

FLAG_LABELS = {
    "alliance_alert": pgettext_lazy("dashboard", "alliance alert"),
    "erratic": pgettext_lazy("dashboard", "erratic scores"),
}

# Youngest first, as the ages go, not as the words sort.
AGE_ORDER = (AgeGroup.YOUNG_CHILD, AgeGroup.CHILD, AgeGroup.ADOLESCENT, AgeGroup.ADULT)

# Column key -> the ordering it stands for. Ties are broken by urgency and then by case code,
# so a page boundary never moves between two requests.
SORTS: dict[str, tuple] = {
    "client": (F("client__case_code").asc(),),
    "team": (F("client__team__name").asc(),),
    "age_group": (
        Case(
            *(When(age_group=g, then=Value(i)) for i, g in enumerate(AGE_ORDER)),
            default=Value(len(AGE_ORDER)),
            output_field=IntegerField(),
        ).asc(),
    ),
    "helper": (
        F("client__responsible_helper__first_name").asc(),
        F("client__responsible_helper__last_name").asc(),
    ),
    "meetings": (F("meeting_count").asc(),),
    # Fewest weeks since the last meeting = the latest meeting first; never met counts as longest.
    "weeks": (F("last_meeting_on").desc(nulls_last=True),),
    "ors": (F("latest_ors").asc(nulls_last=True),),
    "srs": (F("latest_srs").asc(nulls_last=True),),
    "status": (F("severity").asc(),),
}
SORT_LABELS = {
    "client": _("Client"),
    "team": _("Team"),
    "age_group": pgettext_lazy("dashboard", "Age group"),
    "helper": _("Helper"),
    "meetings": _("Meetings"),
    "weeks": pgettext_lazy("dashboard", "Weeks since last meeting"),
    "ors": _("Latest ORS"),
    "srs": _("Latest SRS"),
    "status": _("Status"),
}
DEFAULT_SORT = "-status"


def _reverse(expression):
    """The same ordering the other way round, keeping empty values last."""
    nulls_last = bool(getattr(expression, "nulls_last", False))
    expr = expression.expression
    if expression.descending:
        return expr.asc(nulls_last=nulls_last or None)
    return expr.desc(nulls_last=nulls_last or None)


@dataclass
class DashboardFilters:
    """What the user asked for, read and checked. `empty`: show nothing (said in `messages`)."""

    helper: int | None = None
    team: int | None = None
    status: str = ""
    flag: str = ""
    age_group: str = ""
    weeks: int | None = None
    sort: str = DEFAULT_SORT
    page: int = 1
    # Search by case code (and by name where the organisation shows names; the view says).
    q: str = ""
    archived: bool = False
    search_names: bool = False
    messages: list[str] = field(default_factory=list)
    empty: bool = False

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def as_params(self, **overrides) -> dict[str, str]:
        """The query string for these filters (for links that keep them), with overrides."""
        values = {
            "helper": self.helper or "",
            "team": self.team or "",
            "status": self.status,
            "flag": self.flag,
            "age_group": self.age_group,
            "weeks": "" if self.weeks is None else self.weeks,
            "sort": "" if self.sort == DEFAULT_SORT else self.sort,
            "page": "" if self.page == 1 else self.page,
            "q": self.q,
            "archived": "1" if self.archived else "",
        } | overrides
        return {k: str(v) for k, v in values.items() if v not in ("", None)}


def _choice(params, name: str, allowed, messages: list[str], unknown: str) -> str:
    """A filter value from the query string: "" when absent, or unknown (with a message)."""
    value = (params.get(name) or "").strip()
    if value and value not in allowed:
        messages.append(unknown)
        return ""
    return value


def _positive_int(raw: str | None) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


def _one_of(params, name: str, allowed: Iterable[int], f: DashboardFilters, unknown) -> int | None:
    """An id from the query string that must be one of `allowed`; any other shows nothing (said
    so): a filter the user cannot have chosen must not widen or guess the list."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    value = _positive_int(raw)
    if value is None or value not in set(allowed):
        f.messages.append(unknown)
        f.empty = True
        return None
    return value


def parse_filters(
    params: Mapping[str, str], helpers: Iterable[int], teams: Iterable[int] = ()
) -> DashboardFilters:
    """Read the dashboard's query string. `helpers` and `teams` are the ids the user may filter
    by (the teams of the screen: a leader's teams, a helper's own)."""
    f = DashboardFilters()
    f.helper = _one_of(
        params,
        "helper",
        helpers,
        f,
        _("There is no such helper in your teams; no clients are shown."),
    )
    f.team = _one_of(
        params, "team", teams, f, _("There is no such team among yours; no clients are shown.")
    )

    f.status = _choice(
        params, "status", Status.values, f.messages, _("Unknown status; showing every status.")
    )
    f.flag = _choice(
        params, "flag", FLAG_LABELS, f.messages, _("Unknown flag; showing every client.")
    )
    f.age_group = _choice(
        params,
        "age_group",
        AgeGroup.values,
        f.messages,
        _("Unknown age group; showing every age group."),
    )

    weeks = (params.get("weeks") or "").strip()
    if weeks:
        value = _positive_int(weeks)
        if value is None or value > MAX_WEEKS:
            f.messages.append(
                _("“No meeting for N weeks” needs a whole number of weeks from 0 to 520.")
            )
        else:
            f.weeks = value

    sort = (params.get("sort") or "").strip()
    if sort:
        if sort.removeprefix("-") in SORTS:
            f.sort = sort
        else:
            f.messages.append(_("Unknown sort order; sorted by status."))

    f.q = " ".join((params.get("q") or "").split())[:MAX_SEARCH]
    f.archived = (params.get("archived") or "") in ("1", "on")

    page = (params.get("page") or "").strip()
    if page:
        value = _positive_int(page)
        if value is None or value < 1:
            f.messages.append(_("Page numbers start at 1; showing the first page."))
        else:
            f.page = value
    return f


def open_episodes(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """The dashboard's base set: the open episodes of active clients among `episodes` (which
    the caller took from `Episode.objects.visible_to(user)` or `.writable_by(user)`)."""
    return episodes.filter(client__active=True, ended_on__isnull=True)


def apply_filters(
    episodes: QuerySet[Episode],
    f: DashboardFilters,
    today: datetime.date | None = None,
    *,
    status: bool = True,
) -> QuerySet[Episode]:
    """The filters on `episodes`; with `status=False` all but the status, which is what the
    summary counts per status over (so the other statuses stay countable while one is chosen)."""
    if f.empty:
        return episodes.none()
    if f.helper:
        episodes = episodes.helped_by(f.helper)
    if f.team:
        episodes = episodes.in_teams([f.team])
    if f.status and status:
        episodes = episodes.filter(status=f.status)
    if f.flag:
        # The flags are a JSON list; comparing its text works alike on SQLite and PostgreSQL
        # (a flag is one of a few known words, checked by parse_filters).
        episodes = episodes.annotate(flags_text=Cast("flags", TextField())).filter(
            flags_text__contains=f'"{f.flag}"'
        )
    if f.age_group:
        episodes = episodes.filter(age_group=f.age_group)
    if f.q:
        episodes = episodes.filter(search(f, via="client__"))
    if f.weeks is not None:
        cutoff = (today or timezone.localdate()) - datetime.timedelta(weeks=f.weeks)
        episodes = episodes.filter(
            Q(last_meeting_on__lte=cutoff) | Q(last_meeting_on__isnull=True, started_on__lte=cutoff)
        )
    return episodes


def search(f: DashboardFilters, via: str = "") -> Q:
    """The search as a filter on Client (or, with via="client__", on Episode): a part of the
    case code, or of the name where the organisation shows names."""
    match = Q(**{f"{via}case_code__icontains": f.q})
    if f.search_names:
        match |= Q(**{f"{via}name__icontains": f.q})
    return match


def found_without_open_episode(episodes: QuerySet[Episode], f: DashboardFilters) -> list[Client]:
    """Clients the search finds that the table of open episodes cannot show: those whose
    episodes are all ended, and the archived ones when asked for. `episodes` is the screen's
    whole set (from the access QuerySets), so the search sees no client the screen may not.
    One query, at most 20."""
    if not f.q or f.empty:
        return []
    open_episode = Episode.objects.filter(client=OuterRef("pk"), ended_on__isnull=True)
    clients = Client.objects.filter(pk__in=episodes.values("client_id")).filter(
        search(f), ~Exists(open_episode)
    )
    if not f.archived:
        clients = clients.filter(active=True)
    return list(clients.order_by("case_code")[:FOUND_LIMIT])


def apply_sort(episodes: QuerySet[Episode], sort: str) -> QuerySet[Episode]:
    key = sort.removeprefix("-")
    columns = SORTS.get(key, SORTS["status"])
    if sort.startswith("-"):
        columns = tuple(_reverse(c) for c in columns)
    ties = (F("severity").desc(), F("client__case_code").asc(), F("pk").asc())
    return episodes.order_by(*columns, *ties)


# The summary's order: most urgent first, as the table sorts.
SUMMARY_ORDER = sorted(Status.values, key=lambda s: -STATUS_SEVERITY[s])


@dataclass
class Counts:
    """One aggregate over the episodes of the screen: the rows of the table, the open episodes
    per status (for the summary) and the fingerprint of both."""

    rows: int
    per_status: dict[str, int]
    token: str


def count_and_fingerprint(
    episodes: QuerySet[Episode], status: str = "", today: datetime.date | None = None
) -> Counts:
    """`episodes`: filtered by all but the status; `status`: the chosen one ("" for all).

    The token changes whenever anything the table or the summary shows changes: the counts, the
    last save of any episode (every saved form touches its episode), the last supervision mark
    put on or taken off, and the date (weeks since the last meeting grow by themselves). One
    query, whatever the number of episodes: one row per status, with its count (distinct, as
    the join to the marks may repeat an episode) and its latest changes. Grouped by the status
    rather than a filtered COUNT per status: the same work for the database, a third of the
    work for Django to write the query."""
    groups = list(
        episodes.order_by()
        .values("status")
        .annotate(
            n=Count("pk", distinct=True),
            updated=Max("updated_at"),
            changed=Max("status_changed_at"),
            marked=Max("supervision_marks__marked_at"),
            resolved=Max("supervision_marks__resolved_at"),
        )
        .order_by("status")
    )
    per_status = {g["status"]: g["n"] for g in groups}
    counts = {value: per_status.get(value, 0) for value in SUMMARY_ORDER}
    rows = counts.get(status, 0) if status else sum(per_status.values())
    raw = "|".join(
        f"{g['status']}:{g['n']}:{g['updated']}:{g['changed']}:{g['marked']}:{g['resolved']}"
        for g in groups
    )
    raw += f"|{status}|{today or timezone.localdate()}"
    return Counts(rows, counts, hashlib.blake2s(raw.encode(), digest_size=8).hexdigest())


def helpers_of(team_ids: Iterable[int]) -> QuerySet[User]:
    """The people of the teams, for the helper filter and the per-helper statistics."""
    return (
        User.objects.filter(memberships__team_id__in=list(team_ids), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def weeks_since(day: datetime.date | None, today: datetime.date) -> int | None:
    if day is None:
        return None
    return max((today - day).days // 7, 0)
