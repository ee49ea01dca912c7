"""The dashboard benchmark runs, and prints its figures as `name: value unit` lines."""

from __future__ import annotations

import io
import re

from django.core.management.base import OutputWrapper

from clients import bench


def test_it_prints_the_figures_with_the_same_query_count_at_both_sizes(db):
    buffer = io.StringIO()
    # What `manage.py bench` hands the module: Django's wrapper that ends each write with a newline.
    bench.run(OutputWrapper(buffer), {"clients": 1700, "keepdb": False, "runs": 5})
    lines = dict(
        re.match(r"^(\w+): ([\d.]+) (\w+)$", line).group(1, 2)
        for line in buffer.getvalue().splitlines()
        if not line.startswith("#")
    )
    assert set(lines) >= {
        "dashboard_p50_ms",
        "dashboard_p95_ms",
        "dashboard_queries_150",
        "dashboard_queries_1500",
        "floor_p50_ms",
        "bare_p50_ms",
        "dashboard_p50_x_floor",
    }
    assert float(lines["dashboard_p50_ms"]) <= float(lines["dashboard_p95_ms"])
    assert lines["dashboard_queries_150"] == lines["dashboard_queries_1500"]
