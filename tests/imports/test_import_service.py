"""The import service: rows checked, matched and stored; idempotent; conflicts kept; who may."""

from __future__ import annotations

import datetime

import pytest

from clients.models import Client, Episode
from kor.models import AuditEvent
from sessions.imports.rows import ImportRow
from sessions.imports.service import apply_import, import_rows, plan_import
from sessions.models import FormResponse, Meeting

D = datetime.date
MARCH_2 = D(2026, 3, 2)


def row(line=2, code="N-100", day=MARCH_2, form="ORS", items=(5, 6, 5.5, 6), **kw):
    return ImportRow(
        line=line, case_code=code, meeting_date=day, instrument=form, items=items, **kw
    )


def series(code="N-100", first=MARCH_2, totals=((5, 5, 5, 5), (6, 6, 6, 6), (7, 7, 7, 7))):
    """ORS and SRS in one meeting a week, two rows a meeting."""
    rows, line = [], 2
    for k, items in enumerate(totals):
        day = first + datetime.timedelta(weeks=k)
        rows.append(row(line, code, day, "ORS", items, team="North"))
        rows.append(row(line + 1, code, day, "SRS", (9, 9, 9, 9.5), team="North"))
        line += 2
    return rows


@pytest.fixture
def carol_org(carol, org):
    return org


def codes(plan):
    return [(p.line, p.code) for p in plan.problems]


def test_it_previews_without_storing(carol, org):
    plan = plan_import(org, series(), carol)
    assert plan.problems == []
    assert plan.summary() | {} == {
        "lines": 6,
        "valid_rows": 6,
        "problem_lines": 0,
        "clients_new": 1,
        "clients_matched": 0,
        "episodes_new": 1,
        "episodes_matched": 0,
        "meetings_new": 3,
        "meetings_matched": 0,
        "forms_new": 6,
        "forms_matched": 0,
    }
    assert not Client.objects.filter(case_code="N-100").exists()


def test_it_stores_clients_episodes_meetings_and_forms(carol, org, north):
    _plan, result = import_rows(org, series(), carol)
    assert (result.clients, result.episodes, result.meetings, result.forms) == (1, 1, 3, 6)
    client = Client.objects.get(organisation=org, case_code="N-100")
    assert client.team == north and client.responsible_helper == carol
    episode = client.episodes.get()
    assert episode.started_on == D(2026, 3, 2)
    assert [m.number for m in episode.meetings.order_by("date")] == [1, 2, 3]
    forms = FormResponse.objects.filter(meeting__episode=episode)
    assert {f.source for f in forms} == {"import"}
    assert {f.entered_by for f in forms} == {carol}
    assert forms.get(meeting__number=1, instrument="ORS").total == 200
    # The status of the episode is computed by the app's own read model.
    assert episode.status == "on_track"
    assert episode.meeting_count == 3 and float(episode.latest_ors) == 28.0
    assert AuditEvent.objects.filter(client_id=client.pk, action="create", user=carol).exists()


def test_a_second_import_of_the_same_rows_creates_nothing(carol, org):
    import_rows(org, series(), carol)
    before = (Client.objects.count(), Meeting.objects.count(), FormResponse.objects.count())
    plan, result = import_rows(org, series(), carol)
    assert plan.problems == []
    assert plan.summary()["forms_matched"] == 6 and plan.summary()["forms_new"] == 0
    assert plan.summary()["clients_matched"] == 1 and plan.summary()["episodes_matched"] == 1
    assert (result.clients, result.meetings, result.forms) == (0, 0, 0)
    after = (Client.objects.count(), Meeting.objects.count(), FormResponse.objects.count())
    assert after == before


def test_a_row_with_other_values_is_a_conflict_never_overwritten(carol, org):
    import_rows(org, series(), carol)
    changed = series(totals=((5, 5, 5, 5), (6, 6, 6, 6), (1, 1, 1, 1)))
    plan, result = import_rows(org, changed, carol)
    assert codes(plan) == [(6, "conflict")]
    stored = FormResponse.objects.get(meeting__date=D(2026, 3, 16), instrument="ORS")
    assert stored.total == 280
    assert result.forms == 0


def test_it_adds_forms_to_a_stored_client_and_episode(carol, org, client_n1):
    rows = [row(2, "N-001", D(2026, 2, 2)), row(3, "N-001", D(2026, 1, 12))]
    plan, _result = import_rows(org, rows, carol)
    assert plan.problems == []
    assert plan.summary()["episodes_matched"] == 1 and plan.summary()["meetings_new"] == 2
    episode = client_n1.episodes.get()
    assert [(m.number, m.date) for m in episode.meetings.order_by("number")] == [
        (1, D(2026, 1, 12)),
        (2, D(2026, 2, 2)),
    ]
    # Met by its responsible helper (the file names none).
    assert {m.helper for m in episode.meetings.all()} == {client_n1.responsible_helper}
    assert Episode.objects.get(pk=episode.pk).status == "at_risk"
    assert AuditEvent.objects.filter(client_id=client_n1.pk, action="view").exists()


def test_it_stores_a_total_only_and_a_declined_form(carol, org):
    rows = [
        row(2, items=(), total=18.5, team="North"),
        row(3, form="SRS", items=(), status="declined", declined_reason="tired", team="North"),
    ]
    plan, result = import_rows(org, rows, carol)
    assert plan.problems == [] and result.forms == 2
    ors = FormResponse.objects.get(instrument="ORS")
    assert (ors.total, ors.item1) == (185, None)
    srs = FormResponse.objects.get(instrument="SRS")
    assert (srs.status, srs.declined_reason, srs.total) == ("declined", "tired", None)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"form": "XYZ"}, "unknown_instrument"),
        ({"items": (5, 11, 5, 5)}, "item_out_of_range"),
        ({"items": (5, -1, 5, 5)}, "item_out_of_range"),
        ({"items": (), "total": 41}, "total_out_of_range"),
        ({"items": (5, 5, 5)}, "item_count"),
        ({"items": (5, 5, 5, 5), "total": 21}, "total_not_sum"),
        ({"items": ()}, "no_scores"),
        ({"episode_start": D(2026, 3, 9)}, "before_episode_start"),
        ({"episode_start": D(2026, 2, 1), "episode_end": D(2026, 2, 20)}, "after_episode_end"),
        ({"episode_start": D(2026, 3, 1), "episode_end": D(2026, 2, 1)}, "end_before_start"),
        ({"day": D(2099, 1, 1)}, "future_date"),
        ({"helper": "nobody"}, "unknown_helper"),
        ({"team": "Atlantis"}, "unknown_team"),
        ({"team": "South"}, "unknown_team"),  # a team carol does not lead
        ({"code": "S-001"}, "not_managed"),  # a client of South
        ({"relation": "uncle"}, "unknown_relation"),
        ({"age_group": "elderly"}, "unknown_age_group"),
        ({"end_reason": "bored", "episode_end": D(2026, 4, 1)}, "unknown_end_reason"),
    ],
)
def test_each_problem_is_reported_and_its_row_left_out(carol, org, client_s1, kwargs, code):
    rows = [row(2, **kwargs), row(3, code="N-200")]
    plan = plan_import(org, rows, carol)
    assert [(p.line, p.code) for p in plan.problems] == [(2, code)]
    assert plan.problems[0].message  # a sentence for the page, not a code
    assert plan.valid_rows == 1
    result = apply_import(plan)
    assert result.forms == 1
    assert FormResponse.objects.get().meeting.episode.client.case_code == "N-200"


def test_a_duplicate_in_the_file_names_the_first_line(carol, org):
    plan = plan_import(org, [row(2), row(3, items=(1, 1, 1, 1))], carol)
    assert codes(plan) == [(3, "duplicate")]
    assert plan.problems[0].params == {"other": 2}


def test_with_only_valid_false_a_file_with_problems_stores_nothing(carol, org):
    plan = plan_import(org, [row(2), row(3, form="XYZ")], carol)
    result = apply_import(plan, only_valid=False)
    assert result.refused and FormResponse.objects.count() == 0


def test_a_helper_may_not_import(alice, org):
    with pytest.raises(PermissionError):
        plan_import(org, [row(2)], alice)


def test_nobody_imports_into_another_organisation(carol, other_org):
    with pytest.raises(PermissionError):
        plan_import(other_org, [row(2)], carol)


def test_an_org_admin_imports_for_any_team_naming_the_helper(olga, org, south, dave):
    rows = [row(2, team="South"), row(3, code="N-300", team="South", helper="dave")]
    plan = plan_import(org, rows, olga)
    assert codes(plan) == [(2, "no_helper")]
    apply_import(plan)
    client = Client.objects.get(case_code="N-300")
    assert (client.team, client.responsible_helper) == (south, dave)
    # Stored, but still not shown to the administrator.
    assert not Client.objects.visible_to(olga).exists()


def test_a_parent_rater_and_a_new_episode_after_an_ended_one(carol, org):
    ended = {"episode_start": D(2026, 1, 5), "episode_end": D(2026, 2, 1), "end_reason": "planned"}
    plan, _ = import_rows(org, [row(2, day=D(2026, 1, 12), **ended)], carol)
    assert plan.problems == []
    rows = [
        row(2, day=D(2026, 3, 2)),
        row(3, day=D(2026, 3, 2), relation="mother", rater_label="Mor"),
    ]
    plan, result = import_rows(org, rows, carol)
    assert plan.problems == [] and result.episodes == 1
    episodes = Episode.objects.filter(client__case_code="N-100").order_by("started_on")
    assert [(e.started_on, e.ended_on, e.end_reason) for e in episodes] == [
        (D(2026, 1, 5), D(2026, 2, 1), "planned"),
        (D(2026, 3, 2), None, ""),
    ]
    assert sorted(episodes[1].raters.values_list("relation", "label")) == [
        ("client", ""),
        ("mother", "Mor"),
    ]


def test_a_new_episode_may_not_overlap_an_open_one(carol, org, client_n1):
    plan = plan_import(org, [row(2, "N-001", D(2026, 3, 2), episode_start=D(2026, 3, 1))], carol)
    assert codes(plan) == [(2, "open_episode")]
