"""Read the closed episodes, fit and store a model, choose it, recompute the open episodes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Max

from clients.models import Episode, Rater
from kor.access import is_leader, is_org_admin
from kor.audit import record, record_many
from kor.models import Organisation, TrajectoryModel, User
from kor.outcomes import PUBLISHED_MODEL, RaterSeries, fit_and_compare
from sessions.models import OUTCOME_INSTRUMENTS, FormResponse
from sessions.outcome import engine_config, refresh_episode

Progress = Callable[[int, int], None]
DEFAULT_NAME = "Own norms"
MIN_RATERS = 200  # the engine's own minimum (kor.outcomes.fit_norms)


def may_manage_norms(user: User) -> bool:
    """Organisation administrators and team leaders: the pages show aggregates only."""
    return is_org_admin(user) or is_leader(user)


def models_of(organisation: Organisation):
    """The organisation's own fitted models, newest first."""
    return TrajectoryModel.objects.filter(organisation=organisation, source="fitted")


def closed_episodes(organisation: Organisation):
    return Episode.objects.filter(client__organisation=organisation, ended_on__isnull=False)


# What the audit writer reads of an episode (its kind, id and client): building 50,000 Episode
# instances only to name them in the trail would cost more than the fit itself.
_EpisodeRead = SimpleNamespace


def closed_series(organisation: Organisation) -> tuple[list[RaterSeries], list[Any]]:
    """One series per closed episode (the client's own ratings, else the first collateral rater
    with ratings, as the statistics count); and the episodes read (for the audit trail, as
    unsaved stubs that carry their client). Two queries: the raters (one row each) and every
    outcome score in order (two columns a row: at 50,000 episodes the Python loop over the
    scores is what costs, so it does as little as it can)."""
    raters = Rater.objects.filter(
        episode__client__organisation=organisation, episode__ended_on__isnull=False
    ).values_list("pk", "episode_id", "episode__client_id", "episode__age_group", "relation")
    about = {pk: rest for pk, *rest in raters}
    rows = (
        FormResponse.objects.filter(
            rater__episode__client__organisation=organisation,
            rater__episode__ended_on__isnull=False,
            status=FormResponse.Status.COMPLETED,
            instrument__in=OUTCOME_INSTRUMENTS,
        )
        .order_by("rater_id", "meeting__number")
        .values_list("rater_id", "total")
    )
    scores: dict[int, list[int]] = {}
    last, current = None, []
    for rater_id, total in rows.iterator(20_000):
        if rater_id != last:
            current = scores[rater_id] = []
            last = rater_id
        current.append(total)
    chosen: dict[int, tuple[bool, int]] = {}  # episode -> (not the client, rater id)
    for rater_id in scores:
        episode_id, _, _, relation = about[rater_id]
        key = (relation != Rater.Relation.CLIENT, rater_id)
        if episode_id not in chosen or key < chosen[episode_id]:
            chosen[episode_id] = key
    series, episodes = [], []
    for episode_id, (_, rater_id) in chosen.items():
        _, client_id, age_group, _ = about[rater_id]
        series.append(RaterSeries([t / 10 for t in scores[rater_id]], age_group))
        episodes.append(_EpisodeRead(_meta=Episode._meta, pk=episode_id, client_id=client_id))
    return series, episodes


def fit_and_store(
    organisation: Organisation,
    *,
    user: User | None = None,
    name: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[TrajectoryModel, dict[str, Any]]:
    """Fit the organisation's own norms and store them as its next version (not yet in use).

    Raises kor.outcomes.NormsError when there are too few usable closed episodes. With
    `dry_run` nothing is stored (the returned model is unsaved) and nothing audited.
    """
    step = progress or (lambda done, total: None)
    step(0, 3)
    series, episodes = closed_series(organisation)
    step(1, 3)
    settings, _ = engine_config(organisation)
    name = (name or DEFAULT_NAME).strip()[:80]
    model, own, published = fit_and_compare(
        series, PUBLISHED_MODEL, MIN_RATERS, name=name, settings=settings
    )
    calibration = {"own": own.to_dict(), "published": published.to_dict()}
    step(2, 3)
    stored = TrajectoryModel(
        organisation=organisation,
        name=name,
        source="fitted",
        coefficients=model.to_dict(),
        calibration=calibration,
        created_by=user,
    )
    if dry_run:
        return stored, calibration
    with transaction.atomic():
        # The organisation's row lock keeps two fits at once from taking the same version.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        latest = models_of(organisation).aggregate(v=Max("version"))["v"] or 0
        stored.version = latest + 1
        stored.save()
        record(
            "create", stored, user=user, organisation_id=organisation.pk, norms="fit",
            version=stored.version, episodes=len(episodes),
        )  # fmt: skip
        # The coefficients are built from these episodes' scores: a read of each client's data.
        record_many(
            "view", episodes, user=user, organisation_id=organisation.pk, screen="norms_fit",
            model=stored.pk,
        )  # fmt: skip
    step(3, 3)
    return stored, calibration


def choose_model(
    organisation: Organisation, model: TrajectoryModel | None, *, user: User | None, **where
) -> None:
    """Make `model` the organisation's model in use (None: the published one), audited."""
    before = organisation.trajectory_model_id
    organisation.trajectory_model = model
    organisation.save(update_fields=["trajectory_model"])
    record(
        "update", model or organisation, user=user, organisation_id=organisation.pk,
        norms="use", before=before, after=model.pk if model else None, **where,
    )  # fmt: skip


def recompute_open(
    organisation: Organisation, *, user: User | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Recompute every open episode's status with the organisation's model in use; returns how
    many changed, and the counts of each change of status (from, to, count)."""
    step = progress or (lambda done, total: None)
    organisation = Organisation.objects.select_related("trajectory_model").get(pk=organisation.pk)
    episodes = list(
        Episode.objects.filter(client__organisation=organisation, ended_on__isnull=True)
        .select_related("client")
        .order_by("pk")
    )
    total = len(episodes)
    step(0, total)
    moves: Counter[tuple[str, str]] = Counter()
    changed = []
    for k, episode in enumerate(episodes, 1):
        episode.client.organisation = organisation  # one model read for all
        before = episode.status
        refresh_episode(episode)
        moves[(before, episode.status)] += 1
        if before != episode.status:
            changed.append(episode)
        if k % 50 == 0 or k == total:
            step(k, total)
    record_many(
        "update", changed, user=user, organisation_id=organisation.pk, screen="norms_switch",
        model=organisation.trajectory_model_id,
    )  # fmt: skip
    rows = sorted(([a, b, n] for (a, b), n in moves.items()), key=lambda r: (r[0] == r[1], r))
    return {"episodes": total, "changed": len(changed), "moves": rows}
