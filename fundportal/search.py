"""Searching a list by what someone types: PostgreSQL's full-text search where the database is PostgreSQL, a plain
"contains" (``icontains``) elsewhere (SQLite, the embedded default).

``text_search(model, search, words=(...), codes=(...))`` is the condition a queryset of ``model`` filters with. On
PostgreSQL, the ``words`` fields (a title: text made of words, in the model's own table) are read as
``to_tsvector('simple', field)`` — the 'simple' configuration lowercases and neither stems nor drops a word, so no
language is guessed — and each word of the search must begin one of the field's words (``word:*``); a GIN index on
that same expression (``gin_index_sql``, made by a migration that does nothing on SQLite) finds the matching rows in
a subquery of their own (``pk IN (…)``, so the index serves it whatever the search is OR-ed with), without computing
a vector per row. ``codes`` (case numbers, email addresses, names in another table: text not searched by word)
are compared with ``icontains`` on both. For a whole word, or the beginning of one, both give the same rows; only a
search for the middle of a word ("svinn" in "Textilsvinn") finds more on SQLite.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connection
from django.db.models import Q

CONFIG = "simple"
WORD = re.compile(r"[^\W_]+")  # letters and digits: nothing the query syntax of to_tsquery reads otherwise


def full_text():
    """Whether searches here use PostgreSQL's full-text search."""
    return connection.vendor == "postgresql"


def vector(field):
    """The searched expression of ``field``; a GIN index on ``gin_index_sql(…)`` of it serves it."""
    return SearchVector(field, config=CONFIG)


def prefixes(search):
    """The tsquery that wants every word of ``search`` to begin a word: ``"solar Energy!"`` → ``solar:* & energy:*``;
    empty when ``search`` has no word."""
    return " & ".join(f"{word}:*" for word in WORD.findall(search))


def text_search(model, search, *, words=(), codes=()):
    """Rows of ``model`` where ``search`` is in one of the fields ``words`` (by word on PostgreSQL) or ``codes``
    (contained)."""
    search = search.strip()
    query = prefixes(search) if full_text() else ""
    condition = Q()
    for field in words:
        if query:
            matching = SearchVectorExact(vector(field), SearchQuery(query, search_type="raw", config=CONFIG))
            condition |= Q(pk__in=model._base_manager.filter(matching).values("pk"))
        else:
            condition |= Q(**{f"{field}__icontains": search})
    for field in codes:
        condition |= Q(**{f"{field}__icontains": search})
    return condition


def gin_index_sql(table, column, name):
    """The SQL of a GIN index on ``column`` of ``table`` written as ``vector`` writes it, so the planner sees the
    same expression in the index and in the search."""
    return (f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f"USING gin (to_tsvector('{CONFIG}'::regconfig, COALESCE(\"{column}\", '')))")
