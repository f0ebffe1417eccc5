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
from django_scopes.manager import DisabledQuerySet

__all__ = ["FunderOwned", "active_funder", "cache_key", "funder_file_path", "scope", "scoped_manager", "scopes_disabled"]


class FunderOwned(models.Model):
    """Base for every row that belongs to one funder."""

    funder = models.ForeignKey("fundportal.Funder", on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(funder="funder")

    class Meta:
        abstract = True


def scoped_manager(queryset_class):
    """The manager of a funder-owned model with query methods of its own (``queryset_class``), scoped as
    ``FunderOwned.objects``: with no funder scope active, those methods raise ``ScopeError`` as every query does."""
    own_methods = [name for name, value in vars(queryset_class).items() if callable(value) and not name.startswith("_")]
    refused = type(f"Refused{queryset_class.__name__}", (DisabledQuerySet,), dict.fromkeys(own_methods, DisabledQuerySet.error))

    class Manager(type(ScopedManager(models.Manager.from_queryset(queryset_class), funder="funder"))):
        def get_queryset(self):
            queryset = super().get_queryset()
            if isinstance(queryset, DisabledQuerySet):
                return refused(self.model, using=self._db, missing_scopes=queryset.missing_scopes)
            return queryset

    return Manager()


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
