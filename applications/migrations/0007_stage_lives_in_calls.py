"""An application's stage is now calls.Stage: the same table, so nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0006_manager_asked_at'),
        ('calls', '0006_pipeline_moves_here'),
    ]

    # The tables stay where they are: only Django's picture of the models changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='application',
                    name='current_stage',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='calls.stage', verbose_name='review stage'),
                ),
                migrations.AlterField(
                    model_name='applicationtransition',
                    name='source_stage',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='calls.stage'),
                ),
                migrations.AlterField(
                    model_name='applicationtransition',
                    name='target_stage',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='calls.stage'),
                ),
            ],
            database_operations=[],
        ),
    ]
