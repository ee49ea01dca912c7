"""Settings come from the environment, and the production ones are safe."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "TESTING",
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests, refused by --deploy
        )
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean | {"DJANGO_SETTINGS_MODULE": "kor.settings"} | env,
        timeout=120,
    )


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = run_django("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_the_development_key_in_production():
    result = run_django("check", SECRET_KEY="dev-only-insecure-key-do-not-use-in-production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_development_key_is_accepted_with_debug():
    assert run_django("check", DEBUG="1").returncode == 0


def test_production_settings_pass_the_deployment_checklist():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x9Yq2" * 10,
        ALLOWED_HOSTS="kor.example.no",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
