"""The floor every web benchmark is measured against, in the same run.

- floor: a view that runs one indexed query, requested by a logged-in helper through the whole
  middleware stack with Django's test client, as the benchmarks request their own pages;
- bare: the same request to the same view through the same test client, URL resolving and request
  transaction, but without the middleware stack: one stand-in hands the view its user, already
  loaded, as AuthenticationMiddleware would.

floor - bare is the toll the middleware stack takes from every request (session, user, two-step
rule, CSRF, security headers, the session write). A page's figure divided by the floor says how
much the page itself costs, on whatever machine the run happens to be.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

from clients.models import Client
from kor.models import User

FLOOR_PATH = "/bench/floor/"
RUNS, WARMUP = 300, 20


@login_required
def floor_view(request: HttpRequest) -> HttpResponse:
    """One query on an index (clients by responsible helper), a few bytes of answer."""
    count = Client.objects.filter(responsible_helper_id=request.user.pk).count()
    return HttpResponse(str(count), content_type="text/plain")


# The floor view is mounted only here: the benchmarks and tests use this URLconf, the app never.
urlpatterns = [
    path(FLOOR_PATH.strip("/") + "/", floor_view, name="bench_floor"),
    path("", include("kor.urls")),
]


BARE_USER = "kor.bench_user"  # the WSGI environ entry that carries the bare run's user


class GivenUserMiddleware:
    """The whole middleware stack of the bare run: request.user, loaded before the timing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = request.META[BARE_USER]
        return self.get_response(request)


@dataclass(frozen=True)
class Floor:
    floor_p50_ms: float
    bare_p50_ms: float
    floor_queries: int
    # This process's CPU time alone (not the database server's): steadier on a busy machine.
    floor_cpu_p50_ms: float = 0.0
    bare_cpu_p50_ms: float = 0.0


def measure(user: User, runs: int = RUNS) -> Floor:
    """Time the floor view `runs` times for `user` (a helper) each way."""
    from kor.security.testing import pass_second_factor

    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        browser = Browser()
        browser.force_login(user)
        pass_second_factor(browser, user)
        floor_ms, floor_cpu = _p50(lambda: _get(browser), runs)
        with CaptureQueriesContext(connection) as queries:
            _get(browser)
        floor_queries = len(queries)  # now: every request start empties the query log
        with override_settings(MIDDLEWARE=[f"{__name__}.GivenUserMiddleware"]):
            bare = Browser()  # loads this one middleware at its first request
            bare_ms, bare_cpu = _p50(lambda: _get(bare, **{BARE_USER: user}), runs)
    return Floor(floor_ms, bare_ms, floor_queries, floor_cpu, bare_cpu)


def _get(browser: Browser, **environ: object) -> None:
    response = browser.get(FLOOR_PATH, secure=True, **environ)
    if response.status_code != 200:
        raise RuntimeError(f"floor view answered {response.status_code}")


def _p50(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of `call`."""
    for _ in range(WARMUP):
        call()
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu)


def statements_of(call: Callable[[], object]) -> list[str]:
    """The SQL one call sends, with its values written in (as the query log holds it)."""
    call()  # warm: the first call may read what later ones have cached
    with CaptureQueriesContext(connection) as queries:
        call()
    return [query["sql"] for query in queries]


def statements_p50(statements: list[str], runs: int = 100) -> float:
    """Median milliseconds of sending `statements` (from `statements_of`, values written in)
    straight through the driver, prepared, with no ORM and no template: what the database and
    the round trips alone cost a request. Writes are sent too (the same values again), and
    BEGIN/COMMIT where the request had them: a commit's flush to disk is part of a save's cost."""
    connection.ensure_connection()
    raw = connection.connection
    postgres = connection.vendor == "postgresql"

    def send() -> None:
        cursor = raw.cursor()
        for sql in statements:
            # Without parameters the driver sends the text as it is (a % stays a %).
            if postgres:
                cursor.execute(sql, prepare=sql not in ("BEGIN", "COMMIT"))
            else:
                cursor.execute(sql)  # sqlite3 keeps its own cache of prepared statements
            if cursor.description:
                cursor.fetchall()
        cursor.close()

    return _p50(send, runs)[0]


def write_floor(out, floor: Floor) -> None:
    out.write(f"floor_p50_ms: {floor.floor_p50_ms:.2f} ms")
    out.write(f"bare_p50_ms: {floor.bare_p50_ms:.2f} ms")
    out.write(f"floor_x_bare: {floor.floor_p50_ms / floor.bare_p50_ms:.1f} x")
    out.write(f"floor_queries: {floor.floor_queries} queries")
    out.write(f"floor_cpu_p50_ms: {floor.floor_cpu_p50_ms:.2f} ms")
    out.write(f"bare_cpu_p50_ms: {floor.bare_cpu_p50_ms:.2f} ms")


def write_ratio(out, name: str, milliseconds: float, floor: Floor, *, cpu: bool = False) -> None:
    """`<name>_x_floor: 2.1 x`: a benchmark's figure in floors of the same run (CPU time
    against the floor's CPU time with cpu=True)."""
    base = floor.floor_cpu_p50_ms if cpu else floor.floor_p50_ms
    out.write(f"{name}_x_floor: {milliseconds / base:.1f} x")
