"""gunicorn (load.gunicorn) reading the very database this process writes to, for the commands that prepare data
and then send requests to it: the load test and the deadline spike. In a test that is the test database, which the
environment's DATABASE_URL does not name."""

import os
from contextlib import contextmanager
from urllib.parse import quote

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
    """The server (2 sync workers, DEBUG off, a free loopback port) on this process's database; stopped after."""
    url = database_url(connection.settings_dict)
    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        with load.gunicorn() as server:
            yield server
    finally:
        if saved is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = saved
