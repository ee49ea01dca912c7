"""The old end reasons are mapped onto the one list the statistics use."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# kor 0004 adds a column without a database default, so the old state goes back past it too.
BEFORE = [("clients", "0004_status_not_assessed_label"), ("kor", "0003_orgadmin_team_closed")]
AFTER = [("clients", "0005_episode_end")]


@pytest.mark.django_db(transaction=True)
def test_mutual_and_goal_reached_become_planned_the_rest_keep_their_meaning():
    try:
        _check_the_mapping()
    finally:
        # Back to the latest schema whatever happened, for the tests that run after this one.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def _check_the_mapping() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Organisation = apps.get_model("kor", "Organisation")
    Team = apps.get_model("kor", "Team")
    User = apps.get_model("kor", "User")
    Client = apps.get_model("clients", "Client")
    Episode = apps.get_model("clients", "Episode")
    org = Organisation.objects.create(name="Old", slug="old")
    team = Team.objects.create(organisation=org, name="T")
    helper = User.objects.create(username="old-helper", organisation=org)
    old = ["mutual", "goal_reached", "dropout", "referred", "other", ""]
    for i, reason in enumerate(old):
        client = Client.objects.create(
            organisation=org,
            team=team,
            responsible_helper=helper,
            case_code=f"C{i}",
            birth_year=1990,
        )
        Episode.objects.create(
            client=client,
            started_on=datetime.date(2025, 1, 1),
            age_group="adult",
            ended_on=datetime.date(2025, 6, 1) if reason else None,
            end_reason=reason,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Episode = apps.get_model("clients", "Episode")
    got = list(Episode.objects.order_by("client__case_code").values_list("end_reason", flat=True))
    assert got == ["planned", "planned", "dropout", "referred", "other", ""]
