"""Each application's tally of its reviews (``ReviewTally``), what the ranking reads instead of grouping the reviews,
filled for the applications there are, one statement per call, by the same SQL the review services keep it with
(``review.models.tallied``, stored by ``review.sql.upsert``)."""

import django.db.models.deletion
from django.db import migrations, models

from review.models import ReviewTally as CurrentTally
from review.models import tallied
from review.sql import upsert


def fill_tallies(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Criterion = apps.get_model("calls", "Criterion")
    ReviewTally = apps.get_model("review", "ReviewTally")
    called = Application.objects.filter(assignments__isnull=False).order_by().values_list("call_id", flat=True)
    for call_id in called.distinct():
        criteria = list(Criterion.objects.filter(call_id=call_id))
        upsert(ReviewTally, CurrentTally.FIELDS, tallied(Application.objects.filter(call_id=call_id), criteria))


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0008_search_and_list_indexes"),
        ("calls", "0006_pipeline_moves_here"),
        ("review", "0011_bulk_decision_jobs"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewTally",
            fields=[
                ("application", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                     related_name="tally", serialize=False,
                                                     to="applications.application")),
                ("reviews_done", models.PositiveIntegerField(default=0)),
                ("reviews_expected", models.PositiveIntegerField(default=0)),
                ("weighted_sum", models.FloatField(null=True)),
                ("weighted_squares", models.FloatField(null=True)),
                ("weighted_median", models.FloatField(null=True)),
                ("criteria", models.JSONField(default=dict)),
                ("funder", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="fundportal.funder")),
            ],
            options={
                "indexes": [models.Index(fields=["application"], include=("reviews_done", "weighted_sum"),
                                         name="tally_for_ranking")],
            },
        ),
        migrations.RunPython(fill_tallies, migrations.RunPython.noop),
    ]
