"""A realistic, deterministic demo organisation, also used at scale by the benchmarks.

Scores are drawn around the published expected trajectories (KOR-REFERENCE.md), with a mix of
clients who respond, respond slowly, stay flat, deteriorate or swing; some alliance drops, some
declined forms, some ended episodes. Everything goes in with bulk inserts, a chunk of clients at
a time, so 50,000 clients take minutes and bounded memory. The cached status of every episode is
computed by the read model a live save uses (sessions.outcome.combine), and every form is the
one the app asks for (sessions.services.forms_for).
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from clients.models import AgeGroup, CaseCodeSequence, Client, Episode, Goal, Rater, SupervisionMark
from kor.case_codes import format_code
from kor.demo_story import STORIES, STORY_HELPERS, seed_stories
from kor.models import Membership, Organisation, Team, User
from kor.outcomes import expected_trajectory
from sessions.episodes import end_episode
from sessions.models import FormResponse, Meeting
from sessions.outcome import EpisodeOutcome, MeetingDay, Rating, cache_on, combine, engine_config
from sessions.review_history import spell_cache
from sessions.services import forms_for

DEMO_PASSWORD = "kor-demo-2026"  # noqa: S105 (printed to the person who seeds the demo)

HELPER_NAMES = [
    ("kari", "Kari", "Nordmann", "psykolog"),
    ("ola", "Ola", "Hansen", "sykepleier"),
    ("ingrid", "Ingrid", "Berg", "familieterapeut"),
    ("per", "Per", "Johansen", "miljøterapeut"),
    ("sara", "Sara", "Ali", "psykologspesialist"),
]
TEAM_NAMES = ["Rask psykisk helsehjelp", "Familieteamet", "Rusteamet", "Ungdomsteamet"]
GOALS = [
    "Sove bedre om natta",
    "Gå på skolen hver dag",
    "Krangle mindre hjemme",
    "Klare å være på jobb hele uka",
    "Ha en venn å være sammen med",
    "Bli mindre redd når jeg skal ut",
    "Få mer energi til barna",
    "Kutte ned på alkohol i helgene",
    "Snakke med mamma uten at det blir krangel",
    "Tåle å kjenne på sinne uten å slå",
]
DECLINE_REASONS = ["For sliten i dag", "Ville ikke", "Tidsnød", "Skjemaet passet ikke i dag"]
# How episodes end, with weights near what services report: most end as planned, about one in
# five by the client dropping out.
END_REASONS = [
    ("planned", 56),
    ("dropout", 22),
    ("referred", 11),
    ("moved", 6),
    ("other", 4),
    ("died", 1),
]
OTHER_END_TEXTS = ["Ønsket pause", "Fikk tilbud i spesialisthelsetjenesten", "Ny fastlege overtok"]
# Share of the demo's clients whose episode has ended (within the last two years).
CLOSED_SHARE = 0.5
CASE_CODES = "K-{seq:05d}"


@dataclass
class DemoResult:
    organisation: Organisation
    logins: list[tuple[str, str]] = field(default_factory=list)
    clients: int = 0
    episodes: int = 0
    meetings: int = 0
    responses: int = 0
    seconds: float = 0.0


# Who is rated and by whom: (age group, extra raters), with weights for the random draw. The
# first clients take these in order, so even a small demo has every kind.
CASE_KINDS: list[tuple[str, tuple[str, ...], float]] = [
    (AgeGroup.ADULT, (), 0.52),
    (AgeGroup.ADOLESCENT, (), 0.14),
    (AgeGroup.CHILD, (Rater.Relation.MOTHER,), 0.16),
    (AgeGroup.ADOLESCENT, (Rater.Relation.FATHER,), 0.05),
    (AgeGroup.ADULT, (Rater.Relation.PARTNER,), 0.05),
    (AgeGroup.CHILD, (Rater.Relation.MOTHER, Rater.Relation.FATHER), 0.05),
    (AgeGroup.YOUNG_CHILD, (Rater.Relation.PARENT,), 0.03),
]
AGE_RANGES = {
    AgeGroup.ADULT: (18, 70),
    AgeGroup.ADOLESCENT: (13, 17),
    AgeGroup.CHILD: (6, 12),
    AgeGroup.YOUNG_CHILD: (3, 5),
}
# Course of an outcome series: responder, slow, flat, deteriorating, erratic.
COURSES = [("responder", 0.55), ("slow", 0.2), ("flat", 0.13), ("worse", 0.08), ("erratic", 0.04)]


def seed(
    *,
    clients: int = 60,
    seed: int = 1,
    name: str = "Demo kommune",
    slug: str = "demo",
    helpers: int | None = None,
    teams: int | None = None,
    today: datetime.date | None = None,
    chunk: int = 1000,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or datetime.date.today()
    n_helpers = helpers or max(5, round(clients / 50))
    n_teams = teams or max(2, math.ceil(n_helpers / 15))

    with transaction.atomic():
        # The pattern the bulk clients' codes follow, so intakes in the demo continue it.
        org = Organisation.objects.create(name=name, slug=slug, case_code_pattern=CASE_CODES)
        team_objs = Team.objects.bulk_create(
            Team(organisation=org, name=_team_name(i)) for i in range(n_teams)
        )
        password = make_password(DEMO_PASSWORD)
        result = DemoResult(organisation=org)
        leader = User.objects.create(
            username=_unique(slug, "leder"),
            first_name="Lena",
            last_name="Leder",
            title="teamleder",
            organisation=org,
            password=password,
        )
        admin = User.objects.create(
            username=_unique(slug, "admin"),
            first_name="Arne",
            last_name="Admin",
            organisation=org,
            is_org_admin=True,
            is_staff=True,
            is_superuser=True,
            password=password,
        )
        helper_objs = User.objects.bulk_create(
            _helper(i, org, password, slug) for i in range(n_helpers)
        )
        Membership.objects.bulk_create(
            [Membership(user=leader, team=t, role=Membership.Role.LEADER) for t in team_objs]
            + [
                Membership(user=h, team=team_objs[i % n_teams], role=Membership.Role.HELPER)
                for i, h in enumerate(helper_objs)
            ]
        )
        result.logins = [
            (leader.username, "teamleder for alle team / leader of every team"),
            *[
                (h.username, f"{h.title}, {team_objs[i % n_teams].name}")
                for i, h in enumerate(helper_objs[:5])
            ],
            (admin.username, "organisasjonsadministrator / org admin (+ /admin/)"),
        ]

    # The first helpers' story clients (kor.demo_story) are made through the app's services;
    # the rest in bulk.
    n_stories = min(clients, STORY_HELPERS * len(STORIES), len(helper_objs) * len(STORIES))
    bulk = clients - n_stories
    settings, model = engine_config(org)
    for start in range(0, bulk, chunk):
        with transaction.atomic():
            _seed_chunk(
                rng,
                org,
                team_objs,
                helper_objs,
                range(start, min(bulk, start + chunk)),
                today,
                settings,
                model,
                result,
            )
        if progress:
            progress(f"{min(bulk, start + chunk)} / {clients} clients")

    CaseCodeSequence.objects.create(organisation=org, year=0, last=bulk)
    stories = seed_stories(org, helper_objs, team_objs, today, seed, limit=n_stories)
    result.clients += len(stories)
    result.episodes += len(stories)
    result.meetings += Meeting.objects.filter(episode__client__in=stories).count()
    result.responses += FormResponse.objects.filter(meeting__episode__client__in=stories).count()
    _mark_for_supervision(org, leader)
    result.seconds = time.perf_counter() - started
    return result


def _team_name(i: int) -> str:
    base = TEAM_NAMES[i % len(TEAM_NAMES)]
    return base if i < len(TEAM_NAMES) else f"{base} {i // len(TEAM_NAMES) + 1}"


def _unique(slug: str, username: str) -> str:
    # The demo organisation keeps the short logins; a second seeded organisation (benchmarks,
    # tests) gets prefixed ones, since usernames are unique across the installation.
    return username if slug == "demo" else f"{slug}-{username}"


def _helper(i: int, org: Organisation, password: str, slug: str) -> User:
    if i < len(HELPER_NAMES):
        username, first, last, title = HELPER_NAMES[i]
    else:
        username, first, last, title = f"helper{i + 1:04d}", "Hjelper", f"{i + 1}", "rådgiver"
    return User(
        username=_unique(slug, username),
        first_name=first,
        last_name=last,
        title=title,
        organisation=org,
        password=password,
    )


def _seed_chunk(rng, org, teams, helpers, indexes, today, settings, model, result) -> None:
    plans = [_plan_client(rng, i, helpers, teams, today) for i in indexes]
    client_objs = Client.objects.bulk_create(p.client(org) for p in plans)
    shared = [
        Client.shared_with.through(client_id=c.pk, user_id=p.shared_with.pk)
        for c, p in zip(client_objs, plans, strict=True)
        if p.shared_with
    ]
    Client.shared_with.through.objects.bulk_create(shared)

    episodes, raters, meetings, responses, goals = [], [], [], [], []
    for client, plan in zip(client_objs, plans, strict=True):
        plan.draw(rng, settings, model)
        episode = plan.episode(client)
        episodes.append((episode, plan))
    Episode.objects.bulk_create(e for e, _ in episodes)
    for episode, plan in episodes:
        for rater in plan.rater_objs:
            rater.episode = episode
        raters.extend(plan.rater_objs)
        plan.meeting_objs = [
            Meeting(episode=episode, number=n + 1, date=d, helper=plan.helper, format=plan.format)
            for n, d in enumerate(plan.dates)
        ]
        meetings.extend(plan.meeting_objs)
        goals.extend(
            Goal(
                episode=episode,
                text=text,
                set_on=plan.dates[0] if plan.dates else plan.start,
                reached_on=reached,
                created_by=plan.helper,
            )
            for text, reached in plan.goals
        )
    Rater.objects.bulk_create(raters)
    Meeting.objects.bulk_create(meetings)
    Goal.objects.bulk_create(goals)
    for _, plan in episodes:
        responses.extend(plan.responses())
    _insert_responses(responses)
    # Episodes end the way a helper ends them: through the service (audit row included).
    for episode, plan in episodes:
        if plan.ended_on is not None:
            end_episode(
                episode=episode,
                ended_on=plan.ended_on,
                reason=plan.end_reason,
                reason_text=plan.end_text,
                by=plan.helper,
                at=_aware(plan.ended_on),
            )
    result.clients += len(client_objs)
    result.episodes += len(episodes)
    result.meetings += len(meetings)
    result.responses += len(responses)


@dataclass
class _ClientPlan:
    index: int
    helper: User
    team: Team
    shared_with: User | None
    age_group: str
    age: int
    extra_raters: tuple[str, ...]
    start: datetime.date
    dates: list[datetime.date]
    ended_on: datetime.date | None
    end_reason: str
    end_text: str
    format: str
    today: datetime.date
    # filled by draw(): per rater, per meeting, (outcome tenths | None=declined, alliance tenths)
    forms: list[list[tuple[int | None, int | None]]] = field(default_factory=list)
    goals: list[tuple[str, datetime.date | None]] = field(default_factory=list)
    outcome: EpisodeOutcome | None = None
    rater_objs: list[Rater] = field(default_factory=list)  # their cached status set by draw()
    meeting_objs: list[Meeting] = field(default_factory=list)
    item_rng: random.Random | None = None

    def client(self, org: Organisation) -> Client:
        return Client(
            organisation=org,
            team=self.team,
            responsible_helper=self.helper,
            case_code=format_code(CASE_CODES, year=0, seq=self.index + 1),
            birth_year=self.today.year - self.age,
            active=self.ended_on is None,
        )

    def episode(self, client: Client) -> Episode:
        episode = Episode(
            client=client,
            started_on=self.start,
            age_group=self.age_group,
        )
        cache_on(self.outcome, episode)
        if self.ended_on is None:  # the off-track spell, for the review markers (no query)
            episode.assessment = spell_cache(self.outcome)
        episode.status_changed_at = _aware(self.dates[-1] if self.dates else self.start)
        return episode

    def draw(self, rng: random.Random, settings, model) -> None:
        """Every rater's forms, on the forms the app asks for, and the outcome they give."""
        self.item_rng = random.Random(rng.random())
        episode, meeting = Episode(age_group=self.age_group), Meeting(format=self.format)
        n = len(self.dates)
        pairs = []
        for relation in (Rater.Relation.CLIENT, *self.extra_raters):
            rater = Rater(relation=relation)
            outcome, alliance = forms_for(episode, rater, meeting)
            if outcome in PICTORIAL and alliance in PICTORIAL:
                forms = _pictorial_series(rng, n)
            elif outcome in PICTORIAL:
                # A parent of a young child: the pictorial outcome form, the adult alliance form.
                scores, pictures = (
                    _outcome_series(rng, self.age_group, n),
                    _pictorial_series(rng, n),
                )
                forms = [(p, a) for (_, a), (p, _) in zip(scores, pictures, strict=True)]
            else:
                forms = _outcome_series(rng, self.age_group, n)
            self.forms.append(forms)
            self.rater_objs.append(rater)
            pairs.append((rater, _ratings(forms, outcome, alliance)))
        days = [MeetingDay(None, k, day, self.format) for k, day in enumerate(self.dates, 1)]
        self.outcome = combine(episode, pairs, days, settings, model)
        cache_on(self.outcome, episode)  # sets each planned rater's cached status
        picks = rng.sample(GOALS, k=rng.choice((1, 1, 2)))
        reached_ok = self.outcome.status == "on_track" and len(self.dates) > 3
        self.goals = [
            (g, self.dates[-1] if reached_ok and i == 0 else None) for i, g in enumerate(picks)
        ]

    def responses(self):
        for rater, forms in zip(self.rater_objs, self.forms, strict=True):
            for meeting, (out, ally) in zip(self.meeting_objs, forms, strict=True):
                outcome, alliance = forms_for(rater.episode, rater, meeting)
                if out is None:
                    yield (
                        meeting.pk,
                        rater.pk,
                        outcome,
                        None,
                        None,
                        None,
                        None,
                        None,
                        "declined",
                        self.item_rng.choice(DECLINE_REASONS),
                        "meeting",
                        self.helper.pk,
                    )
                else:
                    yield _completed(meeting, rater, outcome, out, self)
                if ally is not None:
                    yield _completed(meeting, rater, alliance, ally, self)


PICTORIAL = ("YCORS", "YCSRS")


def _ratings(forms, outcome: str, alliance: str) -> list[Rating]:
    """The planned forms as the read model takes them (None: the outcome form was declined)."""
    out = []
    for number, (tenths, ally) in enumerate(forms, 1):
        if tenths is None:
            out.append(Rating(number, outcome, FormResponse.Status.DECLINED))
        else:
            out.append(Rating(number, outcome, total=tenths / 10))
        if ally is not None:
            out.append(Rating(number, alliance, total=ally / 10))
    return out


RESPONSE_COLUMNS = (
    "meeting_id",
    "rater_id",
    "instrument",
    "item1",
    "item2",
    "item3",
    "item4",
    "total",
    "status",
    "declined_reason",
    "source",
    "entered_by_id",
    "created_at",
    "updated_at",
)


def _insert_responses(rows: list[tuple], batch: int = 500) -> None:
    """The forms are most of the rows: multi-row INSERTs skip building a model per row and
    a round trip per row, which makes seeding at scale several times faster than bulk_create."""
    now = timezone.now()
    table = FormResponse._meta.db_table
    placeholders = f"({', '.join(['%s'] * len(RESPONSE_COLUMNS))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            sql = (
                f"INSERT INTO {table} ({', '.join(RESPONSE_COLUMNS)}) "  # noqa: S608 (no user input)
                f"VALUES {', '.join([placeholders] * len(chunk))}"
            )
            cursor.execute(sql, [value for row in chunk for value in (*row, now, now)])


def _completed(meeting, rater, instrument, tenths, plan) -> tuple:
    pictorial = instrument in PICTORIAL  # one picture chosen: one item
    items = [tenths, None, None, None] if pictorial else _split(tenths, plan.item_rng)
    return (
        meeting.pk,
        rater.pk,
        instrument,
        *items,
        tenths,
        "completed",
        "",
        "meeting",
        plan.helper.pk,
    )


def _plan_client(rng, index, helpers, teams, today) -> _ClientPlan:
    helper_index = index % len(helpers)
    helper = helpers[helper_index]
    team = teams[helper_index % len(teams)]
    if index < len(CASE_KINDS):
        kind = CASE_KINDS[index]
    else:
        kind = rng.choices(CASE_KINDS, weights=[k[2] for k in CASE_KINDS])[0]
    age_group, extra, _ = kind
    low, high = AGE_RANGES[age_group]
    age = rng.randint(low, high)
    colleagues = [
        h
        for i, h in enumerate(helpers)
        if i % len(teams) == helper_index % len(teams) and h is not helper
    ]
    shared = rng.choice(colleagues) if colleagues and rng.random() < 0.12 else None

    closed = rng.random() < CLOSED_SHARE
    end_text = ""
    if closed:
        end_reason = rng.choices([r for r, _ in END_REASONS], weights=[w for _, w in END_REASONS])[
            0
        ]
        # Who drops out mostly does so early.
        n = rng.randint(2, 5) if end_reason == "dropout" else rng.randint(2, 16)
        if end_reason == "other":
            end_text = rng.choice(OTHER_END_TEXTS)
        last = today - datetime.timedelta(days=rng.randint(20, 715))
    else:
        n = min(20, max(1, int(rng.expovariate(1 / 6)) + 1))
        end_reason = ""
        # Most active clients were seen lately; some have not been seen for weeks.
        weeks_since = rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4, 6, 9, 14])
        last = today - datetime.timedelta(days=7 * weeks_since + rng.randint(0, 4))
    dates = [last]
    for _ in range(n - 1):
        dates.append(dates[-1] - datetime.timedelta(days=rng.choice((7, 7, 7, 14, 14, 21))))
    dates.reverse()
    fmt = Meeting.Format.INDIVIDUAL
    if len(extra) >= 2:
        fmt = Meeting.Format.FAMILY
    elif Rater.Relation.PARTNER in extra:
        fmt = Meeting.Format.COUPLE
    return _ClientPlan(
        index=index,
        helper=helper,
        team=team,
        shared_with=shared,
        age_group=age_group,
        age=age,
        extra_raters=extra,
        start=dates[0],
        dates=dates,
        ended_on=dates[-1] + datetime.timedelta(days=rng.randint(0, 14)) if closed else None,
        end_reason=end_reason,
        end_text=end_text,
        format=fmt,
        today=today,
    )


def _outcome_series(rng, age_group, n) -> list[tuple[int | None, int | None]]:
    course = rng.choices([c for c, _ in COURSES], weights=[w for _, w in COURSES])[0]
    intake = min(39.0, max(1.0, rng.gauss(19.5, 6.5)))
    group = "adult" if age_group == "adult" else "adolescent"
    expected = expected_trajectory(intake, group, max(n, 1))
    alliance = min(39.5, max(33.0, rng.gauss(37.8, 1.4)))
    drop_at = rng.randint(2, max(2, n)) if rng.random() < 0.1 else None
    forms: list[tuple[int | None, int | None]] = []
    for m in range(n):
        gain = expected[m] - intake
        score = {
            "responder": expected[m] + rng.gauss(0.5, 2.2),
            "slow": intake + 0.4 * gain + rng.gauss(0, 2.0),
            "flat": intake + rng.gauss(0, 1.8),
            "worse": intake - 1.1 * m + rng.gauss(0, 1.5),
            "erratic": intake + (7.5 if m % 2 else -0.5) + rng.gauss(0, 0.8),
        }[course]
        outcome = None if (m > 0 and rng.random() < 0.04) else _tenths(score)
        if drop_at is not None and m + 1 >= drop_at:
            alliance_now = alliance - 4.0 - rng.random() * 3
        else:
            # The alliance usually firms up a little meeting by meeting.
            alliance_now = alliance + 0.15 * m + rng.gauss(0, 0.25)
        forms.append((outcome, _tenths(alliance_now)))
    if forms and forms[0][0] is None:
        forms[0] = (_tenths(intake), forms[0][1])
    return forms


def _pictorial_series(rng, n) -> list[tuple[int | None, int | None]]:
    # YCORS / YCSRS: one picture chosen of four, stored as 1.0-4.0.
    return [(rng.randint(1, 4) * 10, rng.randint(3, 4) * 10) for _ in range(n)]


def _tenths(score: float) -> int:
    return round(min(40.0, max(0.0, score)) * 10)


def _split(total: int, rng: random.Random) -> list[int]:
    """Four items in tenths (0-100 each) that add up to `total` exactly, a little uneven."""
    items = [total // 4 + (1 if i < total % 4 else 0) for i in range(4)]
    for _ in range(3):
        a = int(rng.random() * 4)
        b = (a + 1 + int(rng.random() * 3)) % 4
        move = min(int(rng.random() * 16), items[a], 100 - items[b])
        items[a] -= move
        items[b] += move
    return items


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _mark_for_supervision(org: Organisation, leader: User) -> None:
    """A few of the most urgent open episodes are already on the supervision list."""
    urgent = Episode.objects.filter(
        client__organisation=org, ended_on__isnull=True, severity__gte=5
    ).order_by("client__case_code")[:3]
    SupervisionMark.objects.bulk_create(
        SupervisionMark(
            episode=e,
            marked_by=leader,
            note="Tas opp i veiledning",
            status_then=e.status,
            latest_ors_then=e.latest_ors,
            meeting_count_then=e.meeting_count,
        )
        for e in urgent
    )
