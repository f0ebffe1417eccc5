"""Stage and ChecklistItem now live in calls; the review app forgets them, the tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0007_stage_lives_in_calls'),
        ('calls', '0006_pipeline_moves_here'),
        ('review', '0007_decision_account_help_in_english'),
    ]

    # The tables stay where they are: only Django's picture of the models changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='stage',
                    name='call',
                ),
                migrations.RemoveField(
                    model_name='stage',
                    name='funder',
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='stage',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='calls.stage'),
                ),
                migrations.DeleteModel(
                    name='ChecklistItem',
                ),
                migrations.DeleteModel(
                    name='Stage',
                ),
            ],
            database_operations=[],
        ),
    ]
