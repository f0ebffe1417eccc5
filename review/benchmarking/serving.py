"""gunicorn (load.gunicorn) reading the very database and files this process writes to, for the commands that
prepare data and then send requests to it: the load test and the deadline spike. In a test those are the test
database and the test's MEDIA_ROOT, which the environment does not name."""

import os
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from review.benchmarking import load


def database_url(settings_dict):
    """The DATABASE_URL of a connection's settings (PostgreSQL, or SQLite in a file)."""
    name = str(settings_dict["NAME"])
    if connection.vendor == "sqlite":
        if name == ":memory:" or "mode=memory" in name:
            raise CommandError("The server cannot share a database kept in this process's memory: use PostgreSQL "
                               "or SQLite in a file (DATABASE_URL).")
        return f"sqlite:///{name}"
    user, password = quote(settings_dict["USER"] or "", safe=""), quote(settings_dict["PASSWORD"] or "", safe="")
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{quote(name, safe='')}"


@contextmanager
def gunicorn_on_this_database():
    """The server (2 sync workers, DEBUG off, a free loopback port) on this process's database and files; stopped
    after."""
    ours = {"DATABASE_URL": database_url(connection.settings_dict), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    saved = {name: os.environ.get(name) for name in ours}
    os.environ.update(ours)
    try:
        with load.gunicorn() as server:
            yield server
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
