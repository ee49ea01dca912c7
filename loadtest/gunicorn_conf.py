"""gunicorn settings for the load test: the whole app is imported once, in the master.

With --preload gunicorn imports kor.wsgi before forking, but Django imports the URLconf (and so
every view, WeasyPrint and matplotlib) on a worker's first request. A worker started after the
kill would then import all of it under load and could miss its timeout; importing it here makes
the replacement worker ready at once, as the first ones are.
"""


def when_ready(server) -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
