"""Reads that may lag the primary by a moment — statistics, reports and exports — go to the read replica when one
is configured (DATABASE_REPLICA_URL gives the alias ``replica``); every other read and every write goes to the
primary (``default``).

Code opts in, never by guess: the yearly report's and a call's progress pages (:class:`ReadsFromReplicaMixin`) and
the export jobs (``fundportal.export_jobs``) run inside :func:`reading_from_replica`. Without a replica it changes
nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_on_replica = ContextVar("reading_from_replica", default=False)


def replica_configured():
    return REPLICA in connections


@contextmanager
def reading_from_replica():
    """Inside, the ORM's reads go to the replica (if there is one); writes still go to the primary."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside ``reading_from_replica`` to the replica, writes always to the primary
    (also of a row that was read from the replica); migrations run on the primary only (the replica copies it)."""

    def db_for_read(self, model, **hints):
        if _on_replica.get() and replica_configured():
            return REPLICA
        return None  # the primary, or the database a related row was read from

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReadsFromReplicaMixin:
    """A page of figures that may lag a moment: its reads — the view's and its template's — go to the replica.
    Only the page itself: who may see it is checked on the primary first (``dispatch``)."""

    def get(self, request, *args, **kwargs):
        with reading_from_replica():
            return super().get(request, *args, **kwargs).render()
