"""The audit trail (``fundportal.AuditEvent``), append-only: on PostgreSQL a trigger refuses every UPDATE and DELETE of
its rows, whoever asks (TRUNCATE, with which the test suite empties tables, stays possible)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


REFUSE = """
CREATE FUNCTION fundportal_auditevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused';
END;
$$;
CREATE TRIGGER fundportal_auditevent_append_only BEFORE UPDATE OR DELETE ON fundportal_auditevent
    FOR EACH ROW EXECUTE FUNCTION fundportal_auditevent_refuse_change();
"""
ALLOW = """
DROP TRIGGER IF EXISTS fundportal_auditevent_append_only ON fundportal_auditevent;
DROP FUNCTION IF EXISTS fundportal_auditevent_refuse_change();
"""


def on_postgresql(sql):
    """Run ``sql`` only on PostgreSQL (SQLite, used in development, has only the model's refusals)."""
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('fundportal', '0010_identity_providers'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='when')),
                ('actor_email', models.CharField(blank=True, max_length=254, verbose_name='who')),
                ('kind', models.CharField(choices=[('application_moved', 'Application moved'), ('application_edited', 'Submitted application edited'), ('decision_recorded', 'Decision recorded'), ('decision_revised', 'Decision revised'), ('reviewer_assigned', 'Reviewer assigned'), ('impartiality_declared', 'Impartiality declared'), ('call_edited', 'Call edited'), ('role_given', 'Role given'), ('role_taken', 'Role taken away'), ('exported', 'Exported'), ('export_downloaded', 'Export downloaded'), ('application_downloaded', 'Application downloaded as PDF'), ('file_downloaded', 'File downloaded'), ('confidential_viewed', 'Confidential part viewed'), ('signed_in', 'Signed in'), ('sign_in_failed', 'Failed sign-in')], max_length=40, verbose_name='what')),
                ('object_type', models.CharField(blank=True, max_length=60)),
                ('object_id', models.CharField(blank=True, max_length=40)),
                ('object_label', models.CharField(blank=True, max_length=300, verbose_name='object')),
                ('application_id', models.PositiveBigIntegerField(blank=True, db_index=True, null=True)),
                ('details', models.JSONField(blank=True, default=dict)),
                ('address', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('funder', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='fundportal.funder')),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(models.F('funder'), models.OrderBy(models.F('at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='audit_newest_first'), models.Index(fields=['funder', 'application_id', 'at'], name='audit_by_application'), models.Index(fields=['funder', 'actor_email', 'at'], name='audit_by_person'), models.Index(fields=['funder', 'kind', 'at'], name='audit_by_kind')],
            },
        ),
        migrations.RunPython(on_postgresql(REFUSE), on_postgresql(ALLOW)),
    ]
