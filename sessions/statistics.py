"""Outcome statistics of a team or a helper over a period, from the database, by the engine.

The period decides which episodes count: those closed within it (ended_on from start to end, both
included) for the outcome figures; the active clients and the share off track are as of now.
Each closed episode contributes one rater, the one that stands for the client: the client's own
ratings, or, where the client has none (a young child, say), the first collateral rater who has.
So every figure counts clients, and `kor.outcomes.summarize` decides who is included (two ratings
or more, intake of 32 or less, not a young child).

The reports reuse `team_statistics` and `helper_statistics` for the team PDF.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings as django_settings
from django.db.models import Count, Q, QuerySet

from clients.models import Episode, Rater, Status
from kor.outcomes import OutcomeSettings, RaterSeries, summarize
from kor.outcomes.model import EtrModel
from sessions.models import ALLIANCE_INSTRUMENTS, OUTCOME_INSTRUMENTS, FormResponse

# Below this many clients a figure is shown with a note that it is too few to read; the setting
# STATISTICS_MIN_CLIENTS (environment, default this) decides.
MIN_CLIENTS = 10


def min_clients() -> int:
    return getattr(django_settings, "STATISTICS_MIN_CLIENTS", MIN_CLIENTS)


# The engine tells only a dropout from the other ends (kor.outcomes.stats.END_REASONS). A planned
# ending and "other" are known ends that are not dropouts; a move is an ending the treatment did
# not choose, like a referral. A death is left out of the dropout figure altogether (None: not in
# its denominator): it says nothing of whether the client chose to stop. Old values ("mutual",
# "goal_reached") are already the engine's own and pass through.
_END_REASON = {"planned": "mutual", "other": "mutual", "moved": "referred", "died": None}

OFF_TRACK_STATUSES = (Status.OFF_TRACK, Status.DETERIORATED)


def closed_in_period(
    episodes_qs: QuerySet[Episode], period_start: datetime.date, period_end: datetime.date
) -> QuerySet[Episode]:
    return episodes_qs.filter(ended_on__gte=period_start, ended_on__lte=period_end)


def episode_series(
    episodes_qs: QuerySet[Episode], *, alliance: bool = False
) -> list[tuple[Episode, RaterSeries]]:
    """One RaterSeries per episode (the rater who stands for the client), in two queries.
    With `alliance`, each series carries that rater's alliance totals too (`srs`)."""
    episodes = {e.pk: e for e in episodes_qs.order_by().select_related("client")}
    if not episodes:
        return []
    instruments = OUTCOME_INSTRUMENTS + (ALLIANCE_INSTRUMENTS if alliance else ())
    rows = (
        FormResponse.objects.filter(
            rater__episode_id__in=list(episodes),
            status=FormResponse.Status.COMPLETED,
            instrument__in=instruments,
        )
        .order_by("rater__episode_id", "rater_id", "meeting__number")
        .values_list("rater__episode_id", "rater_id", "rater__relation", "instrument", "total")
    )
    # episode -> rater -> totals; the client's own rater first, then the others by id.
    by_episode: dict[int, dict[tuple[bool, int], list[float]]] = defaultdict(dict)
    alliance_of: dict[int, list[float]] = defaultdict(list)  # rater -> alliance totals
    for episode_id, rater_id, relation, instrument, total in rows:
        if instrument in OUTCOME_INSTRUMENTS:
            key = (relation != Rater.Relation.CLIENT, rater_id)
            by_episode[episode_id].setdefault(key, []).append(total / 10)
        else:
            alliance_of[rater_id].append(total / 10)

    out = []
    for pk, episode in episodes.items():
        raters = by_episode.get(pk)
        chosen = min(raters) if raters else None
        ors = raters[chosen] if raters else []
        out.append(
            (
                episode,
                RaterSeries(
                    ors=ors,
                    age_group=episode.age_group,
                    started=episode.started_on,
                    ended=episode.ended_on,
                    end_reason=_END_REASON.get(episode.end_reason, episode.end_reason or None),
                    meetings=episode.meeting_count,
                    srs=alliance_of.get(chosen[1], []) if chosen else [],
                ),
            )
        )
    return out


def _active_counts(episodes_qs: QuerySet[Episode], by_helper: bool) -> dict[Any, dict[str, int]]:
    """Active clients and how many of them are off track or deteriorated, now."""
    qs = episodes_qs.filter(ended_on__isnull=True, client__active=True).order_by()
    counts = {
        "active": Count("pk"),
        "off_track": Count("pk", filter=Q(status__in=OFF_TRACK_STATUSES)),
    }
    if not by_helper:
        return {None: qs.aggregate(**counts)}
    rows = qs.values("client__responsible_helper_id").annotate(**counts)
    return {r["client__responsible_helper_id"]: r for r in rows}


def _figures(
    series: list[RaterSeries],
    active: dict[str, int],
    settings: OutcomeSettings | None,
    model: EtrModel | None,
) -> dict[str, Any]:
    summary = summarize(series, settings=settings, model=model)
    data = summary.to_dict()
    included = summary.included
    n_active = active.get("active", 0)
    n_off = active.get("off_track", 0)
    least = min_clients()
    return {
        "summary": data,
        "closed": summary.total,
        "included": included,
        "active": n_active,
        "off_track": n_off,
        "pct_off_track": 100.0 * n_off / n_active if n_active else None,
        "too_few": included < least,
        "too_few_active": n_active < least,
        "too_few_dropout": summary.with_end_reason < least,
        "changes": list(summary.changes),
    }


def team_statistics(
    episodes_qs: QuerySet[Episode],
    period_start: datetime.date,
    period_end: datetime.date,
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
) -> dict[str, Any]:
    """The statistics of every episode in `episodes_qs` (already limited to what the user may see).

    Returns a dict: `summary` (Summary.to_dict() of the episodes closed in the period), `closed`,
    `included`, `active`, `off_track`, `pct_off_track`, `too_few*` (fewer than min_clients() behind
    the figure) and `changes` (last minus first score of each included client, for a chart).
    An empty period (or one that ends before it starts) gives the figures of no client.
    """
    team, _ = team_and_helper_statistics(
        episodes_qs, period_start, period_end, settings, model, per_helper=False
    )
    return team


def helper_statistics(
    episodes_qs: QuerySet[Episode],
    period_start: datetime.date,
    period_end: datetime.date,
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
) -> dict[int, dict[str, Any]]:
    """The same figures per responsible helper: {helper id: figures}, for every helper who has an
    active client now or a client closed in the period."""
    _, per_helper = team_and_helper_statistics(
        episodes_qs, period_start, period_end, settings, model
    )
    return per_helper


def team_and_helper_statistics(
    episodes_qs: QuerySet[Episode],
    period_start: datetime.date,
    period_end: datetime.date,
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
    *,
    per_helper: bool = True,
) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """Both at once, reading the scores once: (team figures, {helper id: figures}).
    A fixed number of queries (four) whatever the number of episodes."""
    period = {"period_start": period_start, "period_end": period_end}
    series = episode_series(closed_in_period(episodes_qs, period_start, period_end))
    team_active = _active_counts(episodes_qs, by_helper=False)[None]
    team = _figures([s for _, s in series], team_active, settings, model) | period
    team["episodes"] = [episode for episode, _ in series]  # whose scores the figures read
    out: dict[int, dict[str, Any]] = {}
    if per_helper:
        by_helper: dict[int, list[RaterSeries]] = defaultdict(list)
        for episode, s in series:
            by_helper[episode.client.responsible_helper_id].append(s)
        active = _active_counts(episodes_qs, by_helper=True)
        for helper_id in set(by_helper) | set(active):
            figures = _figures(
                by_helper.get(helper_id, []), active.get(helper_id, {}), settings, model
            )
            out[helper_id] = figures | period
    return team, out
