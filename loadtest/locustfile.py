"""The load mix (locust, headless): helpers open client and meeting pages and save forms; leaders
poll the team dashboard. Run by loadtest/run.py, which seeds the accounts and reads the results.

Every save is remembered per form: the value sent, and whether the answer said "saved". After the
run the stored forms are compared with the last value answered "saved" (lost saves).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time

import gevent
from django_otp.oath import TOTP
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115 (read once)
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "30000"))
RUN_SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

_helpers = itertools.cycle(PLAN["helpers"])
_leaders = itertools.cycle(PLAN["leaders"])
_lock = threading.Lock()
# form key -> list of (sequence, items, outcome) with outcome "saved", "refused" or "unknown".
SAVES: dict[str, list] = {}
_sequence = itertools.count()
_requests = itertools.count(1)


_environment: dict = {}


@events.init.add_listener
def _keep(environment, **kwargs):
    _environment["runner"] = environment.runner


@events.test_start.add_listener
def _time_limit(environment, **kwargs):
    # Bounded in time from the first user on (locust's --run-time, set longer by run.py as a
    # backstop, also counts its own start-up, which takes seconds on a busy machine).
    gevent.spawn_later(RUN_SECONDS, environment.runner.quit)
    started = os.environ["LOADTEST_RESULTS"].removesuffix(".json") + ".started"
    with open(started, "w") as out:
        out.write(str(time.time()))


@events.request.add_listener
def _bound(**kwargs):
    # Bounded in requests as well as in time (--run-time): stop after MAX_REQUESTS.
    if next(_requests) == MAX_REQUESTS and _environment.get("runner") is not None:
        gevent.spawn(_environment["runner"].quit)


@events.test_stop.add_listener
def _write_results(environment, **kwargs):
    stats = environment.stats
    kinds = {}
    for (name, _method), entry in stats.entries.items():
        kinds[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
        }
    total = stats.total
    errors = [
        {"name": e.name, "error": str(e.error), "count": e.occurrences}
        for e in stats.errors.values()
    ]
    duration = max((total.last_request_timestamp or total.start_time) - total.start_time, 1e-9)
    result = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "duration": duration,
        "rps": total.num_requests / duration,
        "kinds": kinds,
        "errors": errors,
        "saves": SAVES,
        "failure_times": FAILURE_TIMES,
    }
    with open(os.environ["LOADTEST_RESULTS"], "w") as out:
        json.dump(result, out)


FAILURE_TIMES: list[float] = []


@events.request.add_listener
def _failure_time(exception=None, **kwargs):
    if exception is not None:
        FAILURE_TIMES.append(time.time())


class _Person(FastHttpUser):
    """geventhttpclient, not python-requests: the load tool shares the server's two cores, and
    its own cost per request is a fraction of HttpUser's, which is left to the server."""

    abstract = True

    def _login(self, username: str, password: str) -> None:
        host = self.host.split("//", 1)[-1].split(":", 1)[0]
        self.client.cookiejar.set_cookie(create_cookie("django_language", "en", domain=host))
        page = self.client.get("/login/", name="login")
        token = CSRF.search(page.content).group(1).decode()
        self.client.post(
            "/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
            name="login",
        )

    def _page(self, path: str, name: str, headers: dict | None = None) -> None:
        """A page of the app: a redirect to the login or the second step is a failure too."""
        with self.client.get(path, headers=headers, name=name, catch_response=True) as answer:
            if (
                answer.status_code not in (200, 204)
                or "/login/" in answer.url
                or "/account/" in answer.url
            ):
                answer.failure(f"{answer.status_code} at {answer.url}")

    def _csrf_header(self) -> dict:
        token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        return {"X-CSRFToken": token, "HX-Request": "true"}


class Helper(_Person):
    """Opens a client's page, the meeting, and saves the meeting's forms with new values."""

    weight = 9
    # A short pause between requests, so that 20 users ask for more than the server can do and
    # the run measures what it holds. With 0.05-0.3 s (0.175 s on average) 18 helpers could ask
    # for no more than 103 requests a second even of a server that answered at once: the run
    # measured the pauses, not the server, which had a seventh of its CPU idle.
    wait_time = between(0.02, 0.1)

    def on_start(self) -> None:
        self.me = next(_helpers)
        self._login(self.me["username"], self.me["password"])

    @task(3)
    def client_page(self) -> None:
        form = random.choice(self.me["forms"])
        self._page(f"/clients/{form['client']}/", "client page")

    @task(2)
    def meeting_page(self) -> None:
        form = random.choice(self.me["forms"])
        self._page(f"/meetings/{form['meeting']}/", "meeting page")

    @task(5)
    def save(self) -> None:
        form = random.choice(self.me["forms"])
        items = [random.randint(0, 100) for _ in range(4)]
        prefix = f"r{form['rater']}-{form['instrument']}-"
        data = {prefix + "status": "completed"}
        data |= {f"{prefix}item{i}": f"{v / 10:.1f}" for i, v in enumerate(items, 1)}
        key = f"{form['meeting']}/{form['rater']}/{form['instrument']}"
        headers = self._csrf_header()
        with self.client.post(
            form["url"], data, headers=headers, name="save", catch_response=True
        ) as response:
            if self._answered(response, _attempt(key, items)):
                return
            # No clean answer (a killed worker): the page sends the form once more, marked, after
            # a moment (static/js/request-failure.js). Only if that fails too does the helper see
            # "Not saved".
            gevent.sleep(RETRY_AFTER)
            with self.client.post(
                form["url"],
                data,
                headers=headers | {"X-KOR-Retry": "1"},
                name="save (sent again)",
                catch_response=True,
            ) as again:
                repeat = _attempt(key, items)
                self._answered(again, repeat)
                if repeat[2] == "saved":  # the helper sees "Saved."
                    response.success()
                else:
                    response.failure(f"sent again: {repeat[2]}")

    @staticmethod
    def _answered(response, attempt: list) -> bool:
        """Mark the attempt and the request by the answer; False if there was none."""
        body = response.content or b""
        length = (response.headers or {}).get("Content-Length")  # none without an answer
        if length and len(body) < int(length):
            # Cut off mid-answer (its worker killed while sending): no answer, as a browser
            # takes it. The save may have been stored.
            response.failure("answer cut off")
            return False
        if response.status_code == 200 and (
            b"Saved." in response.content or b"Already saved" in response.content
        ):
            attempt[2] = "saved"
            response.success()
            return True
        if response.status_code in (200, 400):
            attempt[2] = "refused"  # answered, but not "saved": the value must not be stored
            response.failure(f"not saved: {response.status_code}")
            return True
        # Left "unknown": the form may or may not have been stored.
        return False


# As the page waits before it sends a form again (request-failure.js).
RETRY_AFTER = 1.0


def _attempt(key: str, items: list[int]) -> list:
    with _lock:
        attempt = [next(_sequence), items, "unknown"]
        SAVES.setdefault(key, []).append(attempt)
    return attempt


class Leader(_Person):
    """Polls the team dashboard as the page does (htmx), now and then loading it whole."""

    weight = 1
    wait_time = between(0.2, 0.6)

    def on_start(self) -> None:
        self.me = next(_leaders)
        self._login(self.me["username"], self.me["password"])
        page = self.client.get("/account/two-factor/", name="login")
        token = CSRF.search(page.content).group(1).decode()
        key = bytes.fromhex(self.me["totp_key"])
        # The current code of the seeded authenticator (django_otp computes the same).
        totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
        self.client.post(
            "/account/two-factor/",
            {"token": f"{totp.token():06d}", "csrfmiddlewaretoken": token},
            name="login",
        )

    @task(4)
    def poll(self) -> None:
        self._page("/team/", "dashboard (htmx)", {"HX-Request": "true"})

    @task(1)
    def dashboard(self) -> None:
        self._page("/team/", "dashboard")
