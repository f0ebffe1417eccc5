"""On PostgreSQL, a GIN index on the title's words for the staff lists' full-text search (``fundportal.search``;
nothing on SQLite, which searches with ``icontains``). The lists' other filters and sorts are served by the indexes
there are (call, funder, state, case number, and the review tables' keys): EXPLAIN on 5,000 applications of a call
chose those over composite ones."""

from django.db import migrations

from fundportal.search import gin_index_sql

TITLE_SEARCH = "applications_title_search"


def create_title_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(gin_index_sql("applications_application", "title", TITLE_SEARCH))


def drop_title_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{TITLE_SEARCH}"')


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0007_stage_lives_in_calls"),
    ]

    operations = [
        migrations.RunPython(create_title_search_index, drop_title_search_index),
    ]
