"""Where gunicorn listens (gunicorn.conf.py reads this; kept here so a test can check it).

Behind a proxy (BEHIND_PROXY=1) the app trusts the X-Forwarded-For entries its own proxies add
(PROXY_HOPS) for the audit log and the login lockout. Anyone who reaches gunicorn directly writes
that header themselves, and so could pick a new address for every guess and never be locked out.
So behind a proxy gunicorn listens on the loopback address by default, where only a proxy on the
same host (or in the same network namespace) reaches it. Elsewhere, set GUNICORN_BIND to what only
the proxy can reach: a unix socket it shares (`unix:/run/kor/gunicorn.sock`) or a private address.
"""

from __future__ import annotations

from collections.abc import Mapping

PORT = 8000


def gunicorn_bind(environ: Mapping[str, str]) -> list[str]:
    explicit = [b.strip() for b in environ.get("GUNICORN_BIND", "").split(",") if b.strip()]
    if explicit:
        return explicit
    if _on(environ.get("BEHIND_PROXY", "")):
        return [f"127.0.0.1:{PORT}"]
    # Without a proxy X-Forwarded-For is ignored (PROXY_HOPS=0), so listening everywhere is safe
    # for the lockout (a container needs it to be reachable through its published port).
    return [f"0.0.0.0:{PORT}"]


def _on(value: str) -> bool:
    # The rule of kor.env.envbool, on a given mapping rather than os.environ (for the test).
    return value.strip().lower() in ("1", "true", "yes", "on")
