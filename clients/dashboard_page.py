"""One page of the dashboard's table: the episodes shown, with what their rows show.

Split from clients.dashboard (the set, its filters and sorts, its counts): this is what reads
the 50 rows of one page, in one query whatever the size of the set.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.fields.json import KeyTransform

from clients.dashboard import PAGE_SIZE, apply_sort
from clients.models import Episode, SupervisionMark
from clients.review_marks import REVIEW_KEY

ROW_COLUMNS = (
    *("status", "age_group", "flags", "meeting_count", "last_meeting_on"),
    *("latest_ors", "latest_srs", "client__case_code", "client__team__name"),
    *(f"client__responsible_helper__{name}" for name in ("first_name", "last_name", "username")),
)


def with_rows(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """What each row shows, fetched with the episodes: client, helper, open supervision mark."""
    open_mark = SupervisionMark.objects.filter(episode=OuterRef("pk"), resolved_at__isnull=True)
    # The columns the table shows, no more: not the cached assessment (expected scores, reasons,
    # settings), the bulk of an episode; nor the client's, team's and helper's other columns,
    # which cost more to read and load than the rows' own.
    return (
        episodes.select_related("client", "client__team", "client__responsible_helper")
        .only(*ROW_COLUMNS)
        .annotate(
            in_supervision=Exists(open_mark),
            # The spell alone, not the assessment it is kept in; the setting by the same join.
            review_spell=KeyTransform(REVIEW_KEY, "assessment"),
            review_after=F("client__organisation__review_after_meetings"),
        )
    )


def page_of(episodes: QuerySet[Episode], sort: str, number: int, count: int) -> Page:
    """One page of rows, by Django's Paginator. `count` is the one the fingerprint already took,
    so paging costs no second COUNT query. A page past the end is an empty page (the view says
    so), not an error. One query in two steps: the inner one sorts the ids of the whole set and
    keeps a page of them, the outer one reads the wide rows (`with_rows`) of those 50 alone
    (sorting the wide rows built all of them, 1,500 of a big team's, to keep 50)."""
    paginator = Paginator(apply_sort(episodes, sort).values("pk"), PAGE_SIZE)
    paginator.count = count  # Paginator.count is a cached_property: this is its cached value
    try:
        page = paginator.page(number)
    except EmptyPage:
        return Page([], number, paginator)
    shown = Episode.objects.filter(pk__in=page.object_list)
    # The view marks up the rows it shows: a list, in the page's order.
    page.object_list = list(with_rows(apply_sort(shown, sort)))
    return page
