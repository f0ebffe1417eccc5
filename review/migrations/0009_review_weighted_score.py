"""Each review's weighted score stored beside its scores (``Review.weighted_score``), filled for the reviews there
are, one UPDATE per call, by the same SQL the criteria's changes use (``review.sql.weighted_in_sql``)."""

from django.db import migrations, models

from review.sql import weighted_in_sql


def fill_weighted_scores(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    Criterion = apps.get_model("calls", "Criterion")
    Review = apps.get_model("review", "Review")
    for call_id in Call.objects.filter(criteria__isnull=False).distinct().values_list("pk", flat=True):
        criteria = list(Criterion.objects.filter(call_id=call_id))
        Review.objects.filter(assignment__application__call_id=call_id).update(
            weighted_score=weighted_in_sql("scores", criteria))


class Migration(migrations.Migration):

    dependencies = [
        ("calls", "0006_pipeline_moves_here"),
        ("review", "0008_pipeline_moves_to_calls"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="weighted_score",
            field=models.FloatField(default=0, editable=False),
        ),
        migrations.RunPython(fill_weighted_scores, migrations.RunPython.noop),
    ]
