"""`python manage.py bench norms`: fit and store an organisation's own norms from 50,000 closed
episodes (`fit_norms_org_50k_s`, goal under 10 s), reading them from the database.

Seeds (once, with --keepdb) an organisation with 50,000 closed episodes of synthetic ratings
(kor.outcomes.synthetic: the published model plus noise), one rater and one ORS a meeting each,
with bulk inserts. Then times `sessions.norms.data.fit_and_store`: the one read of every closed
episode's ratings, the fit and its calibration, the stored version and the audit rows.
"""

from __future__ import annotations

import datetime
import time
from itertools import pairwise

from django.db import connection

from clients.models import Client, Episode, Rater
from kor.models import Membership, Organisation, Team, TrajectoryModel, User
from kor.outcomes import RaterSeries
from kor.outcomes.synthetic import synthetic_raters
from sessions.models import FormResponse, Meeting

SLUG = "bench-norms"
EPISODES = 50_000
FORM = {"adult": "ORS", "adolescent": "ORS", "child": "CORS"}
BATCH = 500


def _items(tenths: int) -> list[int]:
    """Four items that sum to the total exactly (each 0-100)."""
    q, r = divmod(tenths, 4)
    return [q + 1] * r + [q] * (4 - r)


def seed_closed(
    organisation: Organisation, team: Team, helper: User, series: list[RaterSeries], prefix="C"
) -> list[Episode]:
    """Closed episodes with these ratings (one client, rater and meeting a rating each), in
    bulk inserts: for this benchmark and for the tests of the norms pages."""
    start = datetime.date(2024, 1, 8)
    clients = Client.objects.bulk_create(
        Client(
            organisation=organisation, team=team, responsible_helper=helper,
            case_code=f"{prefix}-{k:06d}", birth_year=1980,
        )
        for k in range(len(series))
    )  # fmt: skip
    episodes = Episode.objects.bulk_create(
        Episode(
            client=client, started_on=start, age_group=s.age_group, meeting_count=len(s.ors),
            ended_on=start + datetime.timedelta(weeks=len(s.ors)), end_reason="planned",
        )
        for client, s in zip(clients, series, strict=True)
    )  # fmt: skip
    raters = Rater.objects.bulk_create(Rater(episode=e) for e in episodes)
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                episode=e, number=m, date=start + datetime.timedelta(weeks=m - 1), helper=helper
            )
            for e, s in zip(episodes, series, strict=True)
            for m in range(1, len(s.ors) + 1)
        ),
        batch_size=BATCH,
    )
    _insert_ratings(series, raters, meetings, helper)
    return episodes


def _insert_ratings(series, raters, meetings, helper) -> None:
    columns = (
        "meeting_id", "rater_id", "instrument", "item1", "item2", "item3", "item4", "total",
        "status", "declined_reason_code", "declined_reason", "source", "entered_by_id",
        "created_at", "updated_at",
    )  # fmt: skip
    now = datetime.datetime.now(datetime.UTC)
    rows, k = [], 0
    for s, rater in zip(series, raters, strict=True):
        for score in s.ors:
            tenths = round(score * 10)
            rows.append(
                (
                    meetings[k].pk, rater.pk, FORM[s.age_group], *_items(tenths), tenths,
                    "completed", "", "", "meeting", helper.pk, now, now,
                )
            )  # fmt: skip
            k += 1
    table = FormResponse._meta.db_table
    one = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for a in range(0, len(rows), BATCH):
            chunk = rows[a : a + BATCH]
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(chunk))}"  # noqa: S608 (no user input)
            )
            cursor.execute(sql, [v for row in chunk for v in row])


def _seed(out) -> Organisation:
    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:
        return org
    started = time.perf_counter()
    org = Organisation.objects.create(name="Bench norms", slug=SLUG)
    team = Team.objects.create(organisation=org, name="Bench")
    helper = User.objects.create_user(username="bench-norms-helper", organisation=org)
    Membership.objects.create(user=helper, team=team, role=Membership.Role.LEADER)
    series = synthetic_raters(EPISODES, seed=16, long_share=0.1)
    seed_closed(org, team, helper, series, prefix="B")
    out.write(f"# seeded {EPISODES} closed episodes in {time.perf_counter() - started:.1f} s")
    return org


def run(out, options) -> None:
    from sessions.norms.data import fit_and_store

    org = _seed(out)
    user = User.objects.get(username="bench-norms-helper")
    marks: list[float] = []
    cpu = time.process_time()
    started = time.perf_counter()
    model, calibration = fit_and_store(
        org, user=user, progress=lambda done, total: marks.append(time.perf_counter())
    )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    out.write(f"fit_norms_org_50k_s: {seconds:.2f} s")
    # On a shared machine the wall time waits for other work; the CPU time of this process does not.
    out.write(f"fit_norms_org_50k_cpu_s: {cpu:.2f} s")
    read, fit, store = (b - a for a, b in pairwise(marks))
    out.write(
        f"# read {read:.2f} s, fit and calibration {fit:.2f} s, store and audit {store:.2f} s"
    )
    out.write(
        f"# version {model.version}: {calibration['own']['raters']} raters, share below "
        f"{calibration['own']['share_below']:.3f} (published {calibration['published']['share_below']:.3f})"  # noqa: E501
    )
    TrajectoryModel.objects.filter(pk=model.pk).delete()  # a --keepdb rerun starts alike
