"""Counting requests per key in a time window, in Django's cache (the link page's throttle).

Each window is its own cache key, so a count never needs a read-modify-write: `incr` is atomic in
the shared caches (database, Redis, Memcached). With the default local-memory cache every process
counts on its own: set a shared cache where several processes serve the app.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(kind: str, key: str, limit: int, window: int) -> bool:
    """Count one request; False when `key` has made more than `limit` in this window."""
    return count(kind, key, window, add=1) <= limit


def count(kind: str, key: str, window: int, *, add: int = 0) -> int:
    name = f"throttle:{kind}:{key}:{int(time.time() // window)}"
    if not add:
        return cache.get(name, 0)
    if cache.add(name, add, timeout=window):
        return add
    try:
        return cache.incr(name, add)
    except ValueError:  # expired between add and incr
        cache.set(name, add, timeout=window)
        return add
