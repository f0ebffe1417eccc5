from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('calls', '0004_reminder_days'),
    ]

    operations = [
        migrations.AddField(
            model_name='criterion',
            name='guidance',
            field=models.JSONField(blank=True, default=dict, verbose_name='guidance for reviewers'),
        ),
        migrations.AddField(
            model_name='criterion',
            name='score_guidance',
            field=models.JSONField(blank=True, default=dict, verbose_name='what each score means'),
        ),
    ]
