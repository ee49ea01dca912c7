"""Personas shared by every test.

- alice: a helper in team North, responsible for client N-001
- bob: a colleague in North with whom N-001 is shared
- carol: the leader of team North
- dave: a helper in team South (same organisation) who must not see North's clients
- erin: the leader of team South
- oscar: a helper in another organisation
- olga: the organisation administrator (people, not clinical data)
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import settings as hypothesis_settings

from clients.models import Client, Episode, Rater
from kor.models import Membership, Organisation, Team, User

PASSWORD = "correct-horse-battery-staple"

# Property tests run beside browsers and PDFs on two cores: a slow example is not a failure.
hypothesis_settings.register_profile("kor", deadline=None)
hypothesis_settings.load_profile("kor")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the form link's throttle counts in it."""
    from django.core.cache import cache

    cache.clear()


def make_user(
    username: str,
    org: Organisation | None,
    team: Team | None = None,
    role: str = Membership.Role.HELPER,
    **extra,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        organisation=org,
        first_name=username.capitalize(),
        **extra,
    )
    if team is not None:
        Membership.objects.create(user=user, team=team, role=role)
    return user


@pytest.fixture
def org(db) -> Organisation:
    return Organisation.objects.create(name="Bydel Nord", slug="nord")


@pytest.fixture
def other_org(db) -> Organisation:
    return Organisation.objects.create(name="Annen kommune", slug="annen")


@pytest.fixture
def north(org) -> Team:
    return Team.objects.create(organisation=org, name="North")


@pytest.fixture
def south(org) -> Team:
    return Team.objects.create(organisation=org, name="South")


@pytest.fixture
def alice(org, north) -> User:
    return make_user("alice", org, north)


@pytest.fixture
def bob(org, north) -> User:
    return make_user("bob", org, north)


@pytest.fixture
def carol(org, north) -> User:
    return make_user("carol", org, north, Membership.Role.LEADER)


@pytest.fixture
def dave(org, south) -> User:
    return make_user("dave", org, south)


@pytest.fixture
def erin(org, south) -> User:
    return make_user("erin", org, south, Membership.Role.LEADER)


@pytest.fixture
def oscar(other_org) -> User:
    team = Team.objects.create(organisation=other_org, name="Elsewhere")
    return make_user("oscar", other_org, team)


@pytest.fixture
def olga(org) -> User:
    return make_user("olga", org, is_org_admin=True)


def make_client(
    org: Organisation,
    team: Team,
    helper: User,
    code: str,
    birth_year: int = 1990,
    started: datetime.date | None = None,
    age_group: str = "adult",
) -> Client:
    client = Client.objects.create(
        organisation=org,
        team=team,
        responsible_helper=helper,
        case_code=code,
        birth_year=birth_year,
    )
    episode = Episode.objects.create(
        client=client, started_on=started or datetime.date(2026, 1, 5), age_group=age_group
    )
    Rater.objects.create(episode=episode, relation=Rater.Relation.CLIENT)
    return client


@pytest.fixture
def client_n1(org, north, alice, bob) -> Client:
    """N-001: alice's client, shared with bob."""
    client = make_client(org, north, alice, "N-001")
    client.shared_with.add(bob)
    return client


@pytest.fixture
def client_s1(org, south, dave) -> Client:
    """S-001: dave's client in team South."""
    return make_client(org, south, dave, "S-001")


@pytest.fixture
def client_x1(other_org, oscar) -> Client:
    """X-001: a client of another organisation."""
    return make_client(other_org, oscar.memberships.get().team, oscar, "X-001")


def verify_second_factor(client, user: User) -> None:
    """Mark the test browser's session as past the second factor, for users who need it."""
    from kor.security.testing import pass_second_factor

    pass_second_factor(client, user)


@pytest.fixture
def login(client):
    """Log the test browser in as a persona: `login(alice)`.

    Leaders and administrators must pass the second factor (TOTP) before any page; this logs
    them in with both, as they would be after the real login. Helpers use a password only.
    """

    def _login(user: User):
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return _login


def add_meetings(
    episode: Episode,
    ors: list[float | None],
    srs: list[float | None] = (),
    rater: Rater | None = None,
    first_date: datetime.date | None = None,
    refresh: bool = True,
) -> None:
    """Give the episode one meeting per ORS value (None: declined), each with its SRS.

    Items are spread so they sum to the total exactly (totals with one decimal).
    """
    from sessions.models import FormResponse, Meeting
    from sessions.outcome import refresh_episode

    rater = rater or episode.raters.get(relation=Rater.Relation.CLIENT)
    child = episode.age_group == "child"
    outcome, alliance = ("CORS", "CSRS") if child else ("ORS", "SRS")
    day = first_date or episode.started_on
    start = episode.meetings.count()
    for index, total in enumerate(ors):
        meeting, _ = Meeting.objects.get_or_create(
            episode=episode,
            number=start + index + 1,
            defaults={
                "date": day + datetime.timedelta(weeks=index),
                "helper": episode.client.responsible_helper,
            },
        )
        for instrument, value in (
            (outcome, total),
            (alliance, srs[index] if index < len(srs) else None),
        ):
            if value is None:
                if instrument == outcome:
                    FormResponse.objects.create(
                        meeting=meeting,
                        rater=rater,
                        instrument=instrument,
                        status=FormResponse.Status.DECLINED,
                        declined_reason="test",
                    )
                continue
            tenths = round(value * 10)
            items = [tenths // 4 + (1 if i < tenths % 4 else 0) for i in range(4)]
            FormResponse.objects.create(
                meeting=meeting,
                rater=rater,
                instrument=instrument,
                item1=items[0],
                item2=items[1],
                item3=items[2],
                item4=items[3],
                total=tenths,
            )
    if refresh:
        refresh_episode(episode)
