"""`python manage.py bench reports`: seconds per client report and for a team of 1,500 clients.

Seeds (once, with --keepdb) a demo organisation with one team of 1,500 clients through the demo
seeder's bulk inserts, then times, warm:
- client reports (data + chart + PDF) for 50 clients with 10-20 meetings: p50 and p95;
- the team report (statistics, per helper, change chart, off-track list, PDF) over the team.
Goals: 0.5 s per client report, 10 s for the team report.
"""

from __future__ import annotations

import datetime
import statistics
import time

from clients.models import Client, Episode
from kor.models import Organisation, Team

SLUG = "bench-reports"
TEAM_CLIENTS = 1500
SAMPLE = 50


def _seed(out) -> Organisation:
    from kor.demo import seed

    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:
        return org
    started = time.perf_counter()
    result = seed(
        clients=TEAM_CLIENTS, seed=7, name="Bench reports", slug=SLUG, helpers=30, teams=1
    )
    out.write(
        f"# seeded {result.clients} clients, {result.meetings} meetings, "
        f"{result.responses} forms in {time.perf_counter() - started:.1f} s"
    )
    return result.organisation


def _sample(org: Organisation) -> list[Episode]:
    """The latest episode of the first clients with 10-20 meetings."""
    episodes = (
        Episode.objects.filter(
            client__organisation=org, meeting_count__gte=10, meeting_count__lte=20
        )
        .select_related("client__organisation", "client__team", "client__responsible_helper")
        .order_by("client__case_code", "-started_on")
    )
    chosen: dict[int, Episode] = {}
    for episode in episodes:
        chosen.setdefault(episode.client_id, episode)
        if len(chosen) == SAMPLE:
            break
    return list(chosen.values())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def run(out, options) -> None:
    from sessions.reports.data import client_report_data, team_report_data
    from sessions.reports.pdf import client_report_pdf, team_report_pdf

    org = _seed(out)
    sample = _sample(org)
    if not sample:
        out.write("# no clients with 10-20 meetings were seeded")
        return

    def client_report(episode: Episode) -> bytes:
        client = Client.objects.select_related("organisation", "team", "responsible_helper").get(
            pk=episode.client_id
        )
        data = client_report_data(client, episode)
        return client_report_pdf(data, printed_by="bench", lang="nb")

    client_report(sample[0])  # warm: fonts, templates, matplotlib
    times, cpu = [], []
    for episode in sample:
        started, started_cpu = time.perf_counter(), time.process_time()
        client_report(episode)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    meetings = [e.meeting_count for e in sample]
    # CPU time as well: on a shared machine the wall clock counts other processes' turns too.
    out.write(
        f"# {len(sample)} client reports, {min(meetings)}-{max(meetings)} meetings, "
        f"mean {statistics.mean(times):.3f} s; cpu p50 {_percentile(cpu, 0.5):.3f} s, "
        f"p95 {_percentile(cpu, 0.95):.3f} s"
    )
    out.write(f"client_report_p50_s: {_percentile(times, 0.5):.3f} s")
    out.write(f"client_report_p95_s: {_percentile(times, 0.95):.3f} s")

    team = Team.objects.filter(organisation=org).order_by("pk").first()
    end = datetime.date.today()
    start = end - datetime.timedelta(days=730)
    started, started_cpu = time.perf_counter(), time.process_time()
    data = team_report_data(team, start, end)
    content = team_report_pdf(data, printed_by="bench", lang="nb")
    seconds = time.perf_counter() - started
    out.write(
        f"# team report: {Client.objects.filter(team=team).count()} clients, "
        f"{data.figures['closed']} closed in two years, {len(data.helpers)} helpers, "
        f"{len(data.off_track)} off track, {len(content) // 1024} kB; "
        f"cpu {time.process_time() - started_cpu:.3f} s"
    )
    out.write(f"team_report_1500_s: {seconds:.3f} s")
