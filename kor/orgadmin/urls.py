"""Organisation administration in the product (not the Django admin): people, teams, roles."""

from django.urls import path

from kor.orgadmin import people, teams, tokens

urlpatterns = [
    path("", people.people, name="orgadmin_people"),
    path("people/invite/", people.invite_person, name="orgadmin_invite"),
    path("people/<int:user_id>/", people.person, name="orgadmin_person"),
    path("people/<int:user_id>/role/", people.person_role, name="orgadmin_person_role"),
    path("people/<int:user_id>/active/", people.person_active, name="orgadmin_person_active"),
    path(
        "people/<int:user_id>/administrator/",
        people.person_org_admin,
        name="orgadmin_person_org_admin",
    ),
    path("people/<int:user_id>/lockout/", people.person_lockout, name="orgadmin_person_lockout"),
    path(
        "people/<int:user_id>/second-factor/",
        people.person_second_factor,
        name="orgadmin_person_second_factor",
    ),
    path(
        "people/<int:user_id>/password-link/",
        people.person_password_link,
        name="orgadmin_person_password_link",
    ),
    path("teams/", teams.teams, name="orgadmin_teams"),
    path("api-tokens/", tokens.api_tokens, name="orgadmin_api_tokens"),
    path(
        "api-tokens/<int:token_id>/revoke/",
        tokens.api_token_revoke,
        name="orgadmin_api_token_revoke",
    ),
    path("teams/<int:team_id>/", teams.team, name="orgadmin_team"),
    path("teams/<int:team_id>/closed/", teams.team_closed, name="orgadmin_team_closed"),
]
