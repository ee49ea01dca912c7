"""`refresh_episodes(ids)`: the status cache of many episodes at once, for an import.

The same read model as `sessions.outcome.refresh_episode` (the same `forms_of`, `combine`,
engine and `cache_on`), fed from a few queries per 500 episodes instead of three or four per
episode, and written back with bulk updates. An import of 100,000 forms touches some 10,000
episodes: one refresh each took most of the import's time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from clients.models import Episode, Rater
from sessions.bulk_sql import update_objects
from sessions.outcome import CACHED_FIELDS, cache_on, combine, engine_config, forms_of

BATCH = 500


def refresh_episodes(episode_ids: Iterable[int]) -> int:
    """Recompute and store the status, flags and cached figures of the episodes and their
    raters. Call inside the transaction that changed their forms. Returns how many."""
    ids = sorted(set(episode_ids))
    configs: dict[int, tuple] = {}
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        episodes = list(
            Episode.objects.filter(pk__in=chunk).select_related(
                "client__organisation__trajectory_model"
            )
        )
        raters: dict[int, list[Rater]] = defaultdict(list)
        for rater in Rater.objects.filter(episode_id__in=chunk).order_by("pk"):
            raters[rater.episode_id].append(rater)
        forms = forms_of(chunk)
        changed: list[Rater] = []
        for episode in episodes:
            organisation = episode.client.organisation
            if organisation.pk not in configs:
                configs[organisation.pk] = engine_config(organisation)
            settings, model = configs[organisation.pk]
            meetings, ratings = forms.get(episode.pk, ([], {}))
            pairs = [(r, ratings.get(r.pk, [])) for r in raters[episode.pk]]
            changed += cache_on(combine(episode, pairs, meetings, settings, model), episode)
            episode.updated_at = now  # a plain UPDATE does not touch auto_now fields
        update_objects(changed, ["status", "assessment"])
        update_objects(episodes, CACHED_FIELDS)
    return len(ids)
