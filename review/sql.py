"""SQL pieces the ranking computes with, alike on SQLite and PostgreSQL.

* ``Score``: a review's score on one criterion, read from its JSON ``scores`` (Django's own key lookups read a
  numeric key such as ``"12"`` as an array index on SQLite, so the path is written here), or another figure kept
  per criterion the same way (``ReviewTally.criteria``); ``weighted_in_sql``, a review's weighted score from its
  scores, which fills and refreshes the stored ``Review.weighted_score``;
* ``upsert``: rows a query selects stored in a table, each replacing the row with the same key, in one statement;
* ``Median``: the median of a group, PostgreSQL's ``percentile_cont(0.5)``; SQLite has no such aggregate, so
  ``median_for_sqlite`` gives each new SQLite connection one (``statistics.median``, which averages the two middle
  values as ``percentile_cont`` does).
"""

import statistics

from django.db import connections
from django.db.models import Aggregate, ExpressionWrapper, FloatField, Func, Value
from django.db.models.functions import Coalesce


class Score(Func):
    """The score of the review in ``scores`` (a JSON field's path) on criterion ``criterion_pk``, or the number kept
    there under another ``key``; NULL if none."""

    output_field = FloatField()

    def __init__(self, scores, criterion_pk, key="score"):
        super().__init__(scores)
        self.criterion_pk = int(criterion_pk)
        self.key = key

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(JSON_EXTRACT({sql}, %s) AS REAL)", (*params, f'$."{self.criterion_pk}".{self.key}')

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql} #>> %s::text[]) AS double precision)", (*params, [str(self.criterion_pk), self.key])


class Median(Aggregate):
    """The median of the group's values (NULLs left out); for an even number, the mean of the two in the middle."""

    function = "FP_MEDIAN"
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra):
        median = self.copy()
        median.template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return median.as_sql(compiler, connection, **extra)


class _SqliteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def median_for_sqlite(sender, connection, **kwargs):
    """``connection_created`` receiver: teach a new SQLite connection the aggregate ``Median`` uses."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("FP_MEDIAN", 1, _SqliteMedian)


def weighted_in_sql(scores, criteria):
    """Σ score × weight over ``criteria`` from the JSON ``scores`` (a field's path), an unscored criterion 0: the
    SQL of ``review.models.weighted_score``."""
    return ExpressionWrapper(sum((Coalesce(Score(scores, criterion.pk), 0.0) * criterion.weight
                                  for criterion in criteria), Value(0.0)), output_field=FloatField())


def upsert(model, fields, rows):
    """Store in ``model``'s table the rows the query ``rows`` selects, its columns ``model``'s ``fields`` in that
    order, the first the table's key: each replaces the row with the same key, or is added (INSERT … SELECT … ON
    CONFLICT … DO UPDATE, one statement on SQLite and PostgreSQL alike)."""
    connection = connections[rows.db]
    quoted = connection.ops.quote_name
    select, params = rows.query.get_compiler(connection=connection).as_sql()
    columns = [quoted(model._meta.get_field(name).column) for name in fields]
    replaced = ", ".join(f"{column} = excluded.{column}" for column in columns[1:])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quoted(model._meta.db_table)} ({', '.join(columns)}) {select} "
                       f"ON CONFLICT ({columns[0]}) DO UPDATE SET {replaced}", params)
