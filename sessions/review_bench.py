"""`python manage.py bench review`: what the off-track review costs (issue 16).

Seeds a team of `clients` episodes (500 by default) of 10 meetings each, a third of them off
track, and times: the status refresh of an off-track episode of 20 meetings (it replays the
status at every meeting for the spell), and the review figures of the statistics page over the
whole team (three queries, the status replayed for every episode in Python).
"""

from __future__ import annotations

import datetime
import statistics
import time

from clients.models import Client, Episode, Rater
from kor.models import Membership, Organisation, Team, User
from sessions.models import FormResponse, Meeting
from sessions.outcome import refresh_episode
from sessions.review_stats import review_figures

START = datetime.date(2026, 1, 5)


def _series(k: int, meetings: int) -> list[float]:
    if k % 3 == 0:  # off track: no change from an intake of 12
        return [12.0] * meetings
    return [min(12.0 + 2.5 * m, 38.0) for m in range(meetings)]


def _forms(meeting: Meeting, rater: Rater, total: float, helper: User) -> list[FormResponse]:
    tenths = round(total * 10)
    items = [tenths // 4 + (1 if i < tenths % 4 else 0) for i in range(4)]
    fields = dict(zip(("item1", "item2", "item3", "item4"), items, strict=True))
    srs = dict.fromkeys(("item1", "item2", "item3", "item4"), 95)
    return [
        FormResponse(meeting=meeting, rater=rater, instrument="ORS", total=tenths, **fields),
        FormResponse(meeting=meeting, rater=rater, instrument="SRS", total=380, **srs),
    ]


def _seed(count: int, meetings: int = 10) -> tuple[Organisation, User]:
    org = Organisation.objects.create(name="Review bench", slug="review-bench")
    team = Team.objects.create(organisation=org, name="Team")
    helper = User.objects.create_user("review-helper", organisation=org)
    leader = User.objects.create_user("review-leader", organisation=org)
    Membership.objects.create(user=helper, team=team)
    Membership.objects.create(user=leader, team=team, role=Membership.Role.LEADER)
    clients = Client.objects.bulk_create(
        Client(
            organisation=org,
            team=team,
            responsible_helper=helper,
            case_code=f"RB-{k}",
            birth_year=1990,
        )
        for k in range(count)
    )
    episodes = Episode.objects.bulk_create(
        Episode(client=c, started_on=START, last_meeting_on=START, age_group="adult")
        for c in clients
    )
    raters = Rater.objects.bulk_create(Rater(episode=e, relation="client") for e in episodes)
    rows = Meeting.objects.bulk_create(
        Meeting(episode=e, number=m + 1, date=START + datetime.timedelta(weeks=m), helper=helper)
        for e in episodes
        for m in range(meetings)
    )
    forms = []
    for k, rater in enumerate(raters):
        for m, total in enumerate(_series(k, meetings)):
            forms += _forms(rows[k * meetings + m], rater, total, helper)
    FormResponse.objects.bulk_create(forms, batch_size=5000)
    Episode.objects.filter(client__organisation=org).update(
        last_meeting_on=START + datetime.timedelta(weeks=meetings - 1)
    )
    return org, leader


def _lengthen(episode: Episode, total: float) -> None:
    """Meetings 11-20 for the episode, each with the same ORS."""
    helper = episode.client.responsible_helper
    if episode.meetings.count() >= 20:
        return
    extra = Meeting.objects.bulk_create(
        Meeting(episode=episode, number=m + 1, date=START, helper=helper) for m in range(10, 20)
    )
    rater = episode.raters.get()
    FormResponse.objects.bulk_create(f for m in extra for f in _forms(m, rater, total, helper))


def _p50(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(out, options) -> None:
    count = min(int(options.get("clients") or 500), 5000)
    started = time.perf_counter()
    org = Organisation.objects.filter(slug="review-bench").first()  # --keepdb: seeded already
    if org is None:
        org, _leader = _seed(count)
    out.write(f"# seeded {count} episodes of 10 meetings in {time.perf_counter() - started:.1f} s")
    first, second = Episode.objects.filter(client__organisation=org).order_by("pk")[:2]
    for episode, total in ((first, 12.0), (second, 38.0)):  # off track; on track
        _lengthen(episode, total)
        refresh_episode(episode)
    assert first.assessment["review"]["meetings"] >= 10 and "review" not in second.assessment
    for name, episode in (("offtrack", first), ("ontrack", second)):
        p50 = _p50(lambda e=episode: refresh_episode(e), 50)
        out.write(f"review_refresh_{name}_20_meetings_p50: {p50:.1f} ms")
    episodes = Episode.objects.filter(client__organisation=org)
    end = START + datetime.timedelta(days=365)
    figures = review_figures(episodes, START, end, None, None, 10)
    out.write(f"# review figures: {figures.team.not_reviewed.n} off-track episodes counted")
    p50 = _p50(lambda: review_figures(episodes, START, end, None, None, 10), 3)
    out.write(f"review_figures_{count}_episodes_p50: {p50:.0f} ms")
