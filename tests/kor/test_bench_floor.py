"""The floor of the web benchmarks: one indexed query behind the whole middleware stack."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management.base import OutputWrapper

from kor import bench


def _lines(text: str) -> dict[str, str]:
    return dict(
        re.match(r"^(\w+): ([\d.]+) (\w+)$", line).group(1, 2)
        for line in text.splitlines()
        if not line.startswith("#")
    )


# Outside a test's transaction, as a live request runs (inside one, ATOMIC_REQUESTS would show
# as savepoints).
@pytest.mark.django_db(transaction=True)
def test_the_floor_costs_a_helper_the_session_the_user_and_one_query(alice, client_n1):
    floor = bench.measure(alice, runs=5)

    # Read the session, read the user, BEGIN, the view's query, COMMIT (ATOMIC_REQUESTS):
    # no session write, no two-step queries.
    assert floor.floor_queries == 5
    assert floor.floor_p50_ms > floor.bare_p50_ms > 0


@pytest.mark.django_db(transaction=True)
def test_a_requests_statements_are_timed_alone_without_django(alice, client_n1):
    from django.test import Client as Browser

    from clients.models import Client

    browser = Browser()
    browser.force_login(alice)
    url = f"/clients/{client_n1.pk}/"
    statements = bench.statements_of(lambda: browser.get(url))
    assert any("clients_client" in sql for sql in statements)

    # A write among them is sent again, as logged (values written in, a literal % kept).
    update = f"UPDATE clients_client SET name = 'Kari 100%' WHERE id = {client_n1.pk}"  # noqa: S608
    assert bench.statements_p50([*statements, update], runs=3) > 0
    assert Client.objects.get(pk=client_n1.pk).name == "Kari 100%"


def test_it_prints_the_floor_and_a_figure_as_a_multiple_of_it():
    buffer = io.StringIO()
    out = OutputWrapper(buffer)
    floor = bench.Floor(4.0, 1.0, 5, floor_cpu_p50_ms=2.0, bare_cpu_p50_ms=0.5)

    bench.write_floor(out, floor)
    bench.write_ratio(out, "session_save_p50", 10.0, floor)
    bench.write_ratio(out, "session_save_cpu_p50", 3.0, floor, cpu=True)

    assert _lines(buffer.getvalue()) == {
        "floor_p50_ms": "4.00",
        "bare_p50_ms": "1.00",
        "floor_x_bare": "4.0",
        "floor_queries": "5",
        "floor_cpu_p50_ms": "2.00",
        "bare_cpu_p50_ms": "0.50",
        "session_save_p50_x_floor": "2.5",
        "session_save_cpu_p50_x_floor": "1.5",
    }
