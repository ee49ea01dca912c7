"""`make loadtest`: load and fault test of gunicorn (production settings) on PostgreSQL.

1. A fresh database `<DATABASE_URL's name>_loadtest` (dropped and created; the role needs
   CREATEDB), migrated, seeded with one organisation: helpers with clients and open meetings,
   leaders with an authenticator device.
2. gunicorn with kor.settings_test (production settings, plain http) on 127.0.0.1 only.
3. locust, headless, USERS users (helpers save forms and open pages, leaders poll the dashboard),
   stopping by itself after RUN_SECONDS or MAX_REQUESTS. Midway one gunicorn worker is killed
   with SIGKILL.
4. Afterwards: the server answers again, every form's stored value equals the last save answered
   "saved" (lost saves), one row per form (duplicated saves), every episode's cached status equals
   a fresh recomputation and every form's total its items (half-written writes).

Prints `name: value unit` lines. Traffic goes to 127.0.0.1 only. Not part of `make test` or CI.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("LOADTEST_USERS", "20"))
RUN_SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "30000"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "4"))
HELPERS, LEADERS, CLIENTS_PER_HELPER = 18, 2, 8
PASSWORD = "loadtest-password-1"  # noqa: S105 (a throwaway database)


def main() -> int:
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        print(
            "make loadtest needs PostgreSQL: set DATABASE_URL to a role with CREATEDB, e.g.\n"
            '  su postgres -c "psql -c \\"CREATE ROLE kor LOGIN PASSWORD \'kor\' CREATEDB\\""\n'
            "  DATABASE_URL=postgres://kor:kor@127.0.0.1:5432/kor make loadtest",
            file=sys.stderr,
        )
        return 2
    database_url = _fresh_database(source)
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "kor.settings_test",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DB_RUNTIME_ROLE", None)
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    work = Path(tempfile.mkdtemp(prefix="kor-loadtest-"))
    plan = _seed()
    (work / "plan.json").write_text(json.dumps(plan))

    port = _free_port()
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "kor.wsgi",
            "--config",
            str(ROOT / "loadtest" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--graceful-timeout",
            "5",
            # The app is imported once in the master: a replacement worker starts at once.
            "--preload",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_until_up(port)
        kill = threading.Thread(
            target=_kill_a_worker_midway, args=(gunicorn.pid, work / "results.json"), daemon=True
        )
        kill.start()
        started = time.time()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(USERS),
                "--run-time",
                f"{RUN_SECONDS + 60}s",  # a backstop: the locustfile stops after RUN_SECONDS
                "--host",
                f"http://127.0.0.1:{port}",
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--stop-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env
            | {
                "LOADTEST_PLAN": str(work / "plan.json"),
                "LOADTEST_RESULTS": str(work / "results.json"),
                "LOADTEST_MAX_REQUESTS": str(MAX_REQUESTS),
            },
            stdout=(work / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
            timeout=RUN_SECONDS + 120,
            check=False,
        )
        kill.join(timeout=5)
        if (work / "results.started").exists():
            started = float((work / "results.started").read_text())
        recovered = _recovery(port)
        alive = _workers(gunicorn.pid)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    results = json.loads((work / "results.json").read_text())
    _report(results, recovered, alive, started)
    return 0


def _fresh_database(source: str) -> str:
    import psycopg

    config = dj_database_url.parse(source)
    name = f"{config['NAME']}_loadtest"
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        # The maintenance database: DATABASE_URL's own database need not exist yet.
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return source.rsplit("/", 1)[0] + "/" + name


def _seed() -> dict:
    """One organisation: helpers with clients (one open meeting each), leaders of the team."""
    import datetime

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clients.models import Client, Episode, Rater
    from kor.models import Membership, Organisation, Team, User
    from sessions.models import FormResponse, Meeting
    from sessions.outcome import refresh_episode

    org = Organisation.objects.create(name="Last kommune", slug="last")
    team = Team.objects.create(organisation=org, name="Last")
    plan: dict = {"helpers": [], "leaders": []}
    start = datetime.date(2026, 1, 5)
    for h in range(1, HELPERS + 1):
        helper = User.objects.create_user(f"helper{h}", password=PASSWORD, organisation=org)
        Membership.objects.create(user=helper, team=team)
        forms = []
        for c in range(1, CLIENTS_PER_HELPER + 1):
            client = Client.objects.create(
                organisation=org,
                team=team,
                responsible_helper=helper,
                case_code=f"L-{h:02d}-{c:02d}",
                birth_year=1980 + c,
            )
            episode = Episode.objects.create(client=client, started_on=start, age_group="adult")
            rater = Rater.objects.create(episode=episode)
            for n in (1, 2, 3):
                meeting = Meeting.objects.create(
                    episode=episode,
                    number=n,
                    date=start + datetime.timedelta(weeks=n - 1),
                    helper=helper,
                )
                if n < 3:  # earlier meetings are filled in; the third is today's
                    for instrument, item in (("ORS", 40 + 10 * n), ("SRS", 90)):
                        FormResponse.objects.create(
                            meeting=meeting,
                            rater=rater,
                            instrument=instrument,
                            item1=item,
                            item2=item,
                            item3=item,
                            item4=item,
                            total=4 * item,
                        )
            refresh_episode(episode)
            for instrument in ("ORS", "SRS"):
                forms.append(
                    {
                        "client": client.pk,
                        "meeting": meeting.pk,
                        "rater": rater.pk,
                        "instrument": instrument,
                        "url": f"/meetings/{meeting.pk}/raters/{rater.pk}/{instrument}/",
                    }
                )
        plan["helpers"].append({"username": helper.username, "password": PASSWORD, "forms": forms})
    for n in range(1, LEADERS + 1):
        leader = User.objects.create_user(f"leader{n}", password=PASSWORD, organisation=org)
        Membership.objects.create(user=leader, team=team, role=Membership.Role.LEADER)
        device = TOTPDevice.objects.create(user=leader, name="phone", confirmed=True)
        plan["leaders"].append(
            {"username": leader.username, "password": PASSWORD, "totp_key": device.key}
        )
    return plan


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Straight to 127.0.0.1, whatever http_proxy says.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(port: int, path: str) -> int:
    try:
        with _DIRECT.open(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return answer.status
    except Exception:  # any failure is "not answered"
        return 0


def _wait_until_up(port: int) -> None:
    for _ in range(240):  # up to two minutes on a busy machine
        if _get(port, "/login/") == 200:
            return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not come up")


def _workers(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


KILLED: dict = {}


def _kill_a_worker_midway(master: int, results: Path) -> None:
    # Locust takes a while to start: wait for its first request (it writes `started`).
    for _ in range(240):
        if results.with_suffix(".started").exists():
            break
        time.sleep(0.5)
    time.sleep(RUN_SECONDS * 0.4)
    workers = _workers(master)
    if workers:
        KILLED["pid"], KILLED["at"] = workers[0], time.time()
        os.kill(workers[0], signal.SIGKILL)


def _recovery(port: int) -> tuple[int, int]:
    # The master starts a new worker for the killed one; every request must be answered again.
    answers = [_get(port, "/login/") for _ in range(50)]
    return sum(1 for a in answers if a == 200), len(answers)


def _check_store(saves: dict) -> dict:
    from django.db import transaction
    from django.db.models import Count

    from clients.models import Episode
    from sessions.models import FormResponse
    from sessions.outcome import refresh_episode

    lost = unknown_kept = 0
    for key, attempts in saves.items():
        meeting, rater, instrument = key.split("/")
        stored = FormResponse.objects.filter(
            meeting_id=meeting, rater_id=rater, instrument=instrument
        ).first()
        stored_items = list(stored.items) if stored else None
        answered = [a for a in attempts if a[2] == "saved"]
        last = answered[-1] if answered else None
        expected = last[1] if last else None
        # A save without an answer (its worker was killed) may or may not have committed:
        # either its value or the last answered one may be stored, nothing else.
        after = [a[1] for a in attempts if a[2] == "unknown" and (last is None or a[0] > last[0])]
        if stored_items == expected:
            continue
        if stored_items in after:
            unknown_kept += 1
            continue
        if expected is None and stored is None:
            continue
        lost += 1
    duplicated = (
        FormResponse.objects.values("meeting", "rater", "instrument")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    half_written = sum(
        1 for r in FormResponse.objects.filter(status="completed") if r.total != sum(r.items)
    )
    inconsistent = 0
    fields = ("status", "severity", "flags", "latest_ors", "latest_srs", "meeting_count")
    for episode in Episode.objects.select_related("client__organisation"):
        cached = tuple(getattr(episode, f) for f in fields)
        with transaction.atomic():
            refresh_episode(episode)  # writes the recomputed cache onto this instance
            recomputed = tuple(getattr(episode, f) for f in fields)
            transaction.set_rollback(True)
        inconsistent += cached != recomputed
    return {
        "lost": lost,
        "unknown_kept": unknown_kept,
        "duplicated": duplicated,
        "half_written": half_written,
        "inconsistent": inconsistent,
    }


def _report(results: dict, recovered: tuple[int, int], alive: list[int], started: float) -> None:
    from django.db import close_old_connections

    close_old_connections()
    store = _check_store(results["saves"])
    kinds = results["kinds"]
    at = KILLED.get("at")
    # Requests that failed within 2 s of the kill: in flight on the killed worker.
    at_kill = sum(1 for t in results["failure_times"] if at and at - 0.5 <= t <= at + 2)
    answered = sum(1 for tries in results["saves"].values() for a in tries if a[2] == "saved")
    sent_again = kinds.get("save (sent again)", {}).get("requests", 0)
    lines = [
        ("loadtest_users", USERS, "users"),
        ("loadtest_gunicorn_workers", WORKERS, "workers"),
        ("loadtest_duration", f"{results['duration']:.1f}", "s"),
        ("loadtest_requests", results["requests"], "requests"),
        ("loadtest_requests_per_second", f"{results['rps']:.1f}", "req/s"),
    ]
    for name, kind in sorted(kinds.items()):
        if name == "Aggregated":
            continue
        slug = name.replace(" ", "_").replace("(", "").replace(")", "")
        lines.append((f"loadtest_{slug}_requests", kind["requests"], "requests"))
        lines.append((f"loadtest_{slug}_p50", kind["p50"], "ms"))
        lines.append((f"loadtest_{slug}_p95", kind["p95"], "ms"))
    lines += [
        ("loadtest_errors", results["failures"], "errors"),
        ("loadtest_errors_at_worker_kill", at_kill, "errors"),
        ("loadtest_errors_other", results["failures"] - at_kill, "errors"),
        ("loadtest_saves_answered_saved", answered, "saves"),
        # Saves that got no answer and were sent again, as the page does (request-failure.js).
        ("loadtest_saves_sent_again", sent_again, "saves"),
        ("loadtest_lost_saves", store["lost"], "forms"),
        ("loadtest_unanswered_saves_stored", store["unknown_kept"], "forms"),
        ("loadtest_duplicated_saves", store["duplicated"], "forms"),
        ("loadtest_half_written_forms", store["half_written"], "forms"),
        ("loadtest_inconsistent_episode_status", store["inconsistent"], "episodes"),
        ("loadtest_worker_killed_after", f"{(at - started) if at else -1:.1f}", "s"),
        ("loadtest_workers_after", len(alive), "workers"),
        ("loadtest_recovery_answered", f"{recovered[0]}/{recovered[1]}", "requests"),
    ]
    for name, value, unit in lines:
        print(f"{name}: {value} {unit}")
    for error in results["errors"][:10]:
        print(f"# {error['count']}x {error['name']}: {error['error'][:160]}")


if __name__ == "__main__":
    sys.exit(main())
