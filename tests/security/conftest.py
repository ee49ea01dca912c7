"""Security fixtures: verified logins, and a world of objects the personas must never see.

Every object of team South (dave's client) has primary key 1001 and every object of the other
organisation (oscar's client) 1002, in every table; the personas' own objects have small keys.
So a URL with 1001 or 1002 in every id slot points only at foreign objects, whatever it names.
"""

from __future__ import annotations

import datetime

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from clients.models import Client, Episode, Goal, Rater, SupervisionMark
from kor.models import Membership, Organisation, Team, User
from sessions.models import FormResponse, Meeting
from tests.conftest import PASSWORD

FOREIGN_IDS = (1001, 1002)
# Text that only the foreign objects hold: none of it may reach a persona's screen.
FOREIGN_MARKERS = (
    "S-SECRET-1001",
    "X-SECRET-1002",
    "Sigrid Sør",
    "Xander Annen",
    "goal-1001",
    "goal-1002",
)


def verify(client, user: User) -> None:
    """Mark the test browser's session as having passed the second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login_verified(client):
    """Log in with both factors: `login_verified(carol)`."""

    def _login(user: User):
        client.force_login(user)
        verify(client, user)
        return client

    return _login


def make_full_client(pk: int, org: Organisation, team: Team, helper: User, code: str, name: str):
    client = Client.objects.create(
        pk=pk,
        organisation=org,
        team=team,
        responsible_helper=helper,
        case_code=code,
        name=name,
        birth_year=1985,
    )
    episode = Episode.objects.create(
        pk=pk, client=client, started_on=datetime.date(2026, 1, 5), age_group="adult"
    )
    rater = Rater.objects.create(pk=pk, episode=episode, label=name)
    Goal.objects.create(pk=pk, episode=episode, text=f"goal-{pk}", set_on=datetime.date(2026, 1, 5))
    meeting = Meeting.objects.create(
        pk=pk, episode=episode, number=1, date=datetime.date(2026, 1, 5), helper=helper
    )
    FormResponse.objects.create(
        pk=pk,
        meeting=meeting,
        rater=rater,
        instrument="ORS",
        item1=50,
        item2=50,
        item3=50,
        item4=50,
        total=200,
    )
    SupervisionMark.objects.create(pk=pk, episode=episode, marked_by=helper, status_then="intake")
    return client


@pytest.fixture
def foreign(org, other_org, alice, bob, carol, client_n1):
    """South's client S-SECRET-1001 (dave) and the other organisation's X-SECRET-1002 (oscar)."""
    south = Team.objects.create(pk=1001, organisation=org, name="South")
    dave = User.objects.create_user(
        pk=1001, username="dave", password=PASSWORD, organisation=org, first_name="Dave"
    )
    Membership.objects.create(pk=1001, user=dave, team=south)
    erin = User.objects.create_user(pk=1003, username="erin", password=PASSWORD, organisation=org)
    Membership.objects.create(pk=1003, user=erin, team=south, role=Membership.Role.LEADER)
    elsewhere = Team.objects.create(pk=1002, organisation=other_org, name="Elsewhere")
    oscar = User.objects.create_user(
        pk=1002, username="oscar", password=PASSWORD, organisation=other_org
    )
    Membership.objects.create(pk=1002, user=oscar, team=elsewhere)
    s1 = make_full_client(1001, org, south, dave, "S-SECRET-1001", "Sigrid Sør")
    x1 = make_full_client(1002, other_org, elsewhere, oscar, "X-SECRET-1002", "Xander Annen")
    return {"south": south, "dave": dave, "erin": erin, "oscar": oscar, "s1": s1, "x1": x1}


HOME_ID = 7


@pytest.fixture
def home(org, north, alice):
    """Alice's own client with pk 7 in every table: a URL with 7 in every slot is hers."""
    return make_full_client(HOME_ID, org, north, alice, "N-007", "Nora Nord")
