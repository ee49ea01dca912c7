"""`python manage.py bench dashboard`: the team dashboard's server time and query count.

Seeds an organisation of `--clients` clients (default 50,000): a team with 1,500 active clients and
30 helpers, a small team with 150, and the rest spread over other teams (a third of them with a
closed episode, as an organisation that has run for a while has). Only what the dashboard reads is
seeded: clients, episodes with their cached status, people and teams.

Prints `dashboard_p50_ms`, `dashboard_p95_ms` (1,500 clients, first page, default sort, through
the whole middleware stack), `dashboard_queries_150` and `dashboard_queries_1500`, and
`dashboard_poll_unchanged_ms` (the mean answer to a poll when nothing changed: 204, no body).
"""

from __future__ import annotations

import datetime
import html
import random
import re
import statistics
import time
import warnings
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from clients.models import STATUS_SEVERITY, AgeGroup, Client, Episode, Status
from kor import bench
from kor.models import Membership, Organisation, Team, User

BIG, BIG_HELPERS = 1500, 30
SMALL, SMALL_HELPERS = 150, 3
OTHER_TEAM_SIZE = 1200
RUNS, WARMUP = 60, 5
STATUSES = [
    (Status.ON_TRACK, 40),
    (Status.AT_RISK, 20),
    (Status.OFF_TRACK, 12),
    (Status.DETERIORATED, 4),
    (Status.INTAKE, 10),
    (Status.HIGH_INTAKE, 4),
    (Status.NONE, 10),
]
FLAGS = [[], [], [], [], [], ["alliance_alert"], ["erratic"], ["alliance_alert", "erratic"]]
# What refresh_episode caches on an episode, about this size: the dashboard must not pay for it.
ASSESSMENT = {
    "status": "off_track",
    "flags": ["alliance_alert"],
    "meetings": 6,
    "intake": 14.2,
    "latest": 15.0,
    "expected": [14.2, 18.4, 21.1, 22.8, 23.9, 24.5],
    "target": 24.6,
    "percent_of_expected": 7.8,
    "milestones": {
        "reliable_change": False,
        "clinically_significant": False,
        "deteriorated": False,
        "target_reached": False,
    },
    "reasons": [
        {
            "code": "off_track",
            "nb": "ORS 15,0 er 9,5 under forventet 24,5 ved møte 6 (8 % av forventet endring).",
            "en": "ORS 15.0 is 9.5 below the expected 24.5 at meeting 6 (8% of expected change).",
        },
        {
            "code": "alliance_alert",
            "nb": "SRS 34,0 er under 36: snakk om samarbeidet.",
            "en": "SRS 34.0 is below 36: talk about the alliance.",
        },
    ],
    "age_group": "adult",
    "settings": {"cutoff_adult": 25.0, "rci": 6.0, "srs_cutoff": 36.0},
    "model": "PCOMS 2023",
    "ors": [14.2, 13.0, 16.1, 14.8, 15.5, 15.0],
    "srs": [37.0, 36.5, 35.0, 36.0, 35.5, 34.0],
}
AGES = [
    (AgeGroup.ADULT, 1990),
    (AgeGroup.ADOLESCENT, 2011),
    (AgeGroup.CHILD, 2016),
    (AgeGroup.YOUNG_CHILD, 2022),
]


def _people(org: Organisation, team: Team, prefix: str, helpers: int) -> tuple[User, list[User]]:
    users = [
        User(
            username=f"{prefix}-{i}",
            first_name=f"{prefix.title()} {i}",
            organisation=org,
            password="!",  # noqa: S106 (an unusable password: nobody logs in here)
        )
        for i in range(helpers + 1)
    ]
    users = User.objects.bulk_create(users)
    leader, helpers_ = users[0], users[1:]
    Membership.objects.bulk_create(
        [Membership(user=leader, team=team, role=Membership.Role.LEADER)]
        + [Membership(user=u, team=team, role=Membership.Role.HELPER) for u in helpers_]
    )
    return leader, helpers_


def _clients(
    rng: random.Random,
    org: Organisation,
    team: Team,
    helpers: list[User],
    count: int,
    start: int,
    closed_share: float,
) -> None:
    today = datetime.date.today()
    clients = []
    for i in range(count):
        _, birth_year = rng.choice(AGES)
        clients.append(
            Client(
                organisation=org,
                team=team,
                responsible_helper=helpers[i % len(helpers)],
                case_code=f"B-{start + i:06d}",
                birth_year=birth_year,
                active=True,
            )
        )
    clients = Client.objects.bulk_create(clients, batch_size=2000)
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    episodes = []
    for client in clients:
        status = rng.choices(statuses, weights)[0]
        started = today - datetime.timedelta(days=rng.randint(7, 700))
        meetings = rng.randint(0, 20) if status != Status.NONE else 0
        last = started + datetime.timedelta(days=rng.randint(0, (today - started).days))
        closed = rng.random() < closed_share
        episodes.append(
            Episode(
                client=client,
                started_on=started,
                ended_on=today if closed else None,
                end_reason="mutual" if closed else "",
                age_group=rng.choice(AGES)[0],
                status=status,
                severity=STATUS_SEVERITY[status],
                flags=rng.choice(FLAGS),
                meeting_count=meetings,
                last_meeting_on=last if meetings else None,
                latest_ors=Decimal(rng.randint(0, 400)) / 10 if meetings else None,
                latest_srs=Decimal(rng.randint(200, 400)) / 10 if meetings else None,
                assessment=ASSESSMENT if meetings else {},
            )
        )
    Episode.objects.bulk_create(episodes, batch_size=2000)


@transaction.atomic
def seed(total: int, seed: int = 1) -> tuple[User, User]:
    """The organisation; returns the leaders of the big and the small team."""
    rng = random.Random(seed)
    org = Organisation.objects.create(name="Benchmark kommune", slug="bench-dashboard")
    big = Team.objects.create(organisation=org, name="Big team")
    small = Team.objects.create(organisation=org, name="Small team")
    big_leader, big_helpers = _people(org, big, "big", BIG_HELPERS)
    small_leader, small_helpers = _people(org, small, "small", SMALL_HELPERS)
    _clients(rng, org, big, big_helpers, BIG, 0, 0.0)
    _clients(rng, org, small, small_helpers, SMALL, BIG, 0.0)
    rest = max(total - BIG - SMALL, 0)
    number = BIG + SMALL
    for t in range(0, rest, OTHER_TEAM_SIZE):
        team = Team.objects.create(organisation=org, name=f"Team {t // OTHER_TEAM_SIZE + 1}")
        _, helpers = _people(org, team, f"t{t // OTHER_TEAM_SIZE + 1}", 25)
        size = min(OTHER_TEAM_SIZE, rest - t)
        _clients(rng, org, team, helpers, size, number, 0.33)
        number += size
    return big_leader, small_leader


def analyze() -> None:
    """Gather planner statistics, as PostgreSQL's autovacuum does by itself after a bulk load.
    Without them SQLite guesses that "open episodes" is a small set and starts from there."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _queries(browser: TestClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    return len(captured)


def run(out, options: dict) -> None:
    # Whitenoise warns that collectstatic has not run; the benchmark serves no static file.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    # Production settings, but static files by name: the benchmark needs no collectstatic.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        leaders = User.objects.filter(username__in=["big-0", "small-0"]).order_by("username")
        if options.get("keepdb") and leaders.count() == 2:
            big_leader, small_leader = leaders
            out.write("# reusing the seeded organisation")
        else:
            started = time.perf_counter()
            big_leader, small_leader = seed(options.get("clients", 50_000))
            analyze()
            out.write(
                f"# seeded {Client.objects.count()} clients "
                f"in {time.perf_counter() - started:.1f} s"
            )
        url = reverse("team_dashboard")
        big, small = TestClient(), TestClient()
        big.force_login(big_leader)
        small.force_login(small_leader)
        # Leaders log in with two steps: measure the dashboard as they see it.
        from kor.security.testing import pass_second_factor

        pass_second_factor(big, big_leader)
        pass_second_factor(small, small_leader)
        for _ in range(WARMUP):
            big.get(url, secure=True)
            small.get(url, secure=True)
        times = []
        runs = options.get("runs") or RUNS  # a test asks for fewer
        for _ in range(runs):
            t0 = time.perf_counter()
            response = big.get(url, secure=True)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(round(0.95 * len(times)) - 1, len(times) - 1)]
        out.write(f"dashboard_p50_ms: {statistics.median(times):.1f} ms")
        out.write(f"dashboard_p95_ms: {p95:.1f} ms")
        out.write(f"dashboard_queries_150: {_queries(small, url)} queries")
        out.write(f"dashboard_queries_1500: {_queries(big, url)} queries")
        page = big.get(url, secure=True).content.decode()
        # The table's own polling address, as the browser would take it from the page.
        poll = html.unescape(re.search(r'hx-get="([^"]+)"', page).group(1))
        assert f"{BIG}" in page, "the big team's dashboard does not show its 1,500 clients"
        polls = max(runs // 3, 1)
        t0 = time.perf_counter()
        for _ in range(polls):
            response = big.get(url + poll, secure=True, headers={"HX-Request": "true"})
            assert response.status_code == 204
        mean = (time.perf_counter() - t0) * 1000 / polls
        out.write(f"dashboard_poll_unchanged_ms: {mean:.1f} ms")
        # The floor for a helper of the same team, in the same run.
        floor = bench.measure(User.objects.get(username="big-1"), runs=runs * 5)
        bench.write_floor(out, floor)
        bench.write_ratio(out, "dashboard_p50", statistics.median(times), floor)
