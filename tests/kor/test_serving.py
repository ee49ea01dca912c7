"""Behind a proxy gunicorn listens where only the proxy reaches it (issue 12, proxy trust)."""

from __future__ import annotations

import runpy
from pathlib import Path

from django.conf import settings

from kor.serving import gunicorn_bind


def test_behind_a_proxy_it_listens_on_the_loopback_address_only():
    assert gunicorn_bind({"BEHIND_PROXY": "1"}) == ["127.0.0.1:8000"]
    assert gunicorn_bind({"BEHIND_PROXY": "true"}) == ["127.0.0.1:8000"]


def test_an_explicit_bind_wins():
    environ = {"BEHIND_PROXY": "1", "GUNICORN_BIND": "unix:/run/kor/gunicorn.sock"}
    assert gunicorn_bind(environ) == ["unix:/run/kor/gunicorn.sock"]
    assert gunicorn_bind({"GUNICORN_BIND": "10.0.0.5:8000, 127.0.0.1:8001"}) == [
        "10.0.0.5:8000",
        "127.0.0.1:8001",
    ]


def test_without_a_proxy_it_listens_everywhere_and_trusts_no_forwarded_header():
    assert gunicorn_bind({}) == ["0.0.0.0:8000"]
    assert gunicorn_bind({"BEHIND_PROXY": "0"}) == ["0.0.0.0:8000"]
    assert settings.PROXY_HOPS == 0  # the test settings: no proxy, X-Forwarded-For ignored


def test_gunicorn_reads_the_rule_from_its_settings_file(monkeypatch):
    monkeypatch.setenv("BEHIND_PROXY", "1")
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert conf["bind"] == ["127.0.0.1:8000"]


def test_no_deployment_file_overrides_the_bind_on_the_command_line():
    base = Path(settings.BASE_DIR)
    for name in ("Dockerfile", "docker-compose.yml"):
        assert "--bind" not in (base / name).read_text(), name
