"""`python manage.py bench import`: a synthetic 100,000-row CSV imported by a team leader.

The file: 10,000 clients of 5 teams, 5 weekly meetings each with an ORS and an SRS (items with
decimal commas, Norwegian headers, semicolons), so 10,000 new clients and episodes, 50,000
meetings and 100,000 forms. Timed: reading the file, the preview (checks and matching), and the
import with the status and flags of every episode. Then the same file again (nothing to create).

Prints `import_100k_rows_s` (read + preview + import, the whole path a leader waits for), its
parts, and `import_100k_again_s` (the idempotent second run).
"""

from __future__ import annotations

import datetime
import io
import random
import time

from clients.models import Episode
from kor.models import Membership, Organisation, Team, User
from sessions.imports.readers import read_csv
from sessions.imports.service import apply_import, plan_import
from sessions.models import FormResponse

CLIENTS = 10_000
MEETINGS = 5
HEADER = "Klientnr;Dato;Skjema;Utfylt av;Skala 1;Skala 2;Skala 3;Skala 4;Behandler;Team\n"


def synthetic_csv(clients: int = CLIENTS, meetings: int = MEETINGS, seed: int = 7) -> bytes:
    """A sheet as a municipal service might keep it: one row per form, decimal commas."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(HEADER)
    first = datetime.date(2024, 1, 8)
    for n in range(clients):
        day = first + datetime.timedelta(days=n % 400)
        score = rng.uniform(1.5, 7.0)
        for _k in range(meetings):
            ors = [min(10.0, max(0.0, score + rng.uniform(-1, 1))) for _ in range(4)]
            srs = [rng.uniform(7.5, 10.0) for _ in range(4)]
            team = f"Team {n % 5 + 1}"
            for form, items in (("ORS", ors), ("SRS", srs)):
                cells = ";".join(f"{v:.1f}".replace(".", ",") for v in items)
                out.write(f"K-{n:06d};{day:%d.%m.%Y};{form};klient;{cells};helper{n % 5};{team}\n")
            day += datetime.timedelta(weeks=1)
            score += rng.uniform(-0.5, 1.2)
    return out.getvalue().encode("utf-8")


def _seed() -> tuple[Organisation, User]:
    org = Organisation.objects.create(name="Import kommune", slug="import-bench")
    leader = User.objects.create(username="leader", organisation=org, password="!")  # noqa: S106
    for k in range(5):
        team = Team.objects.create(organisation=org, name=f"Team {k + 1}")
        helper = User.objects.create(username=f"helper{k}", organisation=org, password="!")  # noqa: S106
        Membership.objects.create(user=helper, team=team)
        Membership.objects.create(user=leader, team=team, role=Membership.Role.LEADER)
    return org, leader


def run(out, options) -> None:
    org = Organisation.objects.filter(slug="import-bench").first()
    if org is not None:  # --keepdb: start from an empty organisation again
        FormResponse.objects.filter(meeting__episode__client__organisation=org).delete()
        Episode.objects.filter(client__organisation=org).delete()
        org.clients.all().delete()
        leader = User.objects.get(username="leader")
    else:
        org, leader = _seed()
    content = synthetic_csv()
    out.write(f"# file: {len(content) / 1e6:.1f} MB")
    started, cpu = time.perf_counter(), time.process_time()
    parsed = read_csv(content)
    read_s = time.perf_counter() - started
    plan = plan_import(org, parsed.rows, leader, lines=parsed.lines)
    plan_s = time.perf_counter() - started - read_s
    result = apply_import(plan)
    total_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu
    assert not parsed.problems and not plan.problems, (parsed.problems[:3], plan.problems[:3])
    assert result.forms == CLIENTS * MEETINGS * 2, result
    assert not Episode.objects.filter(client__organisation=org, status="none").exists()
    out.write(f"# rows: {len(parsed.rows)}, episodes refreshed: {len(result.episode_ids)}")
    out.write(f"import_read_s: {read_s:.2f} s")
    out.write(f"import_preview_s: {plan_s:.2f} s")
    out.write(f"import_store_s: {total_s - read_s - plan_s:.2f} s")
    out.write(f"import_100k_rows_s: {total_s:.2f} s")
    # CPU time of this process (the database is in-process on SQLite): varies less with load.
    out.write(f"import_100k_rows_cpu_s: {cpu_s:.2f} s")
    started = time.perf_counter()
    again = plan_import(org, read_csv(content).rows, leader)
    second = apply_import(again)
    assert second.forms == 0 and again.matched_forms == result.forms
    out.write(f"import_100k_again_s: {time.perf_counter() - started:.2f} s")
