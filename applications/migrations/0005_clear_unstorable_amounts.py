"""Amounts applied for that a budget cell of 15 or more digits (or not a finite number) once put in the database:
on SQLite they made every page of the application fail. They are cleared; the next save computes them again."""

from django.db import migrations

LIMIT = 10**14  # amount_requested holds 14 digits


def clear_unstorable_amounts(apps, schema_editor):
    table = apps.get_model("applications", "Application")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {schema_editor.connection.ops.quote_name(table)} SET amount_requested = NULL "
            "WHERE amount_requested >= %s OR amount_requested <= %s OR amount_requested <> amount_requested",
            [LIMIT, -LIMIT])


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_completion_sections")]

    operations = [migrations.RunPython(clear_unstorable_amounts, migrations.RunPython.noop)]
