"""A call's pipeline (Stage, ChecklistItem) moves from the review app to calls; the tables keep their names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0007_decision_account_help_in_english'),
        ('calls', '0005_criterion_guidance'),
        ('fundportal', '0006_distribution_help_text_in_english'),
    ]

    # The tables stay where they are: only Django's picture of the models changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ChecklistItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('text', models.JSONField(default=dict, verbose_name='requirement')),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checklist', to='calls.call')),
                        ('funder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='fundportal.funder')),
                    ],
                    options={
                        'db_table': 'review_checklistitem',
                        'ordering': ['call', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Stage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(verbose_name='position')),
                        ('kind', models.CharField(choices=[('screening', 'Screening'), ('panel', 'Panel review'), ('dialogue', 'Dialogue'), ('decision', 'Decision')], max_length=20, verbose_name='kind')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stages', to='calls.call', verbose_name='call')),
                        ('funder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='fundportal.funder')),
                    ],
                    options={
                        'verbose_name': 'review stage',
                        'verbose_name_plural': 'review stages',
                        'db_table': 'review_stage',
                        'ordering': ['call', 'position'],
                        'constraints': [models.UniqueConstraint(fields=('call', 'position'), name='one_stage_per_position')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
