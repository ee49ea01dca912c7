"""Opening and saving a form through a link (issue 14), for `manage.py bench session`:
`remote_save_p95_ms` is one GET of the client's page and one POST of the ORS, as the client's
phone sends them (no login, the throttle, the token's hash lookup, the save through record_form
with the status refresh and the audit rows). Each run gets a link of its own (single use), and
the meeting's ORS is removed between runs (untimed), so every save is a real first save."""

from __future__ import annotations

import time

from django.test import Client as Browser
from django.test.utils import override_settings

from clients.models import Client
from kor.models import User
from sessions import remote
from sessions.models import FormResponse, RemoteLink

RUNS = 100


def remote_times(client: Client, helper: User, runs: int = RUNS) -> list[float]:
    """Milliseconds of open + save through a fresh link, sorted."""
    episode = client.episodes.get()
    meeting = episode.meetings.order_by("-number").first()
    rater = episode.raters.get()
    data = {"instrument": "ORS", "f-status": "completed"}
    data |= {f"f-item{i}": "5,5" for i in range(1, 5)}
    times = []
    # Many links from one address in a few seconds: far above the throttle meant for people.
    with override_settings(KOR_LINK_RATE_PER_IP=10**6, KOR_LINK_RATE_PER_TOKEN=10**6):
        for n in range(runs + 5):
            FormResponse.objects.filter(meeting=meeting, rater=rater, instrument="ORS").delete()
            _link, token = remote.create_link(
                meeting=meeting, rater=rater, part="before", channel="screen", contact="", by=helper
            )
            phone = Browser()
            path = f"/f/{token}/"
            begin = time.perf_counter()
            opened = phone.get(path)
            saved = phone.post(path, data)
            elapsed = (time.perf_counter() - begin) * 1000
            if opened.status_code != 200 or saved.status_code != 302:
                raise RuntimeError(f"link failed: {opened.status_code} {saved.status_code}")
            if n >= 5:  # the first few warm up
                times.append(elapsed)
    RemoteLink.objects.filter(meeting=meeting).delete()
    return sorted(times)


def p95(times: list[float]) -> float:
    return times[max(int(len(times) * 0.95) - 1, 0)]
