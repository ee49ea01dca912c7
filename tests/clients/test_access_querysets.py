"""Access by service need, as the QuerySet methods say it (clients/querysets.py).

Every clinical model answers `visible_to(user)` and `writable_by(user)` with the same rule: a
helper sees and writes the clients they are responsible for or share; a leader sees the clients
of the teams they lead and writes only as a helper on the case; nobody sees another organisation;
the organisation administrator sees no client. Each test asks one model for one persona and
names the clients whose rows come back.
"""

from __future__ import annotations

import datetime

import pytest

from clients.models import Client, Episode, Goal, Rater, ReportJob, SupervisionMark
from kor.models import Membership
from sessions.models import FormResponse, Meeting

DAY = datetime.date(2026, 1, 5)

# Each model and the way from one of its rows to the client's case code.
MODELS = {
    "client": (Client, lambda o: o.case_code),
    "episode": (Episode, lambda o: o.client.case_code),
    "goal": (Goal, lambda o: o.episode.client.case_code),
    "rater": (Rater, lambda o: o.episode.client.case_code),
    "supervision mark": (SupervisionMark, lambda o: o.episode.client.case_code),
    "meeting": (Meeting, lambda o: o.episode.client.case_code),
    "form response": (FormResponse, lambda o: o.meeting.episode.client.case_code),
}

# Who sees what: N-001 is alice's, shared with bob, in carol's team North; S-001 is dave's in
# erin's team South; X-001 is oscar's, in another organisation. olga administers the first.
VISIBLE = {
    "alice": {"N-001"},  # responsible helper
    "bob": {"N-001"},  # the colleague sharing the case
    "carol": {"N-001"},  # leader of North
    "erin": {"S-001"},  # leader of another team: not North's
    "dave": {"S-001"},
    "olga": set(),  # the organisation administrator: people, not clinical data
    "oscar": {"X-001"},  # another organisation
}
WRITABLE = VISIBLE | {"carol": set(), "erin": set()}  # a leader reads, helpers write


@pytest.fixture
def world(client_n1, client_s1, client_x1, alice, dave, oscar, carol):
    """Every clinical row for each of the three clients."""
    for client, helper in ((client_n1, alice), (client_s1, dave), (client_x1, oscar)):
        episode = client.episodes.get()
        rater = episode.raters.get()
        Goal.objects.create(episode=episode, text="goal", set_on=DAY)
        meeting = Meeting.objects.create(episode=episode, number=1, date=DAY, helper=helper)
        FormResponse.objects.create(
            meeting=meeting, rater=rater, instrument="ORS", item1=50, item2=50, item3=50, item4=50,
            total=200,
        )  # fmt: skip
        SupervisionMark.objects.create(episode=episode, marked_by=helper, status_then="none")


def codes(queryset, model: str) -> set[str]:
    case_code = MODELS[model][1]
    return {case_code(row) for row in queryset}


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("persona", VISIBLE)
def test_visible_to_shows_each_persona_only_their_clients(world, request, persona, model):
    user = request.getfixturevalue(persona)
    assert codes(MODELS[model][0].objects.visible_to(user), model) == VISIBLE[persona]


@pytest.mark.parametrize("model", [m for m in MODELS if m != "supervision mark"])
@pytest.mark.parametrize("persona", WRITABLE)
def test_writable_by_lets_only_helpers_on_the_case_write(world, request, persona, model):
    user = request.getfixturevalue(persona)
    assert codes(MODELS[model][0].objects.writable_by(user), model) == WRITABLE[persona]


@pytest.mark.parametrize("persona", VISIBLE)
def test_a_supervision_mark_is_put_on_and_off_by_whoever_sees_the_episode(world, request, persona):
    # Bringing a case to supervision is the leader's tool as much as the helper's.
    user = request.getfixturevalue(persona)
    marks = SupervisionMark.objects.writable_by(user)
    assert codes(marks, "supervision mark") == VISIBLE[persona]


def test_a_leader_writes_as_a_helper_where_the_case_is_shared_with_them(world, carol, client_s1):
    client_s1.shared_with.add(carol)

    assert codes(Meeting.objects.writable_by(carol), "meeting") == {"S-001"}
    assert codes(Meeting.objects.visible_to(carol), "meeting") == {"N-001", "S-001"}


def test_a_case_shared_across_the_organisation_wall_stays_hidden(world, alice, client_x1):
    # A wrong share must not open another organisation's client.
    client_x1.shared_with.add(alice)

    assert codes(Client.objects.visible_to(alice), "client") == {"N-001"}
    assert codes(Episode.objects.writable_by(alice), "episode") == {"N-001"}


def test_a_leader_who_stops_leading_sees_the_team_no_more(world, carol):
    Membership.objects.filter(user=carol).update(role=Membership.Role.HELPER)

    assert not Client.objects.visible_to(carol).exists()


def test_a_deactivated_helper_sees_nothing(world, alice):
    alice.is_active = False

    assert not Client.objects.visible_to(alice).exists()
    assert not FormResponse.objects.writable_by(alice).exists()


def test_an_anonymous_visitor_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Episode.objects.visible_to(AnonymousUser()).exists()
    assert not Episode.objects.writable_by(AnonymousUser()).exists()


def test_each_client_comes_once_however_many_ways_the_user_sees_it(world, carol, client_n1):
    # carol leads North and is also responsible for and shares a North client.
    client_n1.shared_with.add(carol)
    Client.objects.filter(pk=client_n1.pk).update(responsible_helper=carol)

    assert list(Client.objects.visible_to(carol).values_list("case_code", flat=True)) == ["N-001"]


LED = {persona: set() for persona in VISIBLE} | {"carol": {"N-001"}, "erin": {"S-001"}}


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("persona", LED)
def test_led_by_is_the_clients_of_the_teams_a_leader_leads(world, request, persona, model):
    user = request.getfixturevalue(persona)
    assert codes(MODELS[model][0].objects.led_by(user), model) == LED[persona]


def test_led_by_over_the_led_teams_is_what_visible_to_shows_of_them(world, carol, north, client_s1):
    # carol also sees S-001 as a colleague sharing it: not a client of the team she leads.
    client_s1.shared_with.add(carol)
    Membership.objects.filter(user=carol).update(role=Membership.Role.HELPER)
    assert not Episode.objects.led_by(carol).exists()
    Membership.objects.filter(user=carol).update(role=Membership.Role.LEADER)

    visible = Episode.objects.visible_to(carol)
    assert codes(visible, "episode") == {"N-001", "S-001"}
    led = Episode.objects.led_by(carol).in_teams([north.pk])
    assert codes(led, "episode") == codes(visible.in_teams([north.pk]), "episode") == {"N-001"}


# --- Narrowing what access allows ----------------------------------------------------------


def test_helped_by_picks_one_helpers_cases_out_of_a_leaders_view(
    world, org, north, carol, alice, bob
):
    from tests.conftest import make_client

    make_client(org, north, bob, "N-002")
    team = Episode.objects.visible_to(carol)

    assert codes(team.helped_by(alice.pk), "episode") == {"N-001"}
    assert codes(team.helped_by(bob.pk), "episode") == {"N-001", "N-002"}  # shared and own


def test_in_teams_keeps_the_clients_of_the_given_teams(world, client_n1, carol, south):
    client_n1.shared_with.add(carol)
    Membership.objects.create(user=carol, team=south, role=Membership.Role.LEADER)
    visible = Goal.objects.visible_to(carol)

    assert codes(visible, "goal") == {"N-001", "S-001"}
    assert codes(visible.in_teams([south.pk]), "goal") == {"S-001"}


# --- Client rights and the audit trail -----------------------------------------------------

MANAGED = VISIBLE | {"bob": set()}  # sharing a case is no say over the client's rights
AUDIT_REVIEWABLE = {
    "alice": set(),
    "bob": set(),
    "carol": {"N-001"},
    "erin": {"S-001"},
    "dave": set(),
    "olga": {"N-001", "S-001"},  # the whole organisation's trail (ids and codes)
    "oscar": set(),
}


@pytest.mark.parametrize("persona", MANAGED)
def test_managed_by_is_the_responsible_helper_and_the_teams_leader(world, request, persona):
    user = request.getfixturevalue(persona)
    assert codes(Client.objects.managed_by(user), "client") == MANAGED[persona]


@pytest.mark.parametrize("persona", AUDIT_REVIEWABLE)
def test_audit_reviewable_by_is_for_leaders_and_the_administrator(world, request, persona):
    user = request.getfixturevalue(persona)
    clients = Client.objects.audit_reviewable_by(user)
    assert codes(clients, "client") == AUDIT_REVIEWABLE[persona]


def test_the_single_client_questions_follow_the_same_rule(world, client_n1, alice, bob, carol):
    assert client_n1.is_writable_by(bob)
    assert not client_n1.is_writable_by(carol)
    assert client_n1.is_managed_by(carol)
    assert not client_n1.is_managed_by(bob)


@pytest.mark.parametrize("persona", VISIBLE)
def test_a_client_read_with_its_answers_answers_as_the_queries_do(
    world, request, persona, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    for client in Client.objects.visible_to(user).answering(user):
        with django_assert_num_queries(0):  # read with the client
            writable, managed = client.is_writable_by(user), client.is_managed_by(user)
        assert writable == (client.case_code in WRITABLE[persona])
        assert managed == (client.case_code in MANAGED[persona])


def test_answers_read_for_one_user_are_not_taken_for_another(world, client_n1, alice, carol):
    read_by_alice = Client.objects.answering(alice).get(pk=client_n1.pk)
    assert read_by_alice.is_writable_by(alice)
    assert not read_by_alice.is_writable_by(carol)  # asked of the database, for carol


# --- Background reports --------------------------------------------------------------------


@pytest.fixture
def carols_job(carol, north):
    return ReportJob.objects.create(
        requested_by=carol, team=north, kind="team", period_start=DAY, period_end=DAY
    )


@pytest.mark.parametrize("persona", ["alice", "bob", "erin", "olga", "oscar"])
def test_a_report_job_is_seen_by_no_one_but_who_asked(request, carols_job, persona):
    user = request.getfixturevalue(persona)
    assert not ReportJob.objects.visible_to(user).exists()


def test_a_report_job_is_seen_by_who_asked_while_they_lead_the_team(carols_job, carol):
    assert list(ReportJob.objects.visible_to(carol)) == [carols_job]

    Membership.objects.filter(user=carol).update(role=Membership.Role.HELPER)
    assert not ReportJob.objects.visible_to(carol).exists()
