"""Tenant isolation: the one mechanism that keeps each funder's data apart.

Every funder-owned model inherits :class:`FunderOwned`. Its default manager is
a django-scopes ``ScopedManager``: a query on it raises ``ScopeError`` unless a
funder scope is active. The scope is entered once per request by
``fundportal.middleware.FunderMiddleware`` (from the ``/<funder-slug>/`` URL)
and once per Celery task by ``fundportal.tasks.FunderTask``. Code that truly
spans funders (the cross-funder list of open calls, a person's own
applications everywhere, operators' tools) says so with ``scopes_disabled()``.

Cache keys and stored-file paths carry the funder too, so neither can reach
another funder's entries.
"""

import uuid
from pathlib import PurePosixPath

from django.db import models
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled

__all__ = ["FunderOwned", "active_funder", "cache_key", "funder_file_path", "scope", "scopes_disabled"]


class FunderOwned(models.Model):
    """Base for every row that belongs to one funder."""

    funder = models.ForeignKey("fundportal.Funder", on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(funder="funder")

    class Meta:
        abstract = True


def active_funder():
    """The funder of the active scope, or None (no scope, or scopes disabled)."""
    current = get_scope()
    if current.get("_enabled", True) is False:
        return None
    return current.get("funder")


def cache_key(key, key_prefix, version):
    """Cache KEY_FUNCTION: prefix every key with the active funder's id."""
    funder = active_funder()
    owner = f"funder-{funder.pk}" if funder is not None else "global"
    return f"{key_prefix}:{version}:{owner}:{key}"


def funder_file_path(funder, folder, filename):
    """Where a funder's file is stored: ``funders/<slug>/<folder>/<random>.<ext>``.

    The original name never reaches the disk; only its lower-cased extension.
    """
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"funders/{funder.slug}/{folder}/{uuid.uuid4().hex}{suffix}"
